#pragma once
/// RL203 shadowed-rule: see docs/checks/RL203.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_shadowed_rule();
}  // namespace rl
