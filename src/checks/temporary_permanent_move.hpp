#pragma once
/// RL102 temporary-permanent-move: see docs/checks/RL102.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_temporary_permanent_move();
}  // namespace rl
