#include "checks/conflicting_rule.hpp"

#include "analysis/facts.hpp"
#include "analysis/same_source.hpp"
#include "analysis/shared_facts.hpp"

namespace rl {

namespace {

class ConflictingRule final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    const RuleSet& rs = ctx.rules;
    std::optional<analysis::SharedFacts> local;
    for (const analysis::SameSourcePair& p : analysis::SharedFacts::of(ctx, local).same_source_pairs()) {
      if (p.same_result) continue;
      const Rule& a = rs.rules[p.first];
      const Rule& b = rs.rules[p.later];
      Diagnostic d = make_diagnostic("RL205", b.where,
                                     "conflicting rule: " + analysis::place(ctx.files, a.where) +
                                         " has the same source and wins with " + analysis::result_text(a) +
                                         ", so this " + analysis::result_text(b) + " never fires");
      d.related.push_back({a.where, "this rule answers first: " + analysis::result_text(a)});
      d.example = Example{describe(p.request), {{request_url(p.request), p.outcome.status, p.outcome.location}}};
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_conflicting_rule() { return std::make_unique<ConflictingRule>(); }

}  // namespace rl
