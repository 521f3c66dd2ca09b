#pragma once
/// Error messages of the Apache grammar (grammar/apache.hpp), next to it as in PEGTL's
/// json_errors.hpp: a rule with a message raises a parse error where it fails (`must_if`). Only
/// rules that are used after the line is committed to one kind have a message.
#include <tao/pegtl.hpp>

#include "grammar/apache.hpp"

namespace rl::grammar::apache {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr auto error_message<close_name> = "expected a section name after '</'";
template <> inline constexpr auto error_message<close_gt> = "expected '>' to end the closing tag";
template <> inline constexpr auto error_message<close_end> = "unexpected text after the closing tag";
template <> inline constexpr auto error_message<open_name> = "expected a section name after '<'";
template <> inline constexpr auto error_message<open_tail> = "section tag is missing its closing '>'";
template <> inline constexpr auto error_message<directive_name> = "expected a directive name, a '#' comment or a <section> tag";
template <> inline constexpr auto error_message<name_end> = "expected white space after the directive name";
// clang-format on

struct errors {
  template <typename Rule>
  static constexpr auto message = error_message<Rule>;
};

/// Control class for parsing `line` with these messages.
template <typename Rule>
using control = tao::pegtl::must_if<errors>::control<Rule>;

}  // namespace rl::grammar::apache
