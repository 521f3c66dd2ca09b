#pragma once
/// URL helpers shared by the server simulators (SEMANTICS.md §0): splitting a request-target,
/// %-decoding, path normalisation, Apache's re-escaping, Host parsing and absolute Location building.
/// Pure functions on bytes; no locale, no allocation beyond the returned strings.
#include <optional>
#include <string>
#include <string_view>

namespace rl::url {

/// A raw request-target split at its first '?'. `query` is nullopt when there is no '?'
/// ("/x?" gives an empty, present query). A fragment '#' is not special here (clients never send one).
struct SplitTarget {
  std::string path;
  std::optional<std::string> query;
};
SplitTarget split_target(std::string_view raw);

/// Decodes every %XX (hex either case). False when a '%' is not followed by two hex digits
/// (both servers answer 400); `out` then holds what was decoded so far.
bool percent_decode(std::string_view in, std::string& out);

/// Decodes only %XX escapes of unreserved characters (ALPHA DIGIT - . _ ~), upper-casing the hex of
/// the others: Apache's AP_NORMALIZE_DECODE_UNRESERVED step before dot-segment removal.
std::string decode_unreserved(std::string_view in);

/// True when the raw (still encoded) path contains %2F / %2f (Apache answers 404 before any rule, §0.2).
bool has_encoded_slash(std::string_view raw_path);

/// Removes "." segments, resolves ".." segments and, when `merge_slashes`, merges runs of '/'.
/// A trailing "/." or "/.." keeps the trailing '/'. False when ".." climbs above the root.
bool normalise_path(std::string_view path, bool merge_slashes, std::string& out);

/// Apache's view of a raw path (§0.1): decode unreserved, normalise (MergeSlashes On), decode the rest.
/// Status 0 on success, else the status Apache answers before any rule: 400 (bad escape, above root,
/// not starting with '/'), 404 (encoded slash or NUL).
int apache_decode_path(std::string_view raw_path, std::string& decoded);

/// Apache ap_escape_uri / ap_os_escape_path(partial): escapes every byte that is not alphanumeric or one
/// of `$-_.+!*'(),:;@&=/~` as %xx with LOWER-case hex (SEMANTICS 1.2, 2.9).
std::string apache_escape_path(std::string_view s);

/// A capture from the decoded path put back into a URL (the rule-file simulators, IIS): space,
/// controls, non-ASCII and `"#%<>?\^`{|}` as upper-case %XX; everything else as it is.
std::string escape_capture(std::string_view s);

/// Apache mod_rewrite [B] escaping of one back-reference (escape_backref): with `chars` empty every
/// non-alphanumeric byte but '_' is escaped, else only the bytes in `chars`; space becomes '+'
/// unless `no_plus` ([BNP]). Lower-case hex.
std::string apache_escape_backref(std::string_view s, std::string_view chars, bool no_plus);

/// A Host header split into its name (lower-cased, trailing dot removed, IPv6 brackets kept) and port.
struct HostPort {
  std::string name;
  std::optional<int> port;
};
HostPort split_host(std::string_view host_header);

/// 80 for http, 443 for https, 0 otherwise.
int default_port(std::string_view scheme);

/// "scheme://host[:port]path": the port is left out when it is 0 or the scheme's default.
std::string absolute_url(std::string_view scheme, std::string_view host, int port, std::string_view path);

/// Length of a leading "scheme://" (letters, digits, + - . then "://"), 0 when `s` has none.
std::size_t scheme_length(std::string_view s);
inline bool is_absolute(std::string_view s) { return scheme_length(s) != 0; }

/// An absolute URL split into scheme ("http"), authority ("host:port"), and the rest (path?query#frag,
/// starting with '/' or empty). False when `s` is not absolute.
struct UrlParts {
  std::string scheme, authority, rest;
};
bool split_absolute(std::string_view s, UrlParts& out);

/// ASCII lower-case.
std::string lower(std::string_view s);
/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

}  // namespace rl::url
