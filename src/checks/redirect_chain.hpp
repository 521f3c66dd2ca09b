#pragma once
/// RL201 redirect-chain: see docs/checks/RL201.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_redirect_chain();
}  // namespace rl
