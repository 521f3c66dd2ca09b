#pragma once
/// nginx configuration syntax: the token level, as nginx itself reads it.
///
/// Authority:
/// - https://nginx.org/en/docs/beginners_guide.html#conf_structure ("simple directives" end with `;`,
///   "block directives" use `{ }`, `#` starts a comment);
/// - https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#rewrite ("If a regular expression
///   includes the `}` or `;` characters, the whole expressions should be enclosed in single or double quotes");
/// - the reader itself: `ngx_conf_read_token()` in src/core/ngx_conf_file.c (nginx 1.22.1), which this
///   grammar follows byte for byte:
///   * tokens are separated by space, tab, CR, LF; `;` ends a directive, `{` opens a block, `}` closes one;
///   * `#` starts a comment only where a token could start (`a#b` is one word) and runs to LF;
///   * `"..."` and `'...'` quote a whole token; a quote inside a word is an ordinary character;
///   * `\x` escapes any character (in words and in strings); `${` does not open a block;
///   * `}` and `#` inside a word are part of the word (`return 301 /x}` is three words, no block end);
///   * after a closing quote only space, `;`, `{` or `)` may follow (`if ($a = "b")`).
///
/// This header only splits bytes into tokens; it never fails: every byte sequence lexes (a string that
/// is not closed runs to the end of the file and is reported by the reader, src/parse/nginx_lex.cpp).
/// Statements and blocks are built from the tokens with an explicit stack (no recursion, so nesting
/// depth cannot overflow the C++ stack); the messages are in grammar/nginx_errors.hpp.
///
/// Where this accepts more than nginx: NUL bytes lex as word characters (the reader reports them);
/// a glued character after a closing quote lexes as the next word (the reader reports it).
/// Where it accepts less: nothing known (checked against `nginx -t` with tests/grammar/nginx_cases.txt).
///
/// Where the reader (src/parse/nginx.cpp) accepts more than nginx, by design (it reads fragments and
/// files out of their tree): unknown directives are kept and ignored (nginx: "unknown directive"; only
/// near misses of redirect directives are RL002); argument counts and contexts are checked only for the
/// directives it interprets (server, location, if, map, http, return, rewrite, break, listen, include,
/// the *_redirect flags); a missing include is RL006, not an error (nginx: "open() failed"); variables
/// are not required to exist (nginx: "unknown variable"); a fragment may start with server-body
/// directives (nginx wants them inside server{}).
#include <tao/pegtl.hpp>

namespace rl::grammar::nginx {

namespace p = tao::pegtl;

/// Separators (ngx_conf_read_token: ' ', '\t', CR, LF).
struct blank : p::plus<p::one<' ', '\t', '\r', '\n'>> {};
/// `#` to the end of the line (LF only, as nginx).
struct comment : p::seq<p::one<'#'>, p::star<p::not_one<'\n'>>> {};
struct semicolon : p::one<';'> {};
struct block_open : p::one<'{'> {};
struct block_close : p::one<'}'> {};

/// `\` takes the next byte, whatever it is.
struct escape : p::seq<p::one<'\\'>, p::any> {};
struct dq_string : p::seq<p::one<'"'>, p::star<p::sor<escape, p::not_one<'"'>>>, p::one<'"'>> {};
struct sq_string : p::seq<p::one<'\''>, p::star<p::sor<escape, p::not_one<'\''>>>, p::one<'\''>> {};
/// After a closing quote nginx wants a separator, `;`, `{` or `)`; anything else is "unexpected".
struct glued : p::at<p::not_one<' ', '\t', '\r', '\n', ';', '{', ')'>> {};
struct quoted : p::seq<p::sor<dq_string, sq_string>, p::opt<glued>> {};
/// An opening quote never closed: the rest of the file.
struct unterminated : p::seq<p::one<'"', '\''>, p::star<p::any>> {};

/// `$` or `${`: the brace belongs to the variable, not to a block.
struct variable : p::seq<p::one<'$'>, p::opt<p::one<'{'>>> {};
struct word_char : p::sor<escape, variable, p::not_one<' ', '\t', '\r', '\n', ';', '{'>> {};
/// An unquoted token: cannot start with a quote, `#` or `}`; ends at a separator, `;` or `{`.
struct word : p::seq<p::not_at<p::one<'"', '\'', '#', '}'>>, p::plus<word_char>> {};

struct token : p::sor<blank, comment, semicolon, block_open, block_close, quoted, unterminated, word> {};
/// A whole file: total (accepts every input).
struct config : p::seq<p::star<token>, p::eof> {};

}  // namespace rl::grammar::nginx
