#pragma once
/// RL201 redirect-chain: see docs/checks/RL201.md.
#include <memory>
#include <vector>

#include "checks/registry.hpp"

namespace rl {
namespace analysis {
struct RedirectGraph;
struct HopRecord;
}
std::unique_ptr<Check> make_redirect_chain();
/// RL006 (info) for each walk of `g` that stopped at a regex match limit: chains and loops through
/// it are unknown, and the user should hear it. RL201 and RL202 both call it; run_checks reports
/// the same note once.
void report_graph_limits(const CheckContext& ctx, const analysis::RedirectGraph& g, Reporter& out);
/// Adds the first `max` hops of a walk to `d`: a "hop N: /a -> 301 /b" note at each answering rule, and
/// the example request with its hops. RL201 and RL202 describe every walk this way.
void add_hops(const CheckContext& ctx, const std::vector<analysis::HopRecord>& hops, std::size_t max, Diagnostic& d);
}  // namespace rl
