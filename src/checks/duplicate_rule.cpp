#include "checks/duplicate_rule.hpp"

#include "analysis/facts.hpp"
#include "analysis/same_source.hpp"
#include "analysis/shared_facts.hpp"
#include "checks/edits.hpp"

namespace rl {

namespace {

class DuplicateRule final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    const RuleSet& rs = ctx.rules;
    std::optional<analysis::SharedFacts> local;
    for (const analysis::SameSourcePair& p : analysis::SharedFacts::of(ctx, local).same_source_pairs()) {
      if (!p.same_result) continue;
      const Rule& a = rs.rules[p.first];
      const Rule& b = rs.rules[p.later];
      Diagnostic d = make_diagnostic("RL204", b.where,
                                     "duplicate rule: the same source and result (" + analysis::result_text(b) +
                                         ") as " + analysis::place(ctx.files, a.where) + ", which always answers first");
      d.related.push_back({a.where, "the first copy of this rule"});
      d.example = Example{describe(p.request), {{request_url(p.request), p.outcome.status, p.outcome.location}}};
      if (auto e = delete_rule_edit(ctx.files, rs, b)) d.fix = Fix{"delete the duplicate rule", true, {*e}};
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_duplicate_rule() { return std::make_unique<DuplicateRule>(); }

}  // namespace rl
