#include "checks/implicit_temporary.hpp"

#include "analysis/facts.hpp"
#include "checks/edits.hpp"

namespace rl {

namespace {

class ImplicitTemporary final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r) || !r.status_implicit || r.status != 302) continue;
      Diagnostic d = make_diagnostic("RL101", r.where,
                                     "redirect has no status code, so it is a temporary 302: write 301 if the move is "
                                     "permanent, or 302 to say it is temporary");
      if (auto e = status_edit(ctx.files, r, 302)) d.fix = Fix{"write the status 302 explicitly", true, {*e}};
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_implicit_temporary() { return std::make_unique<ImplicitTemporary>(); }

}  // namespace rl
