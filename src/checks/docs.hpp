#pragma once
#include <string_view>

namespace rl {
/// The page docs/checks/CODE.md, embedded at build time ("" when the code has no page).
std::string_view check_doc(std::string_view code);
}  // namespace rl
