#pragma once
/// Rules with the same source (same match, conditions and scope): the first final one wins, so the
/// later ones never fire (RL204 duplicate-rule when the result is the same, RL205 conflicting-rule
/// when it differs). Grouping is one hash map over the rules: O(n).
#include <string>
#include <vector>

#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl::analysis {

struct SameSourcePair {
  RuleId first = 0;   ///< the rule that wins
  RuleId later = 0;   ///< the rule that never fires
  bool same_result = false;
  Request request;    ///< proof: the simulator answers it with `first`, and `later` does not fire
  Outcome outcome;
};

/// Every later rule whose source equals an earlier final rule's, confirmed by the simulator.
std::vector<SameSourcePair> same_source_pairs(const RuleSet& rs);
class SharedFacts;
/// The same on facts.rules() with its cached example paths (checks: SharedFacts::same_source_pairs).
std::vector<SameSourcePair> same_source_pairs(SharedFacts& facts);

/// The grouping key: format family, scope, match and conditions (exposed for shadowing, which leaves
/// same-source pairs to RL204/RL205).
std::string source_key(const RuleSet& rs, const Rule& r);

/// True when the rule answers every request it fires for (nothing after it runs for that request).
bool is_final(const RuleSet& rs, const Rule& r);

/// A short description of what a rule does: `301 "/b"`, `410`, `rewrite to "/x"`.
std::string result_text(const Rule& r);

}  // namespace rl::analysis
