#pragma once
/// The example request of a finding about one rule (DESIGN §5: every RL1xx finding carries one): a path
/// the rule matches, sent through the simulator, kept only when that rule answers it.
#include <optional>

#include "checks/registry.hpp"
#include "simulate/simulate.hpp"

namespace rl {

/// A request the rule answers with its redirect, and the simulator's answer; nullopt when none of the rule's
/// example paths reaches it (conditions, an earlier rule) or the answer is unknown. `scheme` ("http" or
/// "https") is the request's scheme when the rule does not restrict it ("" = http); `method` its method.
std::optional<Example> rule_example(const CheckContext& ctx, const Rule& r, std::string_view scheme = "",
                                    std::string_view method = "GET");

/// Sends `req` through the simulator; an Example when rule `r` is the one that answers it with a redirect.
std::optional<Example> example_if_answered(const CheckContext& ctx, const Rule& r, const Request& req);

}  // namespace rl
