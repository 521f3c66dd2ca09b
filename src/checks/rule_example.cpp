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

std::optional<Example> rule_example(const CheckContext& ctx, const Rule& r, std::string_view scheme,
                                    std::string_view method) {
  std::optional<analysis::SharedFacts> local;
  analysis::SharedFacts& facts = analysis::SharedFacts::of(ctx, local);
  Request req;
  req.method = method;
  std::string restricted = analysis::scheme_restriction(ctx.rules, r);
  if (!restricted.empty()) req.scheme = restricted;
  else if (!scheme.empty()) req.scheme = scheme;
  auto hosts = analysis::literal_hosts(ctx.rules, r);
  if (!hosts.empty()) req.host = hosts[0];
  int tries = 0;
  for (const std::string& p : facts.example_paths(r.id)) {
    if (++tries > 3) break;
    req.target = analysis::encode_path(p);
    if (auto e = example_if_answered(ctx, r, req)) return e;
  }
  return std::nullopt;
}

}  // namespace rl
