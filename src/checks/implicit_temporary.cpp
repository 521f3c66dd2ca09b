#include "checks/implicit_temporary.hpp"

#include "analysis/facts.hpp"
#include "checks/edits.hpp"
#include "checks/rule_example.hpp"
#include "checks/status_intent.hpp"

namespace rl {

namespace {

class ImplicitTemporary final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    RuleExamples examples(ctx);
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r) || !r.status_implicit || r.status != 302 || says_temporary(ctx.files, r)) continue;
      std::string how = r.origin.format == Format::yaml ? "`until: YYYY-MM-DD`" : "`# redirlint: until=YYYY-MM-DD`";
      Diagnostic d = make_diagnostic("RL101", r.where,
                                     "implicit 302 (no status written) with no review date: write 301 if the move is "
                                     "permanent, or 302 with " + how + " if it is temporary");
      if (auto e = status_edit(ctx.files, r, 302)) d.fix = Fix{"write the status 302 explicitly", true, {*e}};
      d.example = examples.of(r);
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_implicit_temporary() { return std::make_unique<ImplicitTemporary>(); }

}  // namespace rl
