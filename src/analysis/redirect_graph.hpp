#pragma once
/// The redirect graph (DESIGN §5): witness requests of every redirect rule, followed hop by hop
/// through simulate(). Chains (2+ redirect hops) and loops (a URL visited twice) with their proofs.
/// Literal rule sets stay O(n): a hop is only simulated when the prefix index says some rule may
/// match the Location.
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl::analysis {

/// One redirect response on the way: the request, what the simulator answered, which rule answered.
struct HopRecord {
  Request request;
  Outcome outcome;
  RuleId rule = 0;
};

struct ChainFinding {
  std::vector<HopRecord> hops;  ///< 2+ redirect hops; hops[0].rule is the first rule of the chain
  Request final_request;        ///< where the client ends up (the request after the last hop)
};

struct LoopFinding {
  std::vector<HopRecord> cycle;  ///< starts at the rule that comes first in the file; the last Location leads back to cycle[0]
};

/// A walk that stopped because PCRE2's match or depth limit was hit: what happens to `request` is
/// unknown, so chains and loops through it are not analysed (reported as RL006, never silent).
struct LimitHit {
  Request request;   ///< the request whose answer is unknown
  std::string note;  ///< the simulator's note (which rule's regex hit the limit)
  RuleId rule = 0;   ///< the redirect rule whose walk stopped there (its Location led to `request`, or its own example)
};

struct RedirectGraph {
  std::vector<ChainFinding> chains;
  std::vector<LoopFinding> loops;
  std::vector<LimitHit> limits;  ///< one per walking rule at most, in rule order
};

/// Builds chains and loops for `rs`. `max_hops` bounds each walk; a chain needs `min_hops` redirects.
RedirectGraph redirect_graph(const RuleSet& rs, int max_hops, int min_hops);

class SharedFacts;
/// The same on facts.rules(), with the per-rule facts taken from (and left in) `facts`; checks reach it
/// through SharedFacts::redirect_graph, which builds it once.
RedirectGraph build_redirect_graph(SharedFacts& facts, int max_hops, int min_hops);

}  // namespace rl::analysis
