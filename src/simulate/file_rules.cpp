// Placeholder until the file_rules simulator lands (issue 4); replaced wholesale by its owner.
#include "simulate/simulate.hpp"

namespace rl {

Outcome simulate_file_rules(const RuleSet&, const Request&, const SimOptions&) {
  Outcome o;
  o.note = "the file_rules simulator is not built yet";
  return o;
}

}  // namespace rl
