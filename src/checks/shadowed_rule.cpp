#include "checks/shadowed_rule.hpp"

#include <span>
#include <unordered_map>

#include "analysis/facts.hpp"
#include "analysis/prefix_index.hpp"
#include "analysis/same_source.hpp"
#include "analysis/shared_facts.hpp"
#include "analysis/witness.hpp"
#include "simulate/url.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

bool is_rewrite_rule(const Rule& r) { return url::iequals(r.origin.directive, "RewriteRule"); }

// Can `a` run before `b` for the same request, by the server's order (SEMANTICS 1.7, 2.11, 3.1-3.2)?
// The simulator then confirms on a concrete request.
bool runs_before(const RuleSet& rs, const Rule& a, const Rule& b) {
  if (a.scope.server != b.scope.server || a.scope.dir != b.scope.dir) return false;
  switch (rs.format) {
    case Format::apache:
    case Format::htaccess:
      if (is_rewrite_rule(a) && !is_rewrite_rule(b)) return true;  // mod_rewrite runs before mod_alias
      if (is_rewrite_rule(a) != is_rewrite_rule(b)) return false;
      return a.id < b.id && a.scope.block == b.scope.block;
    case Format::nginx:
      if (!analysis::location_of(rs, a) && analysis::location_of(rs, b)) return true;  // server-level rewrites first
      return a.id < b.id;
    case Format::netlify:
    case Format::netlify_toml:
    case Format::vercel:
    case Format::cloudflare_bulk:
    case Format::page:
    case Format::yaml: return a.id < b.id && !(b.force && !a.force);
    case Format::iis:  // rules in file order, httpRedirect after every rewrite rule
      return a.origin.directive == "httpRedirect" ? b.origin.directive == "httpRedirect" && a.id < b.id
                                                  : b.origin.directive == "httpRedirect" || a.id < b.id;
  }
  return false;
}

// a's conditions must hold whenever b's do: we only accept none, or exactly the same list.
bool conditions_cover(const Rule& a, const Rule& b, const RuleSet& rs) {
  if (a.scope.hosts != b.scope.hosts && !a.scope.hosts.empty()) return false;
  if (a.scope.schemes != b.scope.schemes && !a.scope.schemes.empty()) return false;
  if (a.conds.empty()) return true;
  if (a.conds.size() != b.conds.size()) return false;
  for (std::size_t i = 0; i < a.conds.size(); ++i) {
    const Condition &x = a.conds[i], &y = b.conds[i];
    if (x.test != y.test || x.op != y.op || x.pattern.text != y.pattern.text || x.pattern.negated != y.pattern.negated ||
        x.pattern.ignore_case != y.pattern.ignore_case || x.or_next != y.or_next)
      return false;
  }
  (void)rs;
  return true;
}

// Per-rule caches: automata and compiled patterns are built at most once per rule.
struct RuleCache {
  const RuleSet& rs;
  analysis::SharedFacts& facts;
  // Only the few rules that reach the language test get one (1M empty slots were 40 MB).
  std::unordered_map<RuleId, std::optional<analysis::Language>> langs;

  explicit RuleCache(analysis::SharedFacts& f) : rs(f.rules()), facts(f) {}

  const std::optional<analysis::Language>& language(RuleId id) {
    auto it = langs.find(id);
    if (it == langs.end()) it = langs.emplace(id, analysis::rule_language(rs, rs.rules[id])).first;
    return it->second;
  }
  // Cheap necessary condition for L(b) ⊆ L(a): a's own pattern accepts b's example path.
  bool matches(RuleId id, const std::string& path) {
    const Pattern& p = rs.rules[id].match;
    switch (p.kind) {
      case MatchKind::exact:
        return path == p.text || (p.optional_trailing_slash && (path + "/" == p.text || path == p.text + "/"));
      case MatchKind::prefix:
        return path.compare(0, p.text.size(), p.text) == 0 &&
               (path.size() == p.text.size() || p.text.back() == '/' || path[p.text.size()] == '/');
      case MatchKind::regex: {
        const Regex* re = facts.match_regex(id);
        return re && re->matches(path) != p.negated;
      }
    }
    return false;
  }
};

class ShadowedRule final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    const RuleSet& rs = ctx.rules;
    std::optional<analysis::SharedFacts> local;
    analysis::SharedFacts& facts = analysis::SharedFacts::of(ctx, local);
    const analysis::PrefixIndex& index = facts.prefix_index();
    const SimOptions& opts = facts.evidence_options();
    RuleCache cache(facts);
    for (const Rule& b : rs.rules) {
      if (b.action == Action::none || b.match.negated) continue;
      std::string key_b;
      std::optional<std::span<const std::string>> examples;
      for (RuleId aid : index.candidates_covering_rule(b.id)) {
        if (aid == b.id) continue;
        const Rule& a = rs.rules[aid];
        if (!analysis::is_final(rs, a) || !runs_before(rs, a, b) || !conditions_cover(a, b, rs)) continue;
        if (key_b.empty()) key_b = analysis::source_key(rs, b);
        if (analysis::source_key(rs, a) == key_b) continue;  // RL204 / RL205
        if (!examples) examples = facts.example_paths(b.id);
        if (examples->empty()) break;
        bool all = true;
        for (const std::string& p : *examples) all = all && cache.matches(aid, p);
        if (!all) continue;
        const auto& lb = cache.language(b.id);
        if (!lb) break;
        const auto& la = cache.language(aid);
        if (!la || !lb->subset_of(*la)) continue;
        if (report_if_confirmed(ctx, *examples, a, b, opts, facts, out)) break;
      }
    }
  }

 private:
  // Reports when the simulator shows `a` answering a request `b` matches, without `b` firing.
  static bool report_if_confirmed(const CheckContext& ctx, std::span<const std::string> examples, const Rule& a,
                                  const Rule& b, const SimOptions& opts, analysis::SharedFacts& facts,
                                  Reporter& out) {
    const RuleSet& rs = ctx.rules;
    const analysis::Origins& origins = facts.origins();
    // Per origin: on one where a canonical rule (force-https, canonical host) answers first, `a` is not
    // reached either; the comparison is made on an origin where `a` answers.
    auto answered_by_a = [&](const Outcome& o) { return analysis::fired(o, a.id) && !analysis::fired(o, b.id); };
    for (const std::string& p : examples) {
      auto w = analysis::witness_on_origins(rs, b, analysis::request_for(rs, b, p, facts.conditions()), origins, opts, answered_by_a);
      if (!w) continue;
      const Request& q = w->request;
      const Outcome& o = w->outcome;
      std::string answer = std::to_string(o.status) + (o.location.empty() ? "" : " " + analysis::quoted(o.location));
      Diagnostic d = make_diagnostic("RL203", b.where,
                                     "rule never fires: every request it matches is answered first by " +
                                         analysis::place(ctx.files, a.where) + ", e.g. " +
                                         analysis::quoted(describe(q)) + " -> " + answer);
      d.related.push_back({a.where, "this rule answers first: " + analysis::result_text(a)});
      d.example = Example{describe(q), {{request_url(q), o.status, o.location}}};
      out.report(std::move(d));
      return true;
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Check> make_shadowed_rule() { return std::make_unique<ShadowedRule>(); }

}  // namespace rl
