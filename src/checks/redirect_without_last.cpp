#include "checks/redirect_without_last.hpp"

#include "analysis/facts.hpp"
#include "simulate/url.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

// Inserts ",L" before the closing ']' of the rule's flags on its first line.
std::optional<Edit> add_last_flag(const SourceFiles& files, const Rule& r) {
  std::string_view line = files.line_text(r.where.file, r.where.line);
  std::size_t close = line.rfind(']');
  std::size_t open = line.rfind('[', close);
  if (close == std::string_view::npos || open == std::string_view::npos || open + 1 < r.where.column) return std::nullopt;
  auto col = static_cast<std::uint32_t>(close + 1);
  return Edit{SourceRange{r.where.file, r.where.line, col, r.where.line, col}, ",L"};
}

// After [R] without L, mod_rewrite goes on with the ABSOLUTE target (SEMANTICS 2.3). The first later
// RewriteRule of the same context whose pattern matches that URL for an example request; nullptr if none.
const Rule* later_match(const RuleSet& rs, std::size_t i) {
  const Rule& r = rs.rules[i];
  std::vector<std::string> targets;
  for (const std::string& p : analysis::example_paths(rs, r)) {
    auto t = analysis::expand_for_path(r, p, "http", "example.com");
    if (!t) continue;
    targets.push_back(url::is_absolute(*t) ? *t : "http://example.com" + *t);
  }
  for (std::size_t j = i + 1; j < rs.rules.size(); ++j) {
    const Rule& o = rs.rules[j];
    if (!url::iequals(o.origin.directive, "RewriteRule") || o.scope.block != r.scope.block || o.scope.server != r.scope.server)
      continue;
    if (o.match.kind != MatchKind::regex) continue;
    auto re = Regex::compile(o.match.text, o.match.ignore_case);
    if (!re) continue;
    for (const std::string& t : targets)
      if (re->matches(t) != o.match.negated) return &o;
  }
  return nullptr;
}

class RedirectWithoutLast final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    const auto& rules = ctx.rules.rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const Rule& r = rules[i];
      if (!analysis::is_redirect(r) || !url::iequals(r.origin.directive, "RewriteRule")) continue;
      if (r.flags->last || r.flags->end || r.flow != Flow::next) continue;
      const Rule* later = later_match(ctx.rules, i);
      if (!later) continue;
      Diagnostic d = make_diagnostic("RL109", r.where,
                                     "RewriteRule redirects (" + std::to_string(r.status) +
                                         ") without the L flag: the rules after it still rewrite the target; add L");
      d.related.push_back({later->where, "this later RewriteRule still matches the redirect target"});
      if (auto e = add_last_flag(ctx.files, r)) d.fix = Fix{"add the L flag", false, {*e}};
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_redirect_without_last() { return std::make_unique<RedirectWithoutLast>(); }

}  // namespace rl
