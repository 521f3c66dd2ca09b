#pragma once
/// The syntax-error messages of the nginx reader (RL001), next to the grammar (STYLE.md: error
/// messages in a table beside the grammar). Wording follows nginx's own `[emerg]` messages
/// (src/core/ngx_conf_file.c) so that a user who knows `nginx -t` recognises them; redirlint adds
/// what nginx leaves out (what was expected, how to fix it).
#include <string>
#include <string_view>

namespace rl::grammar::nginx::errors {

inline std::string quote(std::string_view s) {
  std::string o = "\"";
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) o += '?';
    else o += c;
  }
  return o + "\"";
}

inline std::string unexpected(char c) { return "unexpected " + quote(std::string_view(&c, 1)); }
inline std::string unexpected_close_without_block() { return "unexpected \"}\": no block is open"; }
inline std::string missing_semicolon_before_close(std::string_view directive) {
  return "unexpected \"}\": directive " + quote(directive) + " is not terminated by \";\"";
}
inline std::string not_terminated(std::string_view directive) {
  return "directive " + quote(directive) + " is not terminated by \";\"";
}
inline std::string brace_in_argument(std::string_view directive) {
  return "unquoted \"{\" in an argument of " + quote(directive) +
         ": nginx starts a block here; put the argument in quotes";
}
inline std::string no_opening_brace(std::string_view directive) {
  return "directive " + quote(directive) + " has no opening \"{\"";
}
inline std::string eof_in_directive(std::string_view directive) {
  return "unexpected end of file, expecting \";\" or \"}\" after directive " + quote(directive);
}
inline std::string eof_in_block(std::string_view directive) {
  return "unexpected end of file, expecting \"}\": block " + quote(directive) + " is not closed";
}
inline std::string unterminated_string(char q) {
  return std::string("unexpected end of file: the string opened here with ") + (q == '"' ? "'\"'" : "\"'\"") +
         " is never closed";
}
inline std::string glued_after_quote(char c) {
  return "unexpected " + quote(std::string_view(&c, 1)) + " after a quoted string (a space, \";\" or \"{\" must follow)";
}
inline std::string template_braces() {
  return "unexpected \"{{\": a template placeholder, not nginx syntax (render the template first)";
}
inline std::string nul_byte() { return "NUL byte in the file: not an nginx configuration"; }
inline std::string too_deep(int max) {
  return "blocks nested deeper than " + std::to_string(max) + " levels; the inner blocks are not read";
}
inline std::string arg_count(std::string_view directive) {
  return "invalid number of arguments in " + quote(directive) + " directive";
}
inline std::string invalid_parameter(std::string_view value) { return "invalid parameter " + quote(value); }
inline std::string not_allowed_here(std::string_view directive, std::string_view where) {
  return quote(directive) + " directive is not allowed " + std::string(where);
}

}  // namespace rl::grammar::nginx::errors
