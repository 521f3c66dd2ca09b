#pragma once
/// Grammar pieces shared by the line-oriented formats (PEGTL 3.x, header-only, no actions).
///
/// Every rule here consumes at least one byte or fails, so it can be repeated with `star<>` and
/// `tao::pegtl::analyze<>()` stays clean. Line ends follow SourceFiles: CRLF, LF and a lone CR.
#include <tao/pegtl.hpp>

namespace rl::grammar::common {

namespace pegtl = tao::pegtl;

/// Horizontal white space: what C `isspace` accepts inside a line (space, tab, \v, \f, a stray \r).
struct blank : pegtl::one<' ', '\t', '\v', '\f', '\r'> {};
struct blanks : pegtl::star<blank> {};

/// One line end: CRLF, LF or a lone CR (old Mac files), counted once.
struct eol : pegtl::sor<pegtl::string<'\r', '\n'>, pegtl::one<'\n'>, pegtl::one<'\r'>> {};

/// The bytes of one physical line, without its terminator.
struct line_body : pegtl::star<pegtl::not_one<'\r', '\n'>> {};

/// A physical line: its body and its terminator, or a last line without one. Never empty.
struct physical_line : pegtl::sor<pegtl::seq<line_body, eol>, pegtl::plus<pegtl::not_one<'\r', '\n'>>> {};

/// A whole file as physical lines, after an optional UTF-8 byte order mark.
struct lines : pegtl::seq<pegtl::opt<pegtl::utf8::bom>, pegtl::star<physical_line>, pegtl::eof> {};

/// A `"..."` string whose closing quote may be missing (the servers read to the end of the line).
/// `\"` and `\\` are escapes; the actions decide what an escape means.
template <char Q>
struct quoted : pegtl::seq<pegtl::one<Q>,
                           pegtl::star<pegtl::sor<pegtl::seq<pegtl::one<'\\'>, pegtl::one<Q, '\\'>>, pegtl::not_one<Q>>>,
                           pegtl::opt<pegtl::one<Q>>> {};

/// An identifier as used for directive names: a letter, then letters, digits, '_' or '-'.
struct identifier : pegtl::seq<pegtl::alpha, pegtl::star<pegtl::sor<pegtl::alnum, pegtl::one<'_', '-'>>>> {};

}  // namespace rl::grammar::common
