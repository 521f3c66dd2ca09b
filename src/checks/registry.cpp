#include "checks/registry.hpp"

#include <array>
#include <cctype>

#include "checks/conflicting_rule.hpp"
#include "checks/duplicate_rule.hpp"
#include "checks/redirect_chain.hpp"
#include "checks/redirect_loop.hpp"
#include "checks/shadowed_rule.hpp"
#include "checks/expired_temporary.hpp"
#include "checks/host_header_redirect.hpp"
#include "checks/https_downgrade.hpp"
#include "checks/implicit_temporary.hpp"
#include "checks/method_changing_redirect.hpp"
#include "checks/open_redirect.hpp"
#include "checks/redirect_without_last.hpp"
#include "checks/self_redirect.hpp"
#include "checks/temporary_permanent_move.hpp"
#include "checks/temporary_without_review.hpp"

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
  CheckInfo{"RL007", "provider-limit",        Severity::warning, "rule file exceeds a hosting provider's documented limits", nullptr},
  CheckInfo{"RL101", "implicit-temporary",    Severity::warning, "redirect whose code is the implicit 302", make_implicit_temporary},
  CheckInfo{"RL102", "temporary-permanent-move", Severity::warning, "temporary code on a move that is permanent by nature", make_temporary_permanent_move},
  CheckInfo{"RL103", "expired-temporary",     Severity::warning, "temporary redirect past its review date", make_expired_temporary},
  CheckInfo{"RL104", "temporary-without-review", Severity::info, "temporary redirect with no review date", make_temporary_without_review},
  CheckInfo{"RL105", "method-changing-redirect", Severity::warning, "301/302 where the method must survive: use 307/308", make_method_changing_redirect},
  CheckInfo{"RL106", "self-redirect",         Severity::error,   "the target is the source itself", make_self_redirect},
  CheckInfo{"RL107", "open-redirect",         Severity::error,   "target scheme or host taken from the request", make_open_redirect},
  CheckInfo{"RL108", "https-downgrade",       Severity::warning, "https request redirected to http", make_https_downgrade},
  CheckInfo{"RL109", "redirect-without-last", Severity::warning, "RewriteRule [R] without L: later rules still rewrite the target", make_redirect_without_last},
  CheckInfo{"RL110", "host-header-redirect",  Severity::warning, "Location host copied from the Host header on a server that answers any host", make_host_header_redirect},
  CheckInfo{"RL201", "redirect-chain",        Severity::warning, "a request needs 2+ redirect hops", make_redirect_chain},
  CheckInfo{"RL202", "redirect-loop",         Severity::error,   "a request comes back to a URL it already visited, or redirects forever", make_redirect_loop},
  CheckInfo{"RL203", "shadowed-rule",         Severity::warning, "rule can never fire: an earlier rule answers every request it matches", make_shadowed_rule},
  CheckInfo{"RL204", "duplicate-rule",        Severity::warning, "same source, same result as an earlier rule", make_duplicate_rule},
  CheckInfo{"RL205", "conflicting-rule",      Severity::warning, "same source, different target or status; the first one wins", make_conflicting_rule},
  CheckInfo{"RL301", "not-convertible",       Severity::error,   "rule cannot be expressed in the target format; emitted as a comment", nullptr},
  CheckInfo{"RL302", "approximated",          Severity::warning, "converted with a documented difference", nullptr},
  CheckInfo{"RL401", "link-to-redirect",      Severity::warning, "a page's link, canonical URL or asset points at a URL that redirects", nullptr},
  CheckInfo{"RL402", "sitemap-not-final",     Severity::warning, "a sitemap entry redirects, or no file and no rule serves it", nullptr},
  CheckInfo{"RL403", "redirect-to-missing",   Severity::warning, "a redirect ends on a path the built site does not serve (404)", nullptr},
  CheckInfo{"RL404", "page-behind-redirect",  Severity::warning, "a page of the site is also the source of a permanent redirect: its content is unreachable", nullptr},
  CheckInfo{"RL501", "permanent-redirect-removed", Severity::warning, "a permanent redirect of an earlier revision is gone, but browsers and caches keep it", nullptr},
  CheckInfo{"RL502", "permanent-redirect-changed", Severity::warning, "a permanent redirect answers otherwise than at an earlier revision", nullptr},
  CheckInfo{"RL503", "temporary-made-permanent", Severity::info,  "a temporary redirect of an earlier revision is now permanent", nullptr},
  CheckInfo{"RL504", "redirect-removed",      Severity::warning, "a URL that redirected at an earlier revision now has no rule", nullptr},
  CheckInfo{"RL511", "unused-rule",           Severity::info,    "no logged request reached the rule", nullptr},
  CheckInfo{"RL512", "logged-chain",          Severity::warning, "logged requests went through a chain of redirects", nullptr},
  CheckInfo{"RL513", "logged-not-found",      Severity::info,    "a path often logged as 404, with the closest redirect source or page", nullptr},
  CheckInfo{"RL514", "expired-temporary-hit", Severity::warning, "temporary redirect still requested after its review date", nullptr},
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
