#pragma once
/// RL109 redirect-without-last: see docs/checks/RL109.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_redirect_without_last();
}  // namespace rl
