#pragma once
/// RL108 https-downgrade: see docs/checks/RL108.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_https_downgrade();
}  // namespace rl
