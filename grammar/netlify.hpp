#pragma once
/// Grammar of Netlify / Cloudflare Pages `_redirects` files (PEGTL 3.x, header-only, no actions).
///
/// Authorities:
/// - Netlify: https://docs.netlify.com/routing/redirects/ and
///   https://docs.netlify.com/routing/redirects/redirect-options/ (splats, placeholders, query
///   parameters, `!` force, Country/Language/Role/Cookie conditions, domain-level rules), and the
///   reference parser netlify/build packages/redirect-parser/src/line_parser.js.
/// - Cloudflare Pages: https://developers.cloudflare.com/pages/configuration/redirects/
///
/// One rule per line, whitespace-separated tokens:
///     from [query-pair...] [to] [status[!]] [condition...] [# comment]
/// A token that starts with `#` begins a comment up to the end of the line (as in Netlify's parser,
/// so `/a /b#frag` keeps its fragment). `to` may be left out only by a forward rule
/// (`/app/* 200`); the parse actions check that, not the grammar.
///
/// How the parser (src/parse/netlify.cpp) models what it reads, per the Netlify docs:
/// - A literal source is MatchKind::exact on the %-decoded path with Pattern::optional_trailing_slash:
///   Netlify normalises the path before matching, so `/blog` and `/blog/` match the same rules.
/// - `*` (anywhere) and `:name` (a whole path segment start) make a regex with named groups `splat`
///   and `name` (`[^/]+`); a final `/*` also matches the bare directory (`^/blog(?:/(?<splat>.*))?$`),
///   other sources end in `/?$`. In the target `:splat` → `${splat}`, `:name` → `${ph:name}`; a `:word`
///   that is no placeholder of the source (a port, a typo) stays literal, as Netlify leaves it.
/// - Query pairs `id=:id` → Condition `${arg:id}` regex `.` (a value is required), `id=v` → equal;
///   `:id` in the target → `${arg:id}`; such a rule drops the request's query (the docs' example
///   `/store?id=x` → `/blog/x`). Otherwise the query is kept, or replaced when the target has one.
/// - Country/Language (case-insensitive), Role, Cookie → Conditions on `${country}`, `${language}`,
///   `${role}`, `${cookie}` with the comma list as `^(?:a|b)$`. `Sign=` → RL006; others → RL002 (the
///   rule is kept without the condition: Netlify ignores conditions it does not know).
/// - Status: none → 301 with status_implicit (Cloudflare Pages defaults to 302: not modelled);
///   200 → Action::rewrite (status 0; to an absolute URL it is a proxy: RL006); 301 302 303 307 308 →
///   redirect; 4xx/5xx → answer whose target is the page served; anything else → RL004.
///   `!` → Rule::force. A forward rule `/x/* 200` without target gets `/x/:splat`.
/// - A domain-level source `https://host/path` → scope.hosts and scope.schemes.
/// - Cloudflare's limits (2,000 static, 100 dynamic rules, 1,000 characters a line) → RL007 warnings.
/// - Paths are matched case-sensitively (the docs do not say otherwise; not verified on Netlify).
///
/// Where this grammar accepts more or less than the providers:
/// - It never fails: a token in the wrong place is matched by `junk` and the actions turn it into a
///   diagnostic (Netlify and Cloudflare silently ignore a malformed line).
/// - A lone CR ends a line (as in SourceFiles); Netlify splits on LF only and trims the CR.
/// - A UTF-8 byte order mark at the start of the file is skipped.
/// - Query pairs and conditions are told apart by position only (before / after `to`), as Netlify
///   does; the semantic checks of keys (Country, Language, Role, Cookie, Sign) live in the actions.
#include <tao/pegtl.hpp>

namespace rl::grammar::netlify {

namespace pegtl = tao::pegtl;

/// Blanks between tokens: space and tab (Netlify splits on `\s+`, which also covers \v and \f).
struct blank : pegtl::one<' ', '\t', '\v', '\f'> {};
struct blanks : pegtl::plus<blank> {};
struct eol : pegtl::sor<pegtl::string<'\r', '\n'>, pegtl::one<'\n'>, pegtl::one<'\r'>> {};
struct eolf : pegtl::sor<eol, pegtl::eof> {};

/// Any byte that can be part of a token.
struct token_char : pegtl::not_one<' ', '\t', '\v', '\f', '\r', '\n'> {};
struct token_tail : pegtl::star<token_char> {};

/// `# ...` up to the end of the line.
struct comment : pegtl::seq<pegtl::one<'#'>, pegtl::star<pegtl::not_one<'\r', '\n'>>> {};

/// The end of a token: blank, end of line or end of file.
struct token_end : pegtl::at<pegtl::sor<blank, eolf>> {};

/// The source path or URL (first token of a rule line). Anything but a comment.
struct from : pegtl::seq<pegtl::not_at<pegtl::one<'#'>>, pegtl::plus<token_char>> {};

/// `http://` or `https://` (case-insensitive, as URLs).
struct scheme : pegtl::seq<pegtl::sor<pegtl::istring<'h', 't', 't', 'p', 's'>, pegtl::istring<'h', 't', 't', 'p'>>,
                           pegtl::string<':', '/', '/'>> {};

/// The destination: a path starting with `/` or an http(s) URL (netlify line_parser isToPart).
struct to : pegtl::seq<pegtl::sor<pegtl::one<'/'>, scheme>, token_tail> {};

/// `key=value` (a query parameter before `to`, a condition after it). The value may be empty.
struct pair_key : pegtl::plus<pegtl::not_one<'=', ' ', '\t', '\v', '\f', '\r', '\n', '#'>> {};
struct pair_value : token_tail {};
struct query_pair : pegtl::seq<pegtl::not_at<pegtl::sor<pegtl::one<'/'>, scheme>>, pair_key, pegtl::one<'='>, pair_value> {};
struct condition : pegtl::seq<pair_key, pegtl::one<'='>, pair_value> {};

/// `301`, `200!`: digits and an optional force mark.
struct status_code : pegtl::plus<pegtl::digit> {};
struct force : pegtl::one<'!'> {};
struct status : pegtl::seq<status_code, pegtl::opt<force>, token_end> {};

/// A token that fits nowhere: reported by the actions, never a parse failure.
struct junk : pegtl::seq<pegtl::not_at<pegtl::one<'#'>>, pegtl::plus<token_char>> {};

template <typename Rule>
struct after_blank : pegtl::seq<blanks, Rule> {};

/// from, then query pairs, then to, status, conditions, in that order; each part optional after from.
struct rule_line
    : pegtl::seq<from,
                 pegtl::star<after_blank<query_pair>>,
                 pegtl::opt<after_blank<to>>,
                 pegtl::opt<after_blank<status>>,
                 pegtl::star<after_blank<condition>>,
                 pegtl::star<after_blank<junk>>,
                 pegtl::opt<after_blank<comment>>> {};

/// A rule or a comment up to the end of the line, or an empty line. Always consumes input, so that
/// `star<line>` cannot loop (analyze()); blanks at the very end of the file are left to `file`.
struct line : pegtl::seq<pegtl::star<blank>,
                         pegtl::sor<pegtl::seq<pegtl::sor<comment, rule_line>, pegtl::star<blank>, eolf>, eol>> {};

struct bom : pegtl::string<'\xEF', '\xBB', '\xBF'> {};

/// The whole file. Never fails on any byte sequence.
struct file : pegtl::seq<pegtl::opt<bom>, pegtl::star<line>, pegtl::star<blank>, pegtl::eof> {};

}  // namespace rl::grammar::netlify
