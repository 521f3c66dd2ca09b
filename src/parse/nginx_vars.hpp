#pragma once
/// nginx values (return/rewrite targets, if operands, map values) -> the model's target template.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rl::nginx {

/// What `$1`..`$9` and named captures refer to at one place in the config.
struct Captures {
  char prefix = '$';  ///< '$' = the rule's own match, '%' = the last condition's regex
  int count = -1;     ///< number of groups, -1 = unknown (no RL005 then)
  std::vector<std::pair<std::string, int>> names;  ///< named groups (name, number)
};

/// A `$N` beyond `count`, at character `index` of the value.
struct BadCapture {
  std::size_t index = 0, length = 0;
  int number = 0;
};

/// The model's template name of nginx variable `name` (without `$`), e.g. "host" -> "${host}",
/// "arg_id" -> "${arg:id}", "http_x_foo" -> "${http:x-foo}", unknown -> "${var:name}".
std::string variable_template(std::string_view name);

/// True for variables nginx or its standard modules define (request, connection, `$arg_*`, `$http_*` ...):
/// their value comes from the request or the server, not from the configuration.
bool is_builtin_variable(std::string_view name);

/// Translates an nginx value into a Target template (model.hpp): variables renamed, captures kept
/// (with `caps.prefix`), literal `$`/`%` doubled. Back-references beyond `caps.count` go to `bad`.
std::string to_template(std::string_view value, const Captures& caps, std::vector<BadCapture>* bad = nullptr);

}  // namespace rl::nginx
