#pragma once
/// RL205 conflicting-rule: see docs/checks/RL205.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_conflicting_rule();
}  // namespace rl
