#include "util/limits.hpp"

namespace rl {

namespace {

// clang-format off
constexpr std::array<LimitInfo, kLimitCount> kLimits = {{
  {LimitId::file_bytes,       "max-file-bytes",       256u << 20, 1, 0xFFFFFFFFu, "bytes per file (input or include); a larger file is not read"},
  {LimitId::line_bytes,       "max-line-bytes",       1u << 20,   1, 0xFFFFFFFFu, "bytes per line; a file with a longer line is not read"},
  {LimitId::rules,            "max-rules",            1'000'000,  1, 100'000'000, "rules per file; the rules after this many are not read"},
  {LimitId::nesting,          "max-nesting",          256,        1, 10'000,      "nested blocks (Apache sections, nginx blocks, YAML collections)"},
  {LimitId::include_depth,    "max-include-depth",    64,         0, 10'000,      "nested nginx includes"},
  {LimitId::regex_match,      "regex-match-limit",    1'000'000,  1, 4'000'000'000u, "PCRE2 match limit: backtracking steps per regex match"},
  {LimitId::regex_depth,      "regex-depth-limit",    10'000,     1, 4'000'000'000u, "PCRE2 depth limit: nested backtracking per regex match"},
  {LimitId::automaton_states, "max-automaton-states", 4000,       16, 1'000'000,   "states of one regex automaton; a larger regex is not analysed"},
  {LimitId::pattern_bytes,    "max-pattern-bytes",    4096,       1, 1'000'000,   "bytes of one regex the analysis reads; a longer regex is not analysed"},
}};
// clang-format on

}  // namespace

std::span<const LimitInfo> limit_table() { return kLimits; }

const LimitInfo& limit_info(LimitId id) { return kLimits[static_cast<std::size_t>(id)]; }

const LimitInfo* find_limit(std::string_view name) {
  for (const LimitInfo& l : kLimits)
    if (l.name == name) return &l;
  return nullptr;
}

std::uint64_t Limits::get(LimitId id) const {
  const auto& v = given[static_cast<std::size_t>(id)];
  return v ? *v : limit_info(id).default_value;
}

Limits Limits::or_else(const Limits& fallback) const {
  Limits out = *this;
  for (std::size_t i = 0; i < kLimitCount; ++i)
    if (!out.given[i]) out.given[i] = fallback.given[i];
  return out;
}

std::string limit_hint(LimitId id, std::uint64_t value) {
  std::string name(limit_info(id).name);
  return "limit " + name + " is " + std::to_string(value) + "; raise it with --" + name + " or `" + name +
         ":` in .redirlint.yaml";
}

}  // namespace rl
