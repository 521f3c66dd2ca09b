#include "checks/https_downgrade.hpp"

#include "analysis/facts.hpp"
#include "checks/rule_example.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

bool is_loopback(std::string_view authority) {
  std::string h = url::split_host(authority).name;
  return h == "localhost" || h == "127.0.0.1" || h == "[::1]";
}

// Only a target written with a literal "http:" or "https:" start has that scheme in target_shape():
// the cheap test that spares splitting every other target.
bool may_name_http_scheme(const Target& t) {
  return t.url.size() >= 5 && url::iequals(std::string_view(t.url).substr(0, 4), "http");
}

// Does the site serve https at all? (an https server block, https conditions, https targets)
bool serves_https(const RuleSet& rs) {
  for (const Block& b : rs.blocks)
    if (b.https) return true;
  for (const Rule& r : rs.rules) {
    if (analysis::scheme_restriction(rs, r) == "https") return true;
    if (r.target && may_name_http_scheme(*r.target) && analysis::target_shape(*r.target).scheme == "https") return true;
  }
  return false;
}

class HttpsDowngrade final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    RuleExamples examples(ctx);
    bool https_site = serves_https(ctx.rules);
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r) || !may_name_http_scheme(*r.target)) continue;
      analysis::TargetShape s = analysis::target_shape(*r.target);
      if (!s.absolute || s.scheme != "http") continue;
      std::string restricted = analysis::scheme_restriction(ctx.rules, r);
      // Without a sign that https is served here, an http target is no downgrade we can prove.
      if (restricted == "http" || (restricted.empty() && !https_site)) continue;
      if (auto host = analysis::literal_text(s.authority); host && is_loopback(*host)) continue;
      std::string when = restricted == "https" ? "this https-only rule" : "an https request";
      Diagnostic d = make_diagnostic("RL108", r.where,
                                     "redirect target " + analysis::quoted(r.target->url) + " is plain http: " + when +
                                         " is sent back to an unencrypted URL; use https://");
      d.example = examples.of(r, "https");
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_https_downgrade() { return std::make_unique<HttpsDowngrade>(); }

}  // namespace rl
