// Placeholder until the apache simulator lands (issue 4); replaced wholesale by its owner.
#include "simulate/simulate.hpp"

namespace rl {

Outcome simulate_apache(const RuleSet&, const Request&, const SimOptions&) {
  Outcome o;
  o.note = "the apache simulator is not built yet";
  return o;
}

}  // namespace rl
