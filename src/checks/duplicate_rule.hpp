#pragma once
/// RL204 duplicate-rule: see docs/checks/RL204.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_duplicate_rule();
}  // namespace rl
