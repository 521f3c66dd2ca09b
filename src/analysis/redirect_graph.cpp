#include "analysis/redirect_graph.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "analysis/facts.hpp"
#include "analysis/prefix_index.hpp"
#include "analysis/shared_facts.hpp"
#include "analysis/witness.hpp"
#include "simulate/url.hpp"

namespace rl::analysis {

namespace {

bool earlier(const RuleSet& rs, RuleId a, RuleId b) {
  const SourceRange& x = rs.rules[a].where;
  const SourceRange& y = rs.rules[b].where;
  return std::tie(x.file, x.line, x.column, a) < std::tie(y.file, y.line, y.column, b);
}

// Does hop i's Location lead to the same path on another origin?
bool canonical_at(const std::vector<HopRecord>& hops, std::size_t i, const std::optional<Request>& next) {
  const Request* to = i + 1 < hops.size() ? &hops[i + 1].request : next ? &*next : nullptr;
  return to && hops[i].outcome.kind == OutcomeKind::redirect && is_canonical_hop(hops[i].request, *to);
}

std::vector<RuleId> rule_set_of(std::vector<HopRecord>::const_iterator b, std::vector<HopRecord>::const_iterator e) {
  std::vector<RuleId> ids;
  for (auto it = b; it != e; ++it) ids.push_back(it->rule);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

class Builder {
 public:
  Builder(SharedFacts& facts, int max_hops, int min_hops)
      : rs_(facts.rules()), facts_(facts), index_(facts.prefix_index()), origins_(facts.origins()),
        min_hops_(std::max(2, min_hops)) {
    opts_.max_hops = std::max(1, max_hops);
    opts_.sim = facts.evidence_options();
    opts_.stop_before = [this](const Request& next) { return !may_answer(next); };
    opts_.stop_at = [this](const HopRecord& h) { return !h.has_rule || !provable(rs_.rules[h.rule]); };
  }

  RedirectGraph run() {
    for (const Rule& r : rs_.rules)
      if (is_redirect(r) && provable(r)) walk_rule(r);
    for (auto& [rule, d] : detours_) g_.detours.push_back(std::move(d));
    return std::move(g_);
  }

 private:
  // A hop answered by this rule proves something about real clients.
  static bool provable(const Rule& r) { return !depends_on_proxy_header(r) && !target_unknown(r); }

  // Could a rule of the set answer `next`? (a cheap superset: its host is served and the prefix
  // index has candidates for its path)
  bool may_answer(const Request& next) const {
    if (!origins_.served.count(url::split_host(next.host).name)) return false;
    std::string path;
    if (!url::percent_decode(url::split_target(next.target).path, path)) return true;
    return index_.has_candidates(path);
  }

  void add_limit(LimitHit h) {
    if (g_.limits.empty() || g_.limits.back().rule != h.rule) g_.limits.push_back(std::move(h));
  }

  void walk_rule(const Rule& r) {
    std::span<const std::string> examples = facts_.example_paths(r.id);
    if (examples.empty()) return;
    std::vector<TemplatePart> target_parts;
    if (r.conds.empty()) target_parts = parse_template(r.target->url);
    bool detour_counted = false;
    const bool host_limit = has_host_limit(rs_, r);
    for (const std::string& p : examples) {
      std::vector<Request> requests{request_for(rs_, r, p, facts_.conditions())};
      // Also from the other hosts the rule set names: chains across hosts (http -> https -> www).
      if (!host_limit)
        for (const std::string& h : origins_.condition_hosts)
          if (h != requests.front().host) {
            requests.push_back(requests.front());
            requests.back().host = h;
          }
      for (const Request& q : requests)
        if (walk_from(r, p, q, target_parts, detour_counted)) return;
    }
  }

  // Walks r's witness for `q` (decoded path `p`); true when it is a finding.
  bool walk_from(const Rule& r, const std::string& p, const Request& q, const std::vector<TemplatePart>& target_parts,
                 bool& detour_counted) {
    {
      // Static pre-check: when we can compute the Location, skip rules whose target no rule can answer.
      if (r.conds.empty())
        if (auto t = expand_for_path(r, target_parts, facts_.match_regex(r.id), p, q.scheme, q.host)) {
          Request next;
          if (!follow(q, *t, next) || !may_answer(next)) return false;
        }
      Outcome o = simulate(rs_, q, opts_.sim);
      if (undetermined(o.kind)) {
        add_limit({q, std::move(o.note), r.id});
        return false;
      }
      auto accept = [&](const Outcome& a) {
        return a.kind == OutcomeKind::redirect && answering_rule(rs_, a) == r.id;
      };
      std::optional<OriginWitness> w = witness_on_origins(rs_, r, q, origins_, opts_.sim, accept, std::move(o));
      if (!w) return false;
      RedirectWalk walk = walk_redirects(rs_, w->request, opts_, std::move(w->outcome));
      if (walk.end == WalkEnd::limit)
        add_limit({walk.hops.back().request, walk.hops.back().outcome.note, r.id});
      if (canonical_at(walk.hops, 0, walk.next)) {
        const Request& to = walk.hops.size() > 1 ? walk.hops[1].request : *walk.next;
        canonical_origins_.try_emplace(origin_key(to), walk.hops[0]);
        // Its own example may land on a specific rule: that rule takes the extra hop too.
        if (walk.hops.size() > 1 && walk.hops[1].outcome.kind == OutcomeKind::redirect && walk.hops[1].has_rule &&
            !canonical_at(walk.hops, 1, walk.next)) {
          RedirectWalk rest;
          rest.hops.assign(walk.hops.begin() + 1, walk.hops.end());
          note_detour(walk.hops[0], rest);
        }
      } else if (!detour_counted) {
        if (!w->canonical) w->canonical = canonical_in_front(w->request);
        if (w->canonical) {
          detour_counted = true;
          note_detour(*w->canonical, walk);
        }
      }
      return found(r, std::move(walk));
    }
  }

  static std::string origin_key(const Request& r) {
    std::string k = same_url_key(r);
    return k.substr(0, k.size() - r.target.size());
  }

  // The hop of a canonical rule seen earlier that sends the same path from its origin to `witness`'s
  // (nginx: `server { listen 80; return 301 https://...; }` in front of the https server).
  std::optional<HopRecord> canonical_in_front(const Request& witness) {
    auto it = canonical_origins_.find(origin_key(witness));
    if (it == canonical_origins_.end()) return std::nullopt;
    Request q = it->second.request;
    q.method = witness.method;
    q.headers = witness.headers;
    q.target = witness.target;
    Outcome o = simulate(rs_, q, opts_.sim);
    Request next;
    if (o.kind != OutcomeKind::redirect || answering_rule(rs_, o) != it->second.rule ||
        !follow(q, o.location, next) || same_url_key(next) != same_url_key(witness))
      return std::nullopt;
    return HopRecord{std::move(q), std::move(o), it->second.rule, true};
  }

  void note_detour(const HopRecord& canonical, const RedirectWalk& walk) {
    auto [it, inserted] = detours_.try_emplace(canonical.rule);
    CanonicalDetour& d = it->second;
    d.rule = canonical.rule;
    const HopRecord* behind = walk.hops.empty() ? nullptr : &walk.hops.front();
    if (behind && behind->has_rule && !detoured_.insert({canonical.rule, behind->rule}).second) return;
    ++d.count;
    if (!d.example.empty()) return;
    d.example.push_back(canonical);
    for (const HopRecord& h : walk.hops)
      if (h.outcome.kind == OutcomeKind::redirect) d.example.push_back(h);
  }

  // Records what the walk from r's witness shows; true when it is a finding (r's other examples are not tried).
  bool found(const Rule& r, RedirectWalk walk) {
    std::vector<HopRecord>& hops = walk.hops;
    std::optional<Request> final_request = walk.next;
    bool final_known = walk.end == WalkEnd::answered || walk.end == WalkEnd::left;
    if (walk.end == WalkEnd::answered && !hops.empty()) final_request = hops.back().request;
    // A canonical rule's own walk: only its canonical hops are its business (the rules behind them are
    // reported on their own origin, the detour once in `detours`).
    if (canonical_at(hops, 0, walk.next)) {
      std::size_t keep = 1;
      while (keep < hops.size() && canonical_at(hops, keep, walk.next)) ++keep;
      if (keep < hops.size()) {
        final_request = hops[keep].request;
        final_known = true;
        hops.resize(keep);
        walk.end = WalkEnd::answered;
      }
    }
    while (!hops.empty() && hops.back().outcome.kind != OutcomeKind::redirect) hops.pop_back();
    if (walk.end == WalkEnd::loop) return add_loop(std::move(hops), walk.loop_start);
    if (walk.end == WalkEnd::forever) return add_forever(r, std::move(hops), walk.grew);
    if (static_cast<int>(hops.size()) < min_hops_) return false;
    g_.chains.push_back({std::move(hops), final_request.value_or(Request{}), final_known && final_request.has_value()});
    return true;
  }

  bool add_loop(std::vector<HopRecord> hops, std::size_t start) {
    std::vector<HopRecord> cycle(hops.begin() + static_cast<std::ptrdiff_t>(std::min(start, hops.size())), hops.end());
    if (cycle.empty()) return false;
    if (!loops_seen_.insert(rule_set_of(cycle.begin(), cycle.end())).second) return true;
    auto first = std::min_element(cycle.begin(), cycle.end(),
                                  [&](const HopRecord& a, const HopRecord& b) { return earlier(rs_, a.rule, b.rule); });
    std::rotate(cycle.begin(), first, cycle.end());
    g_.loops.push_back({std::move(cycle)});
    return true;
  }

  // Reported at the rule that keeps feeding the walk (it is among the last hops' rules), once per set.
  bool add_forever(const Rule& r, std::vector<HopRecord> hops, bool grew) {
    if (hops.empty()) return false;
    std::size_t tail = std::min<std::size_t>(hops.size() - 1, 4);
    std::vector<RuleId> key = rule_set_of(hops.end() - static_cast<std::ptrdiff_t>(tail) - 1, hops.end());
    if (!std::binary_search(key.begin(), key.end(), r.id)) return true;  // the feeding rule reports it on its own
    if (!forever_seen_.insert(key).second) return true;
    g_.forever.push_back({std::move(hops), grew});
    return true;
  }

  const RuleSet& rs_;
  SharedFacts& facts_;
  const PrefixIndex& index_;
  const Origins& origins_;
  int min_hops_;
  WalkOptions opts_;
  RedirectGraph g_;
  std::set<std::vector<RuleId>> loops_seen_, forever_seen_;
  std::map<RuleId, CanonicalDetour> detours_;
  std::set<std::pair<RuleId, RuleId>> detoured_;  ///< (canonical rule, rule behind it) already counted
  /// Origin a canonical rule sends to (origin_key) -> its first hop: the rule and the origin it answers on.
  std::unordered_map<std::string, HopRecord> canonical_origins_;
};

}  // namespace

RedirectGraph redirect_graph(const RuleSet& rs, int max_hops, int min_hops) {
  SharedFacts facts(rs);
  return build_redirect_graph(facts, max_hops, min_hops);
}

RedirectGraph build_redirect_graph(SharedFacts& facts, int max_hops, int min_hops) {
  return Builder(facts, max_hops, min_hops).run();
}

}  // namespace rl::analysis
