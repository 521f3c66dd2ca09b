#pragma once
/// The format-neutral model (DESIGN.md §2). Parsers produce it, everything else reads it as const&.
///
/// Normalisation (what makes analysis and conversion possible):
/// - Rule::match matches the %-decoded, normalised URL path WITH its leading '/', in every format.
///   A .htaccess pattern `^old/(.*)$` in directory `/blog/` is stored as `^/blog/old/(.*)$`;
///   Pattern::original keeps the source text for messages and same-format emit.
/// - Targets use one template syntax (see Target).
/// - Query behaviour is explicit (QueryMode); implicit status codes are explicit with `status_implicit`.
/// - Nothing is lost: directives the parser does not model go to RuleSet::unmodelled with their range.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/boxed.hpp"
#include "model/diagnostic.hpp"
#include "model/shared_strings.hpp"
#include "model/source.hpp"

namespace rl {

/// `page`: redirects written in a site's own pages (HTML meta refresh, inline JavaScript, PHP header()),
/// read by src/parse/page.cpp; file-rules semantics (each page answers for its own URL).
enum class Format { apache, htaccess, nginx, yaml, netlify, netlify_toml, vercel, cloudflare_bulk, iis, page };
std::string_view to_string(Format f);
bool parse_format(std::string_view text, Format& out);
/// True for the formats whose rules are a first-match list (Context::file_rules): YAML, `_redirects`,
/// netlify.toml, vercel.json, Cloudflare Bulk Redirects. They share one simulator (simulate/file_rules.cpp).
bool is_file_rules(Format f);
/// True for the formats Netlify reads with `_redirects` semantics (`_redirects` and netlify.toml).
bool is_netlify_family(Format f);

/// Which contexts a RuleSet's rules were written in.
enum class Context { server, per_directory, file_rules };
std::string_view to_string(Context c);

enum class MatchKind { exact, prefix, regex };
std::string_view to_string(MatchKind k);

/// A pattern against the decoded path (for Rule::match) or against a condition's test string.
/// - exact: the whole subject equals `text`.
/// - prefix: mod_alias semantics: `text` matches whole path segments (`/a` matches `/a`, `/a/x`, not `/ab`).
///   nginx plain prefix locations are NOT segment prefixes; they are modelled as regex `^/a` (escaped)
///   or as Location blocks (see Block).
/// - regex: PCRE2 syntax, unanchored unless the text anchors it.
struct Pattern {
  MatchKind kind = MatchKind::regex;
  std::string text;         ///< normalised (see file comment)
  bool ignore_case = false;
  bool negated = false;     ///< Apache `!pattern` (RewriteRule and RewriteCond)
  /// exact only: the subject also matches with one trailing '/' added or removed (`/blog` matches
  /// `/blog/` and the other way round). Netlify normalises the path before matching (_redirects).
  bool optional_trailing_slash = false;
  std::string original;     ///< the pattern exactly as written in the source ("" when synthesised)
};

/// How a condition compares its test string with its pattern.
enum class CondOp {
  regex,      ///< pattern.text is a PCRE2 regex (RewriteCond default, nginx ~ ~*)
  equal,      ///< `=str` / nginx `=` / `!=` (with Pattern::negated)
  lt, gt, le, ge,                ///< `<str` `>str` `<=str` `>=str`: Apache compare_lexicography() (longer = greater, then bytes)
  int_eq, int_ne, int_lt, int_gt, int_le, int_ge,  ///< `-eq` ...
  file_exists,     ///< -f
  dir_exists,      ///< -d
  exists,          ///< nginx -e
  executable,      ///< nginx -x
  size_nonzero,    ///< -s
  symlink,         ///< -l / -L / -h
  url_exists,      ///< -U (subrequest), -F
  truthy,          ///< nginx `if ($var)`: non-empty and not "0"
};
std::string_view to_string(CondOp op);

/// A condition on the request. `test` is a template in Target's syntax (e.g. "${http_host}",
/// "${query}", "${http_host}${uri}"). For Netlify/Cloudflare conditions `test` is the pseudo variable
/// "${country}", "${language}", "${role}", "${cookie}" or "${arg:NAME}" (query parameter).
struct Condition {
  std::string test;
  CondOp op = CondOp::regex;
  Pattern pattern;     ///< pattern.negated = `!`
  bool or_next = false;  ///< Apache [OR]: (this OR next) AND ...
  bool nocase_vars = false;  ///< reserved
  SourceRange where;
  std::string original;
};

enum class QueryMode {
  keep,     ///< the request's query string is carried over unchanged (target has none of its own)
  replace,  ///< the target's own query replaces the request's (Apache `?a=1` without QSA, nginx `?a=1?`)
  append,   ///< target query first, then the request's (`?a=1` + QSA; nginx rewrite default with `?`)
  drop,     ///< no query in the result (trailing `?`, QSD, nginx `return` without $args)
};
std::string_view to_string(QueryMode q);

/// Where a matched request goes. `url` is a template:
/// - `$0`..`$9`: captures of Rule::match; `%0`..`%9`: captures of the last matched condition;
/// - `${name}`: server variables, named by meaning, not by server:
///   `${scheme}` http/https; `${host}` Host lower-cased without port (nginx $host);
///   `${http_host}` Host header as sent (Apache %{HTTP_HOST}, nginx $http_host);
///   `${server_name}`; `${server_port}`;
///   `${uri}` decoded normalised path (Apache %{REQUEST_URI}, nginx $uri);
///   `${request_uri}` raw path + query as sent (nginx $request_uri);
///   `${query}` raw query without '?' (Apache %{QUERY_STRING}, nginx $args / $query_string);
///   `${is_args}` "?" when there is a query; `${the_request}`; `${method}`; `${https}` on/off;
///   `${http:NAME}` request header; `${arg:NAME}` query parameter; `${env:NAME}`; `${map:N}` Apache
///   RewriteMap lookup N of RuleSet::map_lookups; `${var:NAME}` other
///   server variable we do not model (kept by name); `${splat}` / `${ph:NAME}` Netlify splat/placeholder.
/// - a literal `$` or `%` is written `$$` / `%%`.
struct Target {
  std::string url;
  QueryMode query = QueryMode::keep;
  bool absolute = false;  ///< url starts with a scheme (http://, https://, or ${scheme}://)
  /// QueryMode::keep only: the '?' is written even when the request has no query (nginx `return URL?$args`).
  /// When false, the source server's own rule applies: Apache writes it when the request had a '?' (even
  /// an empty query: `GET /a?` -> `/b?`), nginx (`$is_args$args`, `rewrite`) only for a non-empty query.
  bool query_mark_always = false;
};

enum class Flow {
  stop,     ///< [L], return, a redirect that ends processing
  next,     ///< fall through to the next rule (Apache no [L], nginx rewrite without flag)
  restart,  ///< [N], nginx `last`: start over with the rewritten URL
  end,      ///< Apache [END]; nginx `break` (stop rewrite processing in this location)
};
std::string_view to_string(Flow f);

/// What a rule does when it fires.
enum class Action {
  redirect,  ///< 3xx with a Location (status 300..399)
  answer,    ///< a status without Location (403 [F], 410 [G]/gone, 404, nginx `return 404`, `return 200 text`)
  rewrite,   ///< internal rewrite (status 0): the URL changes, processing goes on per `flow`
  none,      ///< matches but changes nothing (RewriteRule pattern `-`, nginx `break` alone)
};
std::string_view to_string(Action a);

/// Apache mod_rewrite flags that the common fields do not capture. All false/empty by default.
struct RewriteFlags {
  bool nocase = false, qsa = false, qsd = false, qsl = false, ne = false, b = false, bnp = false,
       bctls = false, pt = false, chain = false, nosubreq = false, dpi = false, unsafe_allow_3f = false,
       unsafe_prefix_stat = false, proxy = false, end = false, last = false, forbidden = false, gone = false;
  std::string b_chars;  ///< B=chars
  int skip = 0;         ///< S=n
  int next_max = 0;     ///< N=n (0 = not set)
  std::vector<std::string> other;  ///< E=, T=, H=, CO=, ... as written
  /// [E=NAME:value] / [E=!NAME] in file order, each as a template (Target syntax) of "NAME:value",
  /// "NAME" (set to "") or "!NAME" (unset); expanded when the rule fires, after its substitution.
  std::vector<std::string> env;
};

/// Apache `AllowEncodedSlashes` (core): what a %2F in the path does before any rule runs.
enum class EncodedSlashes : std::uint8_t {
  off,       ///< 404 (the default)
  on,        ///< decoded to '/', then the path is normalised again
  nodecode,  ///< kept as "%2F" as written in the path the rules see (other escapes decoded)
};

/// A block that scopes rules: an nginx server/location/if, an Apache VirtualHost/Directory/Location/If...
enum class BlockKind {
  server,      ///< nginx server{}, Apache <VirtualHost>
  location,    ///< nginx location, Apache <Location>/<LocationMatch>
  directory,   ///< Apache <Directory>/<DirectoryMatch> (per-directory context)
  files,       ///< Apache <Files>/<FilesMatch>
  condition,   ///< Apache <If>/<ElseIf>/<Else>, <IfModule>, <IfDefine>; nginx if{} (rules also get conds)
  other,
};

/// nginx location modifiers.
enum class LocationMod { none, exact, prefix_noregex, regex, regex_nocase, named };
std::string_view to_string(LocationMod m);

struct Block {
  BlockKind kind = BlockKind::other;
  int parent = -1;         ///< index in RuleSet::blocks, -1 = top level
  std::string directive;   ///< as written: "location", "VirtualHost", "IfModule", "Directory" ...
  std::string argument;    ///< the raw argument(s) as written
  // server blocks (the lists are boxed: one pointer in each of a million `location`s; they read as vectors):
  BoxedVector<std::string> server_names;  ///< lower-cased; "*.x", "x.*", ".x", "~regex", "_" as written
  BoxedVector<int> ports;                 ///< listen ports (Apache: VirtualHost addr ports)
  bool https = false;                     ///< listen ... ssl / 443 / SSLEngine on
  bool default_server = false;
  int servername_port = 0;  ///< Apache: the port written on ServerName (`ServerName a.example:8081`), 0 = none written
  // location blocks (nginx) / Location & Directory (Apache):
  LocationMod mod = LocationMod::none;
  std::string path;   ///< nginx location text (decoded), Apache URL path/dir path
  // settings recorded per block (nginx server/location, Apache vhost):
  std::optional<bool> rewrite_engine;           ///< Apache RewriteEngine in this block
  BoxedOptional<std::string> rewrite_base;      ///< Apache RewriteBase (boxed: reads as an optional)
  BoxedVector<std::string> rewrite_options;     ///< Apache RewriteOptions (boxed: reads as a vector)
  std::optional<bool> absolute_redirect, port_in_redirect, server_name_in_redirect;  ///< nginx
  std::optional<bool> merge_slashes;  ///< nginx `merge_slashes` (server block); Apache `MergeSlashes` (VirtualHost)
  std::optional<EncodedSlashes> allow_encoded_slashes;  ///< Apache `AllowEncodedSlashes` (VirtualHost)
  /// nginx `allow`/`deny` of this block in order, as "allow ADDR" / "deny ADDR" (ADDR as written, e.g.
  /// "all", "10.0.0.0/8"); empty = inherited from the enclosing block.
  BoxedVector<std::string> access;
  /// nginx `error_page` of this block, one entry per directive: its arguments joined by one space
  /// ("404 =301 /x", "500 502 @fallback"); empty = inherited from the enclosing block.
  BoxedVector<std::string> error_pages;
  /// nginx `try_files` of this location: its arguments ("$uri", "$uri/", "@rewrites"); empty = none.
  BoxedVector<std::string> try_files;
  SourceRange where;  ///< the opening line
  SourceRange end;    ///< the closing `}` / `</...>`
};

/// Review annotations and suppressions attached to a rule.
struct Annotations {
  std::optional<std::string> until;  ///< ISO date YYYY-MM-DD: temporary redirect to review by then
  std::string note;
  std::vector<std::string> disabled;  ///< codes/slugs disabled for this rule by inline comments
  std::vector<std::string> comments;  ///< comment lines directly above the rule (for emitters)
};

using RuleId = std::uint32_t;

/// Where a rule applies, beyond its match pattern.
struct Scope {
  int block = -1;               ///< innermost enclosing Block (index in RuleSet::blocks), -1 = top level
  int server = -1;              ///< enclosing server Block (VirtualHost / server{}), -1 = main server/none
  /// Host names this rule is limited to (lower-cased), empty = any. Shared between rules with the same
  /// list (SharedStrings reads like a const vector; assign or push_back to change one rule's list).
  SharedStrings hosts;
  SharedStrings schemes;  ///< "http"/"https", empty = any (shared like `hosts`)
  std::string dir;              ///< per-directory context: URL path of the directory, with leading and trailing '/'
};

struct Origin {
  Format format = Format::apache;
  std::string directive;  ///< "RewriteRule", "Redirect", "return", "rewrite", "yaml", "_redirects" ...
};

struct Rule {
  RuleId id = 0;       ///< index in RuleSet::rules
  SourceRange where;   ///< the whole directive (first line to last, continuations included)
  Origin origin;
  Scope scope;
  Pattern match;       ///< against the decoded path with leading '/' (see file comment)
  std::vector<Condition> conds;
  Action action = Action::redirect;
  int status = 0;      ///< 301 302 303 307 308 (redirect), 403 410 ... (answer), 0 = internal rewrite
  bool status_implicit = false;  ///< the source did not say the code (`[R]`, bare `Redirect`, `return URL`, netlify default)
  std::optional<Target> target;
  Flow flow = Flow::stop;
  /// Apache RewriteRule only. Boxed (read `r.flags->qsa`): one pointer per rule until a rule has flags.
  Boxed<RewriteFlags> flags;
  bool force = false;  ///< Netlify `!` (shadowing): applies even when a file exists
  /// Boxed (read `r.notes->until`): one pointer per rule until a rule has annotations.
  Boxed<Annotations> notes;
  std::string original;  ///< the source text of the directive, for messages and fallback comments
};

/// A directive or block the parser recognised (or not) but does not model; kept so nothing is lost.
struct Unmodelled {
  SourceRange where;
  std::string directive;  ///< name as written
  std::string text;       ///< the whole source text
  int block = -1;         ///< enclosing block
  bool relevant = false;  ///< true when it can change redirect behaviour (RewriteMap, [P], include failure ...)
};

/// Apache `RewriteMap NAME TYPE:SOURCE` (mod_rewrite.c cmd_rewritemap()). txt: and rnd: files are read
/// at parse time (bounded); what could not be read or is not modelled (dbm:, prg:, dbd:) makes every
/// lookup of the map unknown.
struct RewriteMapDef {
  std::string name;    ///< as written (lookups compare it exactly, as httpd's hash does)
  std::string type;    ///< lower-cased: "txt", "rnd", "int", "dbm", "prg", "dbd", "fastdbd", ...
  std::string source;  ///< after the ':' as written (a path, or the int: function name)
  std::string path;    ///< txt/rnd: the file path read (resolved against ServerRoot), "" otherwise
  bool readable = false;  ///< txt/rnd: the file was read; int: the function is one httpd has
  std::string why;        ///< when not readable / not modelled: why, in words
  /// txt/rnd entries in file order: key, value (rnd: the whole `a|b|c` alternatives), line in the map file.
  struct Entry {
    std::string key, value;
    SourceRange where;
  };
  std::vector<Entry> entries;
  int server = -1;     ///< the <VirtualHost> block it was defined in, -1 = main server (inherited by vhosts)
  SourceRange where;   ///< the RewriteMap directive
};

/// One `${NAME:key|default}` in a substitution or a RewriteCond TestString; templates refer to it as
/// `${map:N}` (N = index in RuleSet::map_lookups). key and fallback are templates (Target syntax).
struct MapLookup {
  std::string map;       ///< the map name as written
  std::string key;
  std::string fallback;  ///< the default ("" when none is written: httpd then substitutes "")
  SourceRange where;
};

struct RuleSet {
  Format format = Format::apache;
  Context context = Context::server;
  FileId file = 0;
  std::string dir = "/";  ///< per-directory context: URL path of the directory (htaccess), '/'-terminated
  // Settings of the top-level context (outside any Block); blocks carry their own.
  std::optional<bool> rewrite_engine;       ///< Apache RewriteEngine at top level
  std::optional<std::string> rewrite_base;  ///< Apache RewriteBase at top level (.htaccess)
  std::vector<std::string> rewrite_options; ///< Apache RewriteOptions at top level
  std::optional<bool> absolute_redirect, port_in_redirect, server_name_in_redirect;  ///< nginx http{}/fragment level
  std::optional<bool> merge_slashes;           ///< nginx http{}/fragment level; Apache MergeSlashes of the main server
  std::optional<EncodedSlashes> allow_encoded_slashes;  ///< Apache AllowEncodedSlashes of the main server
  std::vector<std::string> access;             ///< nginx allow/deny at http{}/fragment level (see Block::access)
  std::vector<std::string> error_pages;        ///< nginx error_page at http{}/fragment level (see Block::error_pages)
  std::vector<Rule> rules;   ///< in source order (include files expanded in place)
  std::vector<RewriteMapDef> maps;         ///< Apache RewriteMap definitions in file order
  std::vector<MapLookup> map_lookups;      ///< Apache `${map:key}` lookups, referred to as `${map:N}`
  std::vector<Block> blocks;
  std::vector<Unmodelled> unmodelled;
  std::vector<Diagnostic> parse_diags;  ///< RL0xx found while parsing
  std::vector<std::string> file_disabled;  ///< codes disabled for the whole file (`disable-file=`)
  std::vector<FileId> files;               ///< every file read for this set (includes), file first

  /// Lazily built by the simulators (e.g. the first-match candidate index of src/simulate/file_rules.cpp),
  /// tagged with the `rules` buffer it was built for; not part of the model's value. Never set by parsers.
  mutable std::shared_ptr<const void> sim_cache;
};

/// A stable, human-readable dump of the model for tests (one line per rule/block).
std::string debug_string(const RuleSet& rs);

}  // namespace rl
