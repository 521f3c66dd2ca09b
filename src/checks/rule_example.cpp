#include "checks/rule_example.hpp"

#include "analysis/facts.hpp"
#include "analysis/shared_facts.hpp"

namespace rl {

std::optional<Example> example_if_answered(const CheckContext& ctx, const Rule& r, const Request& req) {
  std::optional<analysis::SharedFacts> local;
  analysis::SharedFacts& facts = analysis::SharedFacts::of(ctx, local);
  Outcome o = simulate(ctx.rules, req, facts.evidence_options());
  if (o.kind != OutcomeKind::redirect || o.fired.empty() || o.fired.back().rule != r.id) return std::nullopt;
  return Example{describe(req), {Hop{request_url(req), o.status, o.location}}};
}

std::optional<Example> RuleExamples::of(const Rule& r, std::string_view scheme, std::string_view method) {
  std::optional<analysis::SharedFacts> local;
  analysis::SharedFacts& facts = analysis::SharedFacts::of(ctx_, local);
  Request req;
  req.method = method;
  std::string restricted = analysis::scheme_restriction(ctx_.rules, r);
  if (!restricted.empty()) req.scheme = restricted;
  else if (!scheme.empty()) req.scheme = scheme;
  auto hosts = analysis::literal_hosts(ctx_.rules, r);
  if (!hosts.empty()) req.host = hosts[0];
  std::span<const std::string> paths = facts.example_paths(r.id);
  if (r.conds.empty()) {
    for (const std::string& p : paths) {
      auto t = analysis::expand_for_path(r, facts.match_regex(r.id), p, req.scheme, req.host);
      if (!t) continue;
      req.target = analysis::encode_path(p);
      std::string location = *t;
      // Apache makes a relative Location absolute on the request's host (SEMANTICS); nginx depends on
      // absolute_redirect and port settings: the simulator says.
      if (!location.empty() && location[0] == '/' && (location.size() < 2 || location[1] != '/')) {
        if (r.origin.format == Format::apache || r.origin.format == Format::htaccess)
          location = req.scheme + "://" + req.host + location;
        else if (r.origin.format == Format::nginx)
          break;
      }
      return Example{describe(req), {Hop{request_url(req), r.status, location}}};
    }
    if (r.origin.format != Format::nginx) return std::nullopt;
  }
  for (std::size_t i = 0; i < paths.size() && i < 3 && simulated_ < kSimulated; ++i, ++simulated_) {
    req.target = analysis::encode_path(paths[i]);
    if (auto e = example_if_answered(ctx_, r, req)) return e;
  }
  return std::nullopt;
}

}  // namespace rl
