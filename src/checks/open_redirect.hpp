#pragma once
/// RL107 open-redirect: see docs/checks/RL107.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_open_redirect();
}  // namespace rl
