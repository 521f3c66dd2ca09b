#pragma once
/// The example request of a finding about one rule (DESIGN §5: every RL1xx finding carries one).
#include <optional>

#include "checks/registry.hpp"
#include "simulate/simulate.hpp"

namespace rl {

/// Sends `req` through the simulator; an Example when rule `r` is the one that answers it with a redirect.
std::optional<Example> example_if_answered(const CheckContext& ctx, const Rule& r, const Request& req);

/// Example requests for one check's findings. A rule without conditions gets its own answer for one of its
/// example paths (its target expanded, as RL106 does; no simulation). A rule with conditions is sent through
/// the simulator and kept only when that rule answers; at most kSimulated of those per check and file,
/// because one simulated request costs up to a scan of every rule (10^5 rules: 4 ms each).
class RuleExamples {
 public:
  static constexpr int kSimulated = 256;
  explicit RuleExamples(const CheckContext& ctx) : ctx_(ctx) {}
  /// `scheme` ("http"/"https") is the request's scheme when the rule does not restrict it ("" = http);
  /// `method` its method. nullopt when no example path reaches the rule or the budget is spent.
  std::optional<Example> of(const Rule& r, std::string_view scheme = "", std::string_view method = "GET");

 private:
  const CheckContext& ctx_;
  int simulated_ = 0;
};

}  // namespace rl
