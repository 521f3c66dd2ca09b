#include "checks/https_downgrade.hpp"

#include "analysis/facts.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

bool is_loopback(std::string_view authority) {
  std::string h = url::split_host(authority).name;
  return h == "localhost" || h == "127.0.0.1" || h == "[::1]";
}

class HttpsDowngrade final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r)) continue;
      analysis::TargetShape s = analysis::target_shape(*r.target);
      if (!s.absolute || s.scheme != "http") continue;
      std::string restricted = analysis::scheme_restriction(ctx.rules, r);
      if (restricted == "http") continue;
      if (auto host = analysis::literal_text(s.authority); host && is_loopback(*host)) continue;
      std::string when = restricted == "https" ? "this https-only rule" : "an https request";
      out.report(make_diagnostic("RL108", r.where,
                                 "redirect target " + analysis::quoted(r.target->url) + " is plain http: " + when +
                                     " is sent back to an unencrypted URL; use https://"));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_https_downgrade() { return std::make_unique<HttpsDowngrade>(); }

}  // namespace rl
