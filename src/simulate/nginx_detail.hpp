#pragma once
/// Internals of the nginx simulator (nginx.cpp), exposed for its unit tests. Byte-exact copies of
/// the nginx 1.22 string routines the simulator needs (SEMANTICS.md §0, §3.5).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/model.hpp"
#include "util/regex.hpp"

namespace rl::nginx_sim {

/// A request-target as nginx's request-line parser leaves it.
struct ParsedTarget {
  std::string uri;           ///< $uri: %-decoded (%2F too), dot segments resolved, slashes merged
  std::string args;          ///< $args: the raw query after the first '?' ("" when none)
  bool quoted_uri = false;   ///< r->quoted_uri: a '%' escape in the path (captures then get escaped)
  bool plus_in_uri = false;  ///< r->plus_in_uri: a '+' in the path
  int error_status = 0;      ///< 400 when nginx rejects the target (bad escape, %00, ".." above root)
};
/// Parses a raw request-target ("/p?q") like ngx_http_parse_request_line + ngx_http_parse_complex_uri.
ParsedTarget parse_target(std::string_view raw, bool merge_slashes = true);

/// ngx_http_validate_host: the Host header's name, lower-cased, without port and one trailing dot.
/// False (nginx answers 400) for "..", '/', controls, space, or an empty name.
bool validate_host(std::string_view host, std::string& name);

/// ngx_escape_uri(..., NGX_ESCAPE_ARGS): upper-case %XX for controls, space, `"#%&+;<>?\^`{|}`, DEL
/// and bytes >= 0x80 (the set observed on nginx 1.22.1).
std::string escape_args(std::string_view s);

/// ngx_unescape_uri(..., NGX_UNESCAPE_REDIRECT): decodes %XX only for bytes '&'..'~', keeps the other
/// escapes as written, and stops decoding at the first literal '?'.
std::string unescape_redirect(std::string_view s);

/// A compiled pattern with what matching needs on every request.
struct CompiledRegex {
  std::optional<Regex> re;  ///< nullopt when PCRE2 refuses the pattern (nginx would refuse the config)
  std::vector<std::pair<std::string, int>> names;  ///< named groups
  std::string prefix;  ///< literal text every match starts with (anchored, case-sensitive patterns), else ""
  /// Like Regex::match; a subject without `prefix` is a no_match without running PCRE2; `error` when
  /// the pattern did not compile.
  MatchStatus match(std::string_view subject, Captures* caps) const;
};

/// The literal text that every subject matched by `pattern` must start with ("" when unknown): the
/// characters after a leading '^' up to the first metacharacter, none when the pattern has a '|'.
std::string literal_prefix(std::string_view pattern);

/// The compiled regex for (pattern, ignore_case), compiled once per thread. `pattern` should live in
/// the RuleSet (its address is part of the cache key).
std::shared_ptr<const CompiledRegex> cached_regex(std::string_view pattern, bool ignore_case);

/// The compiled Rule::match of `r` (a rule of `rs`), kept per rule index for the RuleSet used last on
/// this thread: scanning thousands of rules per request then walks memory in order instead of hashing.
const std::shared_ptr<const CompiledRegex>& rule_regex(const RuleSet& rs, const Rule& r);

/// nginx's one set of regex captures ($1..$9 and named groups): the last regex that matched
/// (server_name, location, if, rewrite) sets it.
struct CaptureSet {
  Captures caps;
  std::shared_ptr<const CompiledRegex> from;  ///< the regex that matched (for named groups)
  /// Group `n` ("" when absent).
  std::string group(int n) const { return caps.group(static_cast<std::size_t>(n)); }
  /// Named group `name`; nullopt when no group has that name.
  std::optional<std::string> named(std::string_view name) const;
};

/// Whether `host` (lower-case, no port, no trailing dot) matches server_name entry `name` and how
/// well: 0 = no match; otherwise a rank where higher wins (exact > longest `*.x` > longest `x.*`).
/// Regex names (`~...`) are not handled here (they rank below every wildcard, in file order).
int server_name_rank(std::string_view name, std::string_view host);

}  // namespace rl::nginx_sim
