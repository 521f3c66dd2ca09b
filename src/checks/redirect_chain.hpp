#pragma once
/// RL201 redirect-chain: see docs/checks/RL201.md.
#include <memory>

#include "checks/registry.hpp"

namespace rl {
namespace analysis {
struct RedirectGraph;
}
std::unique_ptr<Check> make_redirect_chain();
/// RL006 (info) for each walk of `g` that stopped at a regex match limit: chains and loops through
/// it are unknown, and the user should hear it. RL201 and RL202 both call it; run_checks reports
/// the same note once.
void report_graph_limits(const CheckContext& ctx, const analysis::RedirectGraph& g, Reporter& out);
}  // namespace rl
