#include "checks/self_redirect.hpp"

#include "analysis/facts.hpp"
#include "analysis/shared_facts.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

// The path a target leads to when it stays on the request's scheme and host; nullopt otherwise.
std::optional<std::string> same_place_path(const RuleSet& rs, const Rule& r, const std::string& expanded,
                                           std::string_view scheme) {
  std::string rest = expanded;
  if (url::is_absolute(expanded)) {
    analysis::TargetShape s = analysis::target_shape(*r.target);
    url::UrlParts parts;
    if (!url::split_absolute(expanded, parts)) return std::nullopt;
    bool host_ok = (s.authority.size() == 1 && s.authority[0].kind == PartKind::variable &&
                    (s.authority[0].text == "host" || s.authority[0].text == "http_host"));
    if (!host_ok) {
      auto hosts = analysis::literal_hosts(rs, r);
      host_ok = hosts.size() == 1 && url::split_host(parts.authority).name == hosts[0];
    }
    if (!host_ok || (s.scheme != "${scheme}" && s.scheme != scheme)) return std::nullopt;
    rest = parts.rest;
  }
  auto q = rest.find_first_of("?#");
  if (q != std::string::npos) rest.resize(q);
  std::string decoded;
  if (!url::percent_decode(rest, decoded)) return std::nullopt;
  return decoded;
}

class SelfRedirect final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    const RuleSet& rs = ctx.rules;
    std::optional<analysis::SharedFacts> local;
    analysis::SharedFacts& facts = analysis::SharedFacts::of(ctx, local);
    for (const Rule& r : rs.rules) {
      // Conditions (query, host, scheme) usually stop the second round: no claim then.
      if (!analysis::is_redirect(r) || !r.conds.empty()) continue;
      std::string scheme = analysis::scheme_restriction(rs, r);
      if (scheme.empty()) scheme = "http";
      std::span<const std::string> examples = facts.example_paths(r.id);
      if (examples.empty()) continue;
      auto hosts = analysis::literal_hosts(rs, r);
      std::string host = hosts.empty() ? "example.com" : hosts[0];
      std::vector<TemplatePart> target_parts = parse_template(r.target->url);
      for (const std::string& p : examples) {
        auto t = analysis::expand_for_path(r, target_parts, facts.match_regex(r.id), p, scheme, host);
        if (!t) continue;
        auto back = same_place_path(rs, r, *t, scheme);
        if (!back || *back != p) continue;
        Diagnostic d = make_diagnostic("RL106", r.where,
                                       "redirect target " + analysis::quoted(r.target->url) + " is the source itself: " +
                                           analysis::quoted(p) + " redirects to " + analysis::quoted(*t) +
                                           " forever");
        std::string url = scheme + "://" + host + analysis::encode_path(p);
        d.example = Example{"GET " + url, {Hop{url, r.status, *t}}};
        out.report(std::move(d));
        break;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_self_redirect() { return std::make_unique<SelfRedirect>(); }

}  // namespace rl
