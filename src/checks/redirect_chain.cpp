#include "checks/redirect_chain.hpp"

#include "analysis/facts.hpp"
#include "analysis/redirect_graph.hpp"
#include "analysis/shared_facts.hpp"
#include "checks/edits.hpp"
#include "simulate/url.hpp"
#include "util/limits.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

// Flattening is exact only when the first rule answers one literal path with a literal target and
// no hop touches the query string.
std::optional<Fix> flatten_fix(const CheckContext& ctx, const analysis::ChainFinding& c) {
  const Rule& first = ctx.rules.rules[c.hops[0].rule];
  bool exact = first.match.kind == MatchKind::exact || (first.match.kind == MatchKind::regex && analysis::regex_literal(first.match.text));
  if (!exact || !first.conds.empty() || !first.target || !c.final_known) return std::nullopt;
  if (!analysis::literal_text(parse_template(first.target->url))) return std::nullopt;
  for (const analysis::HopRecord& h : c.hops) {
    const Rule& r = ctx.rules.rules[h.rule];
    if (!r.target || r.target->query != QueryMode::keep) return std::nullopt;
  }
  const Request& start = c.hops[0].request;
  std::string final_url = request_url(c.final_request);
  if (!first.target->absolute && c.final_request.scheme == start.scheme &&
      url::split_host(c.final_request.host).name == url::split_host(start.host).name && c.final_request.port == start.port)
    final_url = c.final_request.target;
  if (final_url.find('?') != std::string::npos) return std::nullopt;
  auto e = target_edit(ctx.files, first, first.target->url, final_url);
  if (!e) return std::nullopt;
  return Fix{"point this rule at the final target " + analysis::quoted(final_url), true, {*e}};
}

class RedirectChain final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    std::optional<analysis::SharedFacts> local;
    const analysis::RedirectGraph& g =
        analysis::SharedFacts::of(ctx, local).redirect_graph(ctx.options.max_hops, ctx.options.chain_min_hops);
    for (const analysis::ChainFinding& c : g.chains) {
      const Rule& first = ctx.rules.rules[c.hops[0].rule];
      std::string path = c.hops[0].request.target;
      for (const analysis::HopRecord& h : c.hops) path += " -> " + h.outcome.location;
      // Through a RewriteMap entry: reported at the entry, the rule that read it is a note.
      const bool entry = c.hops[0].where.valid() && c.hops[0].where != first.where;
      Diagnostic d = make_diagnostic("RL201", entry ? c.hops[0].where : first.where,
                                     "redirect chain: " + analysis::quoted(describe(c.hops[0].request)) + " needs " +
                                         std::to_string(c.hops.size()) + " redirects (" + path + "); point this " +
                                         (entry ? "map entry" : "rule") + " at the final target");
      if (entry) d.related.push_back({first.where, "the rule that reads this map entry"});
      add_hops(ctx, c.hops, c.hops.size(), d);
      if (!entry) d.fix = flatten_fix(ctx, c);
      out.report(std::move(d));
    }
    for (const analysis::CanonicalDetour& d : g.detours) report_detour(ctx, d, out);
    report_graph_limits(ctx, g, out);
  }

 private:
  // One finding per canonical rule, not one per rule behind it (info: the hop is the price of the
  // canonical rule; it is worth saving, not a broken redirect).
  static void report_detour(const CheckContext& ctx, const analysis::CanonicalDetour& d, Reporter& out) {
    if (d.example.size() < 2) return;
    const Rule& canonical = ctx.rules.rules[d.rule];
    const analysis::HopRecord& hop = d.example[0];
    Request final_origin;
    if (!follow(hop.request, hop.outcome.location, final_origin)) return;
    std::string path = d.example[0].request.target;
    for (const analysis::HopRecord& h : d.example) path += " -> " + h.outcome.location;
    auto origin_of = [](const Request& r) { return r.scheme + "://" + url::split_host(r.host).name; };
    std::string n = std::to_string(d.count);
    Diagnostic diag = make_diagnostic(
        "RL201", canonical.where,
        "canonical hop in front of " + n + " redirect" + (d.count == 1 ? "" : "s") + ": requested on " +
            analysis::quoted(origin_of(hop.request)) + ", they first go to " + analysis::quoted(origin_of(final_origin)) +
            " (e.g. " + path + "); to save the hop, answer those paths before this rule with targets on " +
            analysis::quoted(origin_of(final_origin)));
    diag.severity = Severity::info;
    add_hops(ctx, d.example, 3, diag);
    out.report(std::move(diag));
  }
};

}  // namespace

void add_hops(const CheckContext& ctx, const std::vector<analysis::HopRecord>& hops, std::size_t max, Diagnostic& d) {
  Example e{hops.empty() ? std::string() : describe(hops.front().request), {}};
  for (std::size_t i = 0; i < hops.size() && i < max; ++i) {
    const analysis::HopRecord& h = hops[i];
    d.related.push_back({h.where.valid() ? h.where : ctx.rules.rules[h.rule].where, "hop " + std::to_string(i + 1) + ": " + h.request.target +
                                                             " -> " + std::to_string(h.outcome.status) + " " +
                                                             h.outcome.location});
    e.hops.push_back({request_url(h.request), h.outcome.status, h.outcome.location});
  }
  d.example = std::move(e);
}

void report_graph_limits(const CheckContext& ctx, const analysis::RedirectGraph& g, Reporter& out) {
  for (const analysis::LimitHit& h : g.limits) {
    Diagnostic d = make_diagnostic(
        "RL006", ctx.rules.rules[h.rule].where,
        "what " + analysis::quoted(describe(h.request)) + " gets is unknown (" + h.note +
            "): redirect chains and loops from this rule are not analysed" +
            (h.note.find("match limit") != std::string::npos
                 ? " (" + limit_hint(LimitId::regex_match, Regex::match_limit()) + ")"
                 : std::string()));
    out.report(std::move(d));
  }
}

std::unique_ptr<Check> make_redirect_chain() { return std::make_unique<RedirectChain>(); }

}  // namespace rl
