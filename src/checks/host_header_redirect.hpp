#pragma once
/// RL110 host-header-redirect: see docs/checks/RL110.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
std::unique_ptr<Check> make_host_header_redirect();
}  // namespace rl
