#include "checks/registry.hpp"

#include <array>
#include <cctype>

namespace rl {

namespace {

// clang-format off
const std::array kChecks = {
  CheckInfo{"RL001", "syntax-error",          Severity::error,   "input does not parse", nullptr},
  CheckInfo{"RL002", "unknown-directive",     Severity::error,   "unknown directive, flag or option (suggests the nearest known name)", nullptr},
  CheckInfo{"RL003", "invalid-regex",         Severity::error,   "PCRE2 rejects the pattern", nullptr},
  CheckInfo{"RL004", "invalid-status",        Severity::error,   "status code not allowed for that directive", nullptr},
  CheckInfo{"RL005", "bad-backreference",     Severity::error,   "back-reference to a group that does not exist", nullptr},
  CheckInfo{"RL006", "unmodelled-construct",  Severity::info,    "recognised but not modelled; analysis cannot see through it", nullptr},
};
// clang-format on

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::span<const CheckInfo> all_checks() { return kChecks; }

const CheckInfo* find_check(std::string_view key) {
  for (const CheckInfo& c : kChecks)
    if (iequal(c.code, key) || c.slug == key) return &c;
  return nullptr;
}

}  // namespace rl
