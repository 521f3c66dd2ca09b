#pragma once
/// RL104 temporary-without-review: see docs/checks/RL104.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_temporary_without_review();
}  // namespace rl
