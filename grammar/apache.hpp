#pragma once
/// Grammar of Apache httpd 2.4 configuration files and .htaccess files (PEGTL 3.x, header-only,
/// no actions; the actions live in src/parse/apache*.cpp).
///
/// Authorities:
/// - Configuration syntax: https://httpd.apache.org/docs/2.4/configuring.html ("Syntax of the main
///   configuration files": one directive per line, `\` as the last character continues a line,
///   `#` starts a comment only at the start of a line, directive names are case-insensitive) and
///   https://httpd.apache.org/docs/2.4/sections.html (containers); server/util.c
///   `ap_getword_conf()` / `substring_conf()` for argument quoting.
/// - mod_alias: https://httpd.apache.org/docs/2.4/mod/mod_alias.html (Redirect, RedirectMatch,
///   RedirectPermanent, RedirectTemp); server/util.c `ap_pregsub()` for `$N` in targets.
/// - mod_rewrite: https://httpd.apache.org/docs/2.4/mod/mod_rewrite.html (RewriteRule, RewriteCond,
///   RewriteBase, RewriteEngine, RewriteOptions, RewriteMap) and
///   https://httpd.apache.org/docs/2.4/rewrite/flags.html; modules/mappers/mod_rewrite.c
///   `parseargline()` (argument splitting), `cmd_parseflagfield()` (flag lists), `cmd_rewritecond()`
///   (CondPattern operators) and `do_expand()` (substitution syntax).
///
/// The file is read in two layers: `common::lines` splits physical lines (the parser joins `\`
/// continuations itself, keeping a byte map back into the file), then every logical line is parsed
/// alone with `line`. Containers are open/close tag lines; their nesting is checked by the actions
/// with an explicit stack, so nesting depth never becomes recursion depth here.
///
/// Where this grammar accepts more or less than httpd:
/// - A lone CR ends a line (as SourceFiles counts lines); httpd only ends lines at LF.
/// - A line that starts with a non-letter (binary junk, a stray quote) is an error here; httpd
///   reports it as an unknown command, which is an error too.
/// - Section names may only contain letters, digits, `_ - : .`; httpd takes any non-blank bytes.
/// - Directive arguments are split by the actions with `conf_args` (core rules) or `rw_args`
///   (mod_rewrite's own `parseargline()`), as httpd does per directive.
/// - RewriteMap lookups `${map:key|default}` may not nest another map lookup in the key.
#include <tao/pegtl.hpp>

#include "grammar/common.hpp"

namespace rl::grammar::apache {

namespace pegtl = tao::pegtl;
using common::blank;
using common::blanks;

// ---------------------------------------------------------------------------------------------
// One logical line.

/// `#` after optional blanks: the rest of the line is a comment (no end-of-line comments in httpd).
struct comment : pegtl::seq<pegtl::one<'#'>, pegtl::star<pegtl::any>> {};

/// A section name: `VirtualHost`, `IfModule`, `DirectoryMatch`, `If`...
struct section_name : pegtl::seq<pegtl::alpha, pegtl::star<pegtl::sor<pegtl::alnum, pegtl::one<'_', '-', ':', '.'>>>> {};

/// `</Name>`: the closing tag of a section.
struct close_name : section_name {};
struct close_gt : pegtl::one<'>'> {};
struct line_end : pegtl::seq<blanks, pegtl::eof> {};
struct close_end : line_end {};
struct close_tag : pegtl::seq<pegtl::string<'<', '/'>, pegtl::must<close_name>, blanks, pegtl::must<close_gt>,
                              pegtl::must<close_end>> {};

/// `<Name args>`: the opening tag of a section. The arguments run to the LAST `>` of the line
/// (httpd strips that one), so `<If "%{A} > 5">` keeps its inner `>`.
struct open_name : section_name {};
struct section_args : pegtl::star<pegtl::sor<pegtl::plus<pegtl::not_one<'>'>>,
                                             pegtl::seq<pegtl::one<'>'>, pegtl::not_at<blanks, pegtl::eof>>>> {};
struct open_tail : pegtl::sor<pegtl::seq<pegtl::one<'>'>, line_end>,
                              pegtl::seq<pegtl::plus<blank>, section_args, pegtl::one<'>'>, line_end>> {};
struct open_tag : pegtl::seq<pegtl::one<'<'>, pegtl::must<open_name>, pegtl::must<open_tail>> {};

/// A directive: its name (case-insensitive), white space, then arguments that the actions split
/// with the tokenizer that directive uses in httpd.
struct directive_name : common::identifier {};
struct name_end : pegtl::sor<pegtl::eof, pegtl::plus<blank>> {};
struct directive_args : pegtl::star<pegtl::any> {};
struct directive : pegtl::seq<pegtl::must<directive_name>, pegtl::must<name_end>, directive_args> {};

/// A whole logical line (continuations already joined).
struct line : pegtl::seq<blanks, pegtl::sor<pegtl::eof, comment, close_tag, open_tag, directive>> {};

// ---------------------------------------------------------------------------------------------
// Arguments of core and mod_alias directives: ap_getword_conf(). A quoted word ends at its closing
// quote (or the end of the line); `\"` and `\\` are escapes inside quotes, `\\` outside.

struct conf_dq : common::quoted<'"'> {};
struct conf_sq : common::quoted<'\''> {};
struct conf_bare : pegtl::plus<pegtl::not_one<' ', '\t', '\v', '\f', '\r'>> {};
struct conf_arg : pegtl::sor<conf_dq, conf_sq, conf_bare> {};
struct conf_args : pegtl::seq<blanks, pegtl::star<conf_arg, blanks>, pegtl::eof> {};

// ---------------------------------------------------------------------------------------------
// Arguments of RewriteRule / RewriteCond: mod_rewrite's parseargline(). `\` before a blank keeps
// the blank in the word (the backslash stays: the regex then reads `\ `); quotes are not escapable.

struct rw_escaped_blank : pegtl::seq<pegtl::one<'\\'>, blank> {};
template <char Q>
struct rw_quoted : pegtl::seq<pegtl::one<Q>, pegtl::star<pegtl::sor<rw_escaped_blank, pegtl::not_one<Q>>>, pegtl::opt<pegtl::one<Q>>> {};
struct rw_dq : rw_quoted<'"'> {};
struct rw_sq : rw_quoted<'\''> {};
struct rw_bare : pegtl::plus<pegtl::sor<rw_escaped_blank, pegtl::not_one<' ', '\t', '\v', '\f', '\r'>>> {};
struct rw_arg : pegtl::sor<rw_dq, rw_sq, rw_bare> {};
struct rw_args : pegtl::seq<blanks, pegtl::star<rw_arg, blanks>, pegtl::eof> {};

// ---------------------------------------------------------------------------------------------
// A flag list `[A,B=v,...]`, without its brackets (the actions check them, as httpd's
// cmd_parseflagfield() does): comma-separated `key[=value]` items; a value may contain `=` and `]`.

struct flag_key : pegtl::star<pegtl::not_one<',', '='>> {};
struct flag_value : pegtl::star<pegtl::not_one<','>> {};
struct flag_item : pegtl::seq<flag_key, pegtl::opt<pegtl::one<'='>, flag_value>> {};
struct flag_list : pegtl::seq<pegtl::list<flag_item, pegtl::one<','>>, pegtl::eof> {};

// ---------------------------------------------------------------------------------------------
// RewriteCond CondPattern (cmd_rewritecond()): `!` negates; a two-character `-f`-style test; an
// integer comparison `-eq5`; a string comparison `=x`, `<x`, `>=x`; otherwise a regex. An
// operator needs at least two characters in total (`=` alone is the regex "=").

struct cond_not : pegtl::one<'!'> {};
struct cond_file_test : pegtl::seq<pegtl::one<'-'>, pegtl::one<'f', 's', 'd', 'x', 'h', 'L', 'l', 'U', 'F'>, pegtl::eof> {};
struct cond_int_op : pegtl::seq<pegtl::one<'-'>, pegtl::sor<pegtl::string<'l', 't'>, pegtl::string<'l', 'e'>, pegtl::string<'g', 't'>,
                                                          pegtl::string<'g', 'e'>, pegtl::string<'e', 'q'>, pegtl::string<'n', 'e'>>> {};
struct cond_str_op : pegtl::sor<pegtl::string<'>', '='>, pegtl::string<'<', '='>, pegtl::string<'=', '='>, pegtl::one<'>', '<', '='>> {};
struct cond_operand : pegtl::star<pegtl::any> {};
struct cond_int_test : pegtl::seq<cond_int_op, pegtl::plus<pegtl::any>> {};
struct cond_str_test : pegtl::seq<cond_str_op, cond_operand> {};
struct cond_regex : pegtl::star<pegtl::any> {};
struct cond_pattern : pegtl::seq<pegtl::opt<cond_not>,
                                 pegtl::sor<pegtl::seq<pegtl::at<pegtl::any, pegtl::any>, pegtl::sor<cond_file_test, cond_int_test, cond_str_test>>,
                                            cond_regex>,
                                 pegtl::eof> {};

// ---------------------------------------------------------------------------------------------
// Substitutions and TestStrings (do_expand()): `\c` quotes c, `$N` rule back-reference, `%N`
// condition back-reference, `%{VAR}` server variable, `${map:key|default}` RewriteMap lookup.

struct sub_escape : pegtl::seq<pegtl::one<'\\'>, pegtl::any> {};
struct sub_rule_ref : pegtl::seq<pegtl::one<'$'>, pegtl::digit> {};
struct sub_cond_ref : pegtl::seq<pegtl::one<'%'>, pegtl::digit> {};
struct var_name : pegtl::plus<pegtl::not_one<'}', '{', '%', '$'>> {};
struct sub_var : pegtl::seq<pegtl::one<'%'>, pegtl::one<'{'>, var_name, pegtl::one<'}'>> {};
struct map_name : pegtl::plus<pegtl::not_one<':', '}', '{', '$', '%', '|'>> {};
struct map_text : pegtl::star<pegtl::sor<pegtl::seq<pegtl::one<'\\'>, pegtl::any>,
                                         pegtl::seq<pegtl::one<'%'>, pegtl::one<'{'>, var_name, pegtl::one<'}'>>,
                                         pegtl::not_one<'}', '{', '|'>>> {};
struct sub_map : pegtl::seq<pegtl::one<'$'>, pegtl::one<'{'>, map_name, pegtl::one<':'>, map_text,
                            pegtl::opt<pegtl::one<'|'>, map_text>, pegtl::one<'}'>> {};
struct sub_literal : pegtl::any {};
struct substitution : pegtl::seq<pegtl::star<pegtl::sor<sub_escape, sub_rule_ref, sub_cond_ref, sub_var, sub_map, sub_literal>>,
                                 pegtl::eof> {};

// ---------------------------------------------------------------------------------------------
// mod_alias targets (ap_pregsub()): `$N` is a back-reference, `\c` quotes c.

struct alias_escape : pegtl::seq<pegtl::one<'\\'>, pegtl::any> {};
struct alias_ref : pegtl::seq<pegtl::one<'$'>, pegtl::digit> {};
struct alias_literal : pegtl::any {};
struct alias_target : pegtl::seq<pegtl::star<pegtl::sor<alias_escape, alias_ref, alias_literal>>, pegtl::eof> {};

/// Redirect's optional status word: a keyword or a number (mod_alias add_redirect_internal()).
struct status_keyword : pegtl::sor<pegtl::istring<'p', 'e', 'r', 'm', 'a', 'n', 'e', 'n', 't'>,
                                   pegtl::istring<'t', 'e', 'm', 'p'>,
                                   pegtl::istring<'s', 'e', 'e', 'o', 't', 'h', 'e', 'r'>,
                                   pegtl::istring<'g', 'o', 'n', 'e'>> {};
struct status_number : pegtl::plus<pegtl::digit> {};
struct redirect_status : pegtl::seq<pegtl::sor<status_keyword, status_number>, pegtl::eof> {};

}  // namespace rl::grammar::apache
