#pragma once
/// RL101 implicit-temporary: see docs/checks/RL101.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_implicit_temporary();
}  // namespace rl
