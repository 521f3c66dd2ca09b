#pragma once
/// RL105 method-changing-redirect: see docs/checks/RL105.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_method_changing_redirect();
}  // namespace rl
