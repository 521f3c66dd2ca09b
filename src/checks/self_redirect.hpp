#pragma once
/// RL106 self-redirect: see docs/checks/RL106.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_self_redirect();
}  // namespace rl
