#pragma once
/// The redirect graph (DESIGN §5): witness requests of every redirect rule, each on an origin where
/// that rule answers (witness_on_origins), followed hop by hop through the one walk (walk.hpp).
/// Chains (2+ redirect hops), loops (a URL visited twice), redirects that never end, and the detours
/// canonical rules (force-https, canonical host) add in front of the others, with their proofs.
/// Literal rule sets stay O(n): a hop is only simulated when the prefix index says some rule may
/// match the Location.
#include <optional>
#include <string>
#include <vector>

#include "analysis/walk.hpp"
#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl::analysis {

struct ChainFinding {
  std::vector<HopRecord> hops;  ///< 2+ redirect hops; hops[0].rule is the first rule of the chain
  Request final_request;        ///< where the client ends up (the request after the last hop)
  bool final_known = true;      ///< false when the last Location cannot be followed or its answer is unknown
};

struct LoopFinding {
  std::vector<HopRecord> cycle;  ///< starts at the rule that comes first in the file; the last Location leads back to cycle[0]
};

/// A walk that never ends: a rule whose target its own pattern (or a rule it leads to) matches again.
struct ForeverFinding {
  std::vector<HopRecord> hops;  ///< the walk from the reporting rule's witness (max_hops + 1 redirects, or until the URL is too long)
  bool grew = false;            ///< the URL grew past what servers accept (414) before the hop limit
};

/// A canonical rule (its answer keeps the path and changes scheme or host) in front of other redirects:
/// on the origin it answers for, those rules are only reached through it, one hop later.
struct CanonicalDetour {
  RuleId rule = 0;              ///< the canonical rule
  std::size_t count = 0;        ///< redirect rules reached only after its hop on the first origin tried
  std::vector<HopRecord> example;  ///< its hop, then the walk of the first such rule
};

/// A walk that stopped because PCRE2's match or depth limit was hit, or on an unknown value (OutcomeKind::unknown): what happens to `request` is
/// unknown, so chains and loops through it are not analysed (reported as RL006, never silent).
struct LimitHit {
  Request request;   ///< the request whose answer is unknown
  std::string note;  ///< the simulator's note (which rule's regex hit the limit)
  RuleId rule = 0;   ///< the redirect rule whose walk stopped there (its Location led to `request`, or its own example)
};

struct RedirectGraph {
  std::vector<ChainFinding> chains;      ///< one per rule at most, every rule whose witness needs 2+ redirects
  std::vector<LoopFinding> loops;
  std::vector<ForeverFinding> forever;
  std::vector<CanonicalDetour> detours;  ///< in rule order
  std::vector<LimitHit> limits;          ///< one per walking rule at most, in rule order
};

/// Builds chains and loops for `rs`. `max_hops` bounds each walk; a chain needs `min_hops` redirects.
RedirectGraph redirect_graph(const RuleSet& rs, int max_hops, int min_hops);

class SharedFacts;
/// The same on facts.rules(), with the per-rule facts taken from (and left in) `facts`; checks reach it
/// through SharedFacts::redirect_graph, which builds it once.
RedirectGraph build_redirect_graph(SharedFacts& facts, int max_hops, int min_hops);

}  // namespace rl::analysis
