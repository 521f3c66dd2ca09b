#pragma once
/// RL202 redirect-loop: see docs/checks/RL202.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_redirect_loop();
}  // namespace rl
