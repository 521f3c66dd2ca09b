// Placeholder until the nginx simulator lands (issue 4); replaced wholesale by its owner.
#include "simulate/simulate.hpp"

namespace rl {

Outcome simulate_nginx(const RuleSet&, const Request&, const SimOptions&) {
  Outcome o;
  o.note = "the nginx simulator is not built yet";
  return o;
}

}  // namespace rl
