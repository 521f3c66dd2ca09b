#include "checks/expired_temporary.hpp"

#include "analysis/facts.hpp"
#include "checks/edits.hpp"
#include "checks/rule_example.hpp"

namespace rl {

namespace {

class ExpiredTemporary final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    RuleExamples examples(ctx);
    std::string today = ctx.options.today.empty() ? analysis::today_utc() : ctx.options.today;
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r) || !analysis::is_temporary(r.status) || !r.notes->until) continue;
      if (*r.notes->until >= today) continue;
      int to = permanent_counterpart(r.status);
      Diagnostic d = make_diagnostic("RL103", r.where,
                                     "temporary redirect (" + std::to_string(r.status) + ") was due for review on " +
                                         *r.notes->until + ": make it permanent (" +
                                         std::to_string(to) + ") or remove it");
      if (auto e = status_edit(ctx.files, r, to))
        d.fix = Fix{"make the redirect permanent (" + std::to_string(to) + ")", false, {*e}};
      d.example = examples.of(r);
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_expired_temporary() { return std::make_unique<ExpiredTemporary>(); }

}  // namespace rl
