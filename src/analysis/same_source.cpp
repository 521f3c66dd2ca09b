#include "analysis/same_source.hpp"

#include <functional>
#include <optional>
#include <unordered_map>

#include "analysis/facts.hpp"
#include "analysis/shared_facts.hpp"
#include "analysis/witness.hpp"
#include "simulate/url.hpp"

namespace rl::analysis {

namespace {

std::string family(const Rule& r) {
  if (r.origin.format == Format::apache || r.origin.format == Format::htaccess)
    return url::iequals(r.origin.directive, "RewriteRule") ? "rewrite" : "alias";
  return "rules";
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += x + ",";
  return s;
}

bool same_result(const Rule& a, const Rule& b) {
  bool targets = a.target.has_value() == b.target.has_value() &&
                 (!a.target || (a.target->url == b.target->url && a.target->query == b.target->query));
  return a.action == b.action && a.status == b.status && targets && a.flow == b.flow && a.force == b.force;
}

}  // namespace

std::string source_key(const RuleSet& rs, const Rule& r) {
  std::string k = family(r) + "|" + std::to_string(r.scope.server) + "|" + std::to_string(r.scope.block) + "|" +
                  r.scope.dir + "|" + join(r.scope.hosts) + "|" + join(r.scope.schemes) + "|" +
                  std::string(to_string(r.match.kind)) + "|" + r.match.text + "|" + (r.match.ignore_case ? "i" : "") +
                  (r.match.negated ? "!" : "") + (r.match.optional_trailing_slash ? "/" : "");
  for (const Condition& c : r.conds)
    k += "|" + c.test + std::string(to_string(c.op)) + (c.pattern.negated ? "!" : "") + c.pattern.text +
         (c.pattern.ignore_case ? "i" : "") + (c.or_next ? "|OR" : "");
  (void)rs;
  return k;
}

bool is_final(const RuleSet& rs, const Rule& r) {
  if (r.action == Action::redirect || r.action == Action::answer)
    return r.flow == Flow::stop || r.flow == Flow::end || (rs.format != Format::apache && rs.format != Format::htaccess && r.flow != Flow::next);
  if (r.action == Action::rewrite) return rs.format == Format::netlify || rs.format == Format::yaml;
  return false;
}

std::string result_text(const Rule& r) {
  if (r.action == Action::redirect && r.target) return std::to_string(r.status) + " " + quoted(r.target->url);
  if (r.action == Action::answer) return std::to_string(r.status);
  if (r.action == Action::rewrite && r.target) return "rewrite to " + quoted(r.target->url);
  return "no change";
}

std::vector<SameSourcePair> same_source_pairs(const RuleSet& rs) {
  SharedFacts facts(rs);
  return same_source_pairs(facts);
}

std::vector<SameSourcePair> same_source_pairs(SharedFacts& facts) {
  const RuleSet& rs = facts.rules();
  std::vector<SameSourcePair> out;
  // Keyed by the hash of the source key (1M keys of ~100 bytes would be ~150 MB); a hit is confirmed
  // on the whole key, and the rare key whose hash is taken by another key goes to `collided`.
  std::unordered_map<std::size_t, RuleId> first_final;
  std::unordered_map<std::string, RuleId> collided;
  first_final.reserve(rs.rules.size());
  const SimOptions& opts = facts.evidence_options();
  for (const Rule& r : rs.rules) {
    if (r.action == Action::none || r.match.negated) continue;
    std::string key = source_key(rs, r);
    std::size_t h = std::hash<std::string>{}(key);
    std::optional<RuleId> first;
    if (auto it = first_final.find(h); it == first_final.end()) {
      if (is_final(rs, r)) first_final.emplace(h, r.id);
    } else if (source_key(rs, rs.rules[it->second]) == key) {
      first = it->second;
    } else if (auto c = collided.find(key); c != collided.end()) {
      first = c->second;
    } else if (is_final(rs, r)) {
      collided.emplace(std::move(key), r.id);
    }
    if (!first) continue;
    const Rule& a = rs.rules[*first];
    for (const std::string& p : facts.example_paths(r.id)) {
      Request q = request_for(rs, r, p);
      Outcome o = simulate(rs, q, opts);
      if (o.kind == OutcomeKind::limit || !fired(o, a.id) || fired(o, r.id)) continue;
      out.push_back({a.id, r.id, same_result(a, r), std::move(q), std::move(o)});
      break;
    }
  }
  return out;
}

}  // namespace rl::analysis
