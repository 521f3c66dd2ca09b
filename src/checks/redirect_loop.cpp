#include "checks/redirect_loop.hpp"

#include "analysis/facts.hpp"
#include "analysis/redirect_graph.hpp"
#include "analysis/shared_facts.hpp"
#include "checks/redirect_chain.hpp"

namespace rl {

namespace {

class RedirectLoop final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    std::optional<analysis::SharedFacts> local;
    const analysis::RedirectGraph& g =
        analysis::SharedFacts::of(ctx, local).redirect_graph(ctx.options.max_hops, ctx.options.chain_min_hops);
    for (const analysis::LoopFinding& l : g.loops) {
      const Rule& first = ctx.rules.rules[l.cycle[0].rule];
      // One unconditional rule sending a URL to itself is RL106 (self-redirect).
      if (l.cycle.size() == 1 && first.conds.empty()) continue;
      std::string path = l.cycle[0].request.target;
      for (const analysis::HopRecord& h : l.cycle) path += " -> " + h.outcome.location;
      Diagnostic d = make_diagnostic("RL202", first.where,
                                     "redirect loop: " + analysis::quoted(describe(l.cycle[0].request)) + " comes back to itself after " +
                                         std::to_string(l.cycle.size()) + " redirect" + (l.cycle.size() == 1 ? "" : "s") +
                                         " (" + path + ")");
      Example e{describe(l.cycle[0].request), {}};
      for (std::size_t i = 0; i < l.cycle.size(); ++i) {
        const analysis::HopRecord& h = l.cycle[i];
        d.related.push_back({ctx.rules.rules[h.rule].where, "hop " + std::to_string(i + 1) + ": " + h.request.target +
                                                                 " -> " + std::to_string(h.outcome.status) + " " +
                                                                 h.outcome.location});
        e.hops.push_back({request_url(h.request), h.outcome.status, h.outcome.location});
      }
      d.example = std::move(e);
      out.report(std::move(d));
    }
    report_graph_limits(ctx, g, out);
  }
};

}  // namespace

std::unique_ptr<Check> make_redirect_loop() { return std::make_unique<RedirectLoop>(); }

}  // namespace rl
