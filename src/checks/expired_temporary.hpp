#pragma once
/// RL103 expired-temporary: see docs/checks/RL103.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_expired_temporary();
}  // namespace rl
