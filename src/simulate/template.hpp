#pragma once
/// Target templates of model.hpp (`$N` rule captures, `%N` condition captures, `${name}` variables,
/// `$$` / `%%` literal) split into parts and expanded. Shared by the Apache and nginx simulators: each
/// decides how a part's value is escaped (Apache [B], nginx capture escaping) through the callback.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/regex.hpp"

namespace rl {

enum class PartKind {
  literal,       ///< text copied as-is (`$$`/`%%` already turned into `$`/`%`)
  rule_capture,  ///< `$N`: group N of the rule's match
  cond_capture,  ///< `%N`: group N of the last matched condition
  variable,      ///< `${name}`: a server variable (name as written between the braces)
};

struct TemplatePart {
  PartKind kind = PartKind::literal;
  std::string text;  ///< literal text, or the variable name
  int index = 0;     ///< capture number for *_capture
};

/// Splits a template. A `$` or `%` not followed by a digit, `{` or itself is literal; an unclosed
/// `${` is literal text.
std::vector<TemplatePart> parse_template(std::string_view tpl);

/// The value of one non-literal part (the caller escapes as its server does).
using PartValue = std::function<std::string(const TemplatePart&)>;

/// Concatenates literal parts and `value(part)` for the others.
std::string expand_template(const std::vector<TemplatePart>& parts, const PartValue& value);

/// The plain value of a capture part: group `index` of `caps` ("" when absent or null).
std::string capture_value(const Captures* caps, int index);

}  // namespace rl
