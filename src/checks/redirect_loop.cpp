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
      Diagnostic d = make_diagnostic("RL202", l.cycle[0].where.valid() ? l.cycle[0].where : first.where,
                                     "redirect loop: " + analysis::quoted(describe(l.cycle[0].request)) + " comes back to itself after " +
                                         std::to_string(l.cycle.size()) + " redirect" + (l.cycle.size() == 1 ? "" : "s") +
                                         " (" + path + ")");
      if (l.cycle[0].where.valid() && l.cycle[0].where != first.where)
        d.related.push_back({first.where, "the rule that reads this map entry"});
      add_hops(ctx, l.cycle, l.cycle.size(), d);
      out.report(std::move(d));
    }
    for (const analysis::ForeverFinding& f : g.forever) report_forever(ctx, f, out);
    report_graph_limits(ctx, g, out);
  }

 private:
  static void report_forever(const CheckContext& ctx, const analysis::ForeverFinding& f, Reporter& out) {
    const analysis::HopRecord& start = f.hops.front();
    std::string path = start.request.target;
    for (std::size_t i = 0; i < f.hops.size() && i < 3; ++i) path += " -> " + f.hops[i].outcome.location;
    path += " -> ...";
    std::string why = f.grew ? "the URL grows with every hop until the server refuses it (414)"
                             : "still redirecting after " + std::to_string(f.hops.size() - 1) + " redirects";
    Diagnostic d = make_diagnostic("RL202", ctx.rules.rules[start.rule].where,
                                   "redirects forever: " + analysis::quoted(describe(start.request)) + " (" + path +
                                       ") never ends, " + why + "; browsers give up after " +
                                       std::to_string(analysis::kBrowserMaxRedirects) + " hops");
    add_hops(ctx, f.hops, 3, d);
    out.report(std::move(d));
  }
};

}  // namespace

std::unique_ptr<Check> make_redirect_loop() { return std::make_unique<RedirectLoop>(); }

}  // namespace rl
