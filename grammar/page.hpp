#pragma once
/// Grammars of the redirects written in code (PEGTL 3.x, header-only, no actions): PHP `header()` /
/// `http_response_code()` calls, and `location` assignments in inline JavaScript.
///
/// Authorities:
/// - PHP: https://www.php.net/manual/en/function.header.php ("the Location header ... returns a
///   REDIRECT (302) status code to the browser unless the 201 or a 3xx status code has already been
///   set"; the third argument `response_code` forces the code) and
///   https://www.php.net/manual/en/function.http-response-code.php; strings and comments per
///   https://www.php.net/manual/en/language.types.string.php and language.basic-syntax.comments.php.
/// - JavaScript: the `Location` interface (https://html.spec.whatwg.org/#the-location-interface):
///   assigning `location` / `location.href`, `location.assign(url)`, `location.replace(url)`.
///
/// Both grammars scan a whole text token by token and never fail: comments and strings are skipped
/// as units (a `header(` inside a string or a comment is not a call), identifiers are read whole (so
/// `myheader(` and `$header(` are not calls), and any other byte is one token. The actions decide
/// which calls are unconditional (at brace depth 0, after `;`, `}` or the start of the code: not inside
/// an `if`, a loop or a function) and which arguments are literals.
///
/// Where they accept more or less than PHP / JavaScript:
/// - PHP heredoc/nowdoc strings are not read as strings (a `header(` inside one would be seen).
/// - Only the literal forms are read as redirects: `header("Location: /x")`, `header('Location: /x',
///   true, 301)`; a Location built from variables or concatenation is a `dynamic_location` (not modelled).
/// - JavaScript regex literals are not recognised (a `location=` inside one would be seen); template
///   strings are literals only without `${`.
#include <tao/pegtl.hpp>

namespace rl::grammar::page {

namespace pegtl = tao::pegtl;

struct ws : pegtl::star<pegtl::space> {};
struct ident_first : pegtl::sor<pegtl::alpha, pegtl::one<'_'>, pegtl::range<'\x80', '\xFF'>> {};
struct ident_other : pegtl::sor<pegtl::alnum, pegtl::one<'_'>, pegtl::range<'\x80', '\xFF'>> {};
struct identifier : pegtl::seq<ident_first, pegtl::star<ident_other>> {};
template <typename Word>
struct keyword : pegtl::seq<Word, pegtl::not_at<ident_other>> {};

struct line_comment : pegtl::seq<pegtl::sor<pegtl::string<'/', '/'>, pegtl::one<'#'>>,
                                 pegtl::star<pegtl::not_at<pegtl::sor<pegtl::eolf, pegtl::string<'?', '>'>>>, pegtl::any>> {};
struct block_comment : pegtl::seq<pegtl::string<'/', '*'>, pegtl::until<pegtl::sor<pegtl::string<'*', '/'>, pegtl::eof>>> {};

/// A quoted string with backslash escapes; `Q` is the quote. The content is its own rule for the actions.
template <char Q>
struct quoted_content : pegtl::star<pegtl::sor<pegtl::seq<pegtl::one<'\\'>, pegtl::any>, pegtl::not_one<Q, '\\'>>> {};
template <char Q>
struct quoted : pegtl::seq<pegtl::one<Q>, quoted_content<Q>, pegtl::sor<pegtl::one<Q>, pegtl::eof>> {};
struct sq_string : quoted<'\''> {};
struct dq_string : quoted<'"'> {};
struct bq_string : quoted<'`'> {};

struct integer : pegtl::plus<pegtl::digit> {};

// ---- PHP -----------------------------------------------------------------------------------------

namespace php {

struct open_tag : pegtl::seq<pegtl::one<'<'>, pegtl::one<'?'>, pegtl::opt<pegtl::sor<pegtl::istring<'p', 'h', 'p'>, pegtl::one<'='>>>> {};
struct close_tag : pegtl::string<'?', '>'> {};
struct string_lit : pegtl::sor<sq_string, dq_string> {};
struct replace_arg : identifier {};
struct code_arg : integer {};

struct header_word : keyword<pegtl::istring<'h', 'e', 'a', 'd', 'e', 'r'>> {};
/// `header("...", replace, code)` with a literal first argument and nothing after it but the optional
/// arguments: a string followed by `.` or another operator is not a literal.
struct header_call
    : pegtl::seq<header_word, ws, pegtl::one<'('>, ws, string_lit, ws,
                 pegtl::opt<pegtl::one<','>, ws, replace_arg, ws, pegtl::opt<pegtl::one<','>, ws, code_arg, ws>>,
                 pegtl::one<')'>> {};
/// `header(` whose first argument starts with a `Location:` string but is not a literal (concatenation,
/// interpolation is decided by the actions): the page redirects somewhere we cannot know.
struct dynamic_location
    : pegtl::seq<header_word, ws, pegtl::one<'('>, ws, pegtl::one<'"', '\''>, ws,
                 pegtl::istring<'l', 'o', 'c', 'a', 't', 'i', 'o', 'n'>, ws, pegtl::one<':'>> {};
struct response_code_call
    : pegtl::seq<keyword<pegtl::istring<'h', 't', 't', 'p', '_', 'r', 'e', 's', 'p', 'o', 'n', 's', 'e', '_', 'c', 'o', 'd', 'e'>>,
                 ws, pegtl::one<'('>, ws, integer, ws, pegtl::one<')'>> {};
/// `$name`, `->name`, `::name`: never a call of the global function.
struct member : pegtl::seq<pegtl::sor<pegtl::one<'$'>, pegtl::string<'-', '>'>, pegtl::string<':', ':'>>, ws, pegtl::opt<identifier>> {};
struct open_brace : pegtl::one<'{'> {};
struct close_brace : pegtl::one<'}'> {};
struct punct : pegtl::any {};

/// A string that is a token of its own (not an argument of the calls above).
struct string_token : string_lit {};
struct token : pegtl::sor<pegtl::plus<pegtl::space>, line_comment, block_comment, string_token, header_call, dynamic_location,
                          response_code_call, member, identifier, open_brace, close_brace, punct> {};
struct code : pegtl::seq<open_tag, pegtl::star<pegtl::not_at<close_tag>, token>, pegtl::sor<close_tag, pegtl::eof>> {};
/// Text outside `<?php ... ?>` is output, not code.
struct html_text : pegtl::any {};
struct file : pegtl::seq<pegtl::star<pegtl::sor<code, html_text>>, pegtl::eof> {};

}  // namespace php

// ---- JavaScript (inline <script>) ----------------------------------------------------------------

namespace js {

struct string_lit : pegtl::sor<sq_string, dq_string, bq_string> {};
/// `window.` / `document.` / `top.` / `self.` before `location` (any one, optional).
struct owner : pegtl::seq<pegtl::sor<keyword<pegtl::string<'w', 'i', 'n', 'd', 'o', 'w'>>, keyword<pegtl::string<'d', 'o', 'c', 'u', 'm', 'e', 'n', 't'>>,
                                     keyword<pegtl::string<'t', 'o', 'p'>>, keyword<pegtl::string<'s', 'e', 'l', 'f'>>>,
                          ws, pegtl::one<'.'>, ws> {};
struct location_word : keyword<pegtl::string<'l', 'o', 'c', 'a', 't', 'i', 'o', 'n'>> {};
struct href : pegtl::seq<ws, pegtl::one<'.'>, ws, keyword<pegtl::string<'h', 'r', 'e', 'f'>>> {};
struct method : pegtl::sor<keyword<pegtl::string<'r', 'e', 'p', 'l', 'a', 'c', 'e'>>, keyword<pegtl::string<'a', 's', 's', 'i', 'g', 'n'>>> {};
/// The literal ends the expression: `;`, `)`, `}`, `,`, a line end or the end of the script follows.
struct literal_end : pegtl::at<pegtl::star<pegtl::one<' ', '\t'>>, pegtl::sor<pegtl::one<';', '}', ')', ','>, pegtl::eolf>> {};
struct assign
    : pegtl::seq<pegtl::opt<owner>, location_word, pegtl::opt<href>, ws, pegtl::one<'='>, pegtl::not_at<pegtl::one<'='>>, ws,
                 string_lit, literal_end> {};
struct call
    : pegtl::seq<pegtl::opt<owner>, location_word, ws, pegtl::one<'.'>, ws, method, ws, pegtl::one<'('>, ws, string_lit, ws,
                 pegtl::one<')'>> {};
struct open_brace : pegtl::one<'{'> {};
struct close_brace : pegtl::one<'}'> {};
struct punct : pegtl::any {};
struct string_token : string_lit {};
struct token : pegtl::sor<pegtl::plus<pegtl::space>, pegtl::seq<pegtl::string<'/', '/'>, pegtl::until<pegtl::eolf>>, block_comment, string_token,
                          assign, call, identifier, open_brace, close_brace, punct> {};
struct script : pegtl::seq<pegtl::star<token>, pegtl::eof> {};

}  // namespace js

}  // namespace rl::grammar::page
