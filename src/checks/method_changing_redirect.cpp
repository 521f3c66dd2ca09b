#include "checks/method_changing_redirect.hpp"

#include "analysis/facts.hpp"
#include "checks/rule_example.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

// True when the condition holds for `method`.
bool condition_accepts(const Condition& c, std::string_view method) {
  bool m;
  if (c.op == CondOp::equal) m = c.pattern.text == method;
  else if (c.op == CondOp::regex) {
    auto re = Regex::compile(c.pattern.text, c.pattern.ignore_case);
    if (!re) return false;
    m = re->matches(method);
  } else
    return false;
  return c.pattern.negated ? !m : m;
}

// Why the method matters for this rule ("" when it does not); `method` is set to the method it names.
std::string method_reason(const Rule& r, std::string& method) {
  for (const Condition& c : r.conds) {
    if (c.test != "${method}" || c.or_next) continue;
    if (condition_accepts(c, "GET")) continue;  // a rule for every method, not for POST endpoints
    for (const char* m : {"POST", "PUT", "PATCH", "DELETE"})
      if (condition_accepts(c, m)) {
        method = m;
        return std::string("the rule applies to ") + m + " requests (condition " +
                                          analysis::quoted(c.original.empty() ? c.pattern.text : c.original) + ")";
      }
  }
  return "";
}

class MethodChangingRedirect final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    RuleExamples examples(ctx);
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r) || (r.status != 301 && r.status != 302)) continue;
      std::string method;
      std::string why = method_reason(r, method);
      if (why.empty()) continue;
      int keep = r.status == 301 ? 308 : 307;
      Diagnostic d = make_diagnostic("RL105", r.where,
                                     std::to_string(r.status) + " lets clients turn a POST into a GET, but " + why +
                                         ": use " + std::to_string(keep));
      d.example = examples.of(r, "", method);
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_method_changing_redirect() { return std::make_unique<MethodChangingRedirect>(); }

}  // namespace rl
