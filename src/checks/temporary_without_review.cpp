#include "checks/temporary_without_review.hpp"

#include "analysis/facts.hpp"
#include "checks/rule_example.hpp"

namespace rl {

namespace {

class TemporaryWithoutReview final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    RuleExamples examples(ctx);
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r) || !analysis::is_temporary(r.status) || r.notes->until) continue;
      std::string how = r.origin.format == Format::yaml ? "`until: YYYY-MM-DD`" : "`# redirlint: until=YYYY-MM-DD`";
      Diagnostic d = make_diagnostic("RL104", r.where,
                                     "temporary redirect (" + std::to_string(r.status) + ") has no review date: add " +
                                         how + " or make it permanent");
      d.example = examples.of(r);
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_temporary_without_review() { return std::make_unique<TemporaryWithoutReview>(); }

}  // namespace rl
