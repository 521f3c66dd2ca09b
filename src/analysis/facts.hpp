#pragma once
/// Facts about single rules that several checks share: what a rule matches (as a language and as
/// example paths), which scheme and hosts it is limited to, and the shape of its target.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/automaton.hpp"
#include "model/model.hpp"
#include "simulate/simulate.hpp"
#include "simulate/template.hpp"
#include "util/regex.hpp"

namespace rl::analysis {

/// A 3xx with a Location.
bool is_redirect(const Rule& r);
/// 302, 303 and 307: the codes that say "temporary".
bool is_temporary(int status);

/// "http" or "https" when the rule only applies to that scheme (scope, server block, conditions on
/// HTTPS / scheme / X-Forwarded-Proto); "" when it may apply to both.
std::string scheme_restriction(const RuleSet& rs, const Rule& r);

/// True when the rule only applies to some hosts: scope hosts, named server block (not a catch-all),
/// or a non-negated condition on the Host header.
bool has_host_limit(const RuleSet& rs, const Rule& r);

/// Literal host names the rule is limited to (scope hosts, exact server names, host conditions whose
/// pattern is a plain literal). Lower-cased; empty when unknown.
std::vector<std::string> literal_hosts(const RuleSet& rs, const Rule& r);

/// The string an anchored plain regex matches ("^www\.example\.com$" -> "www.example.com"); nullopt
/// when the regex has any operator.
std::optional<std::string> regex_literal(std::string_view re);

/// The text of capture group `n` (1-based; named groups count) of a PCRE2 pattern; nullopt when absent
/// or when numbering is unclear (branch reset).
std::optional<std::string> capture_group_text(std::string_view pattern, int n);
/// Where capture group `n` is in the pattern: its '(' , the first byte of its body, its ')' (byte offsets).
struct GroupSpan {
  std::size_t open = 0, body = 0, close = 0;
};
std::optional<GroupSpan> capture_group_span(std::string_view pattern, int n);

/// A target split into scheme, authority and the rest (path?query), as template parts.
struct TargetShape {
  bool absolute = false;
  std::string scheme;  ///< "http", "https", "${scheme}" (from the request), "" when relative, "?" when computed
  std::vector<TemplatePart> authority;  ///< host[:port] parts
  std::vector<TemplatePart> rest;       ///< path?query parts (starts with '/' when literal)
  bool starts_with_capture = false;     ///< the whole target begins with $N / %N (scheme chosen by the request)
};
TargetShape target_shape(const Target& t);
/// Concatenation of literal parts; nullopt when any part is not literal.
std::optional<std::string> literal_text(const std::vector<TemplatePart>& parts);

/// The language of `p` on the decoded path (exact / segment prefix / regex); nullopt for negated or
/// untranslatable patterns.
std::optional<Language> pattern_language(const Pattern& p);
/// The language of paths a rule can fire for: its match, intersected with its nginx location.
std::optional<Language> rule_language(const RuleSet& rs, const Rule& r);

/// A few example paths the rule matches (decoded, with leading '/'): the literal source, the source
/// plus a tail for prefixes, automaton examples for regexes. Every path is checked against the
/// rule's real PCRE2 pattern. Possibly empty.
std::vector<std::string> example_paths(const RuleSet& rs, const Rule& r);
/// The same with the rule's match pattern already compiled (`match_re`: PCRE2 of r.match for regex
/// rules; nullptr when it does not compile or the rule is not a regex).
std::vector<std::string> example_paths(const RuleSet& rs, const Rule& r, const Regex* match_re);

/// A witness path that makes `r` read one entry of a txt:/rnd: RewriteMap it looks up (in its
/// substitution or its conditions): `map` indexes RuleSet::maps, `entry` its entries.
struct MapKeyPath {
  std::string path;  ///< decoded, with leading '/'
  std::size_t map = 0, entry = 0;
};
/// One path per entry of each map `r` looks up, in map order: the key itself when the lookup key is
/// %{REQUEST_URI}; r's pattern with the key's group written as the key when the lookup key is `$N`
/// (a literal regex then; an automaton example for the first kMaxMapAutomata entries that are not).
/// Every path is checked against `match_re` (r's compiled pattern) with group N equal to the key.
/// Other keys (a query parameter, the Host) give none.
constexpr std::size_t kMaxMapAutomata = 64;
std::vector<MapKeyPath> map_key_paths(const RuleSet& rs, const Rule& r, const Regex* match_re);

/// Expands the rule's target for one decoded path on an unconditioned request, with `$N` from the rule's
/// match; nullopt when the target needs %N or a variable other than scheme/host/uri/request_uri/query.
std::optional<std::string> expand_for_path(const Rule& r, std::string_view path, std::string_view scheme,
                                           std::string_view host);
/// The same with the rule's match pattern already compiled (see example_paths).
std::optional<std::string> expand_for_path(const Rule& r, const Regex* match_re, std::string_view path,
                                           std::string_view scheme, std::string_view host);
/// The same with the target already split (`target_parts` = parse_template(r.target->url)), for
/// callers that expand one rule's target for several paths.
std::optional<std::string> expand_for_path(const Rule& r, const std::vector<TemplatePart>& target_parts,
                                           const Regex* match_re, std::string_view path, std::string_view scheme,
                                           std::string_view host);

/// The enclosing nginx location block of a rule, or nullptr.
const Block* location_of(const RuleSet& rs, const Rule& r);

/// The literal text an anchored regex starts with ("^/old/(.*)$" -> "/old/"); "" when not anchored.
std::string regex_literal_prefix(std::string_view re);

/// `"text"`: user values in messages are quoted.
std::string quoted(std::string_view text);

/// "file:line" of a range, for messages that name another rule.
std::string place(const SourceFiles& files, const SourceRange& where);

/// Today's date (UTC) as YYYY-MM-DD.
std::string today_utc();

/// What the rule set itself tells about files that exist: `_redirects` / YAML paths served by a 200
/// rewrite to themselves or to a literal path exist (Netlify then skips non-forced rules for them).
SimOptions evidence_options(const RuleSet& rs);

/// True when the rule depends on a request header the client does not choose itself (e.g. a proxy's
/// X-Forwarded-Proto): what a bare client request does there proves nothing.
bool depends_on_proxy_header(const Rule& r);

/// True when the rule's target takes a value the simulator does not know (`${env:NAME}` set by other
/// rules' flags or the server, `${var:NAME}`): its Location proves nothing, and no chain or loop is claimed through it.
bool target_unknown(const Rule& r);

/// Percent-encodes a decoded path for a request-target (unreserved and '/' kept).
std::string encode_path(std::string_view decoded);

}  // namespace rl::analysis
