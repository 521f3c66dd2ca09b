#include "analysis/redirect_graph.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "analysis/facts.hpp"
#include "analysis/prefix_index.hpp"
#include "analysis/shared_facts.hpp"
#include "analysis/witness.hpp"
#include "simulate/url.hpp"

namespace rl::analysis {

namespace {

std::string url_key(const Request& r) {
  return r.scheme + "://" + url::split_host(r.host).name + ":" + std::to_string(r.port) + r.target;
}

// Hosts the rule set answers for: named in scopes, server blocks and host conditions.
std::unordered_set<std::string> known_hosts(const RuleSet& rs) {
  std::unordered_set<std::string> out;
  // Rules of one server block without conditions share their hosts: ask once per run of them.
  const std::vector<std::string>* last_hosts = nullptr;
  int last_server = -2;
  for (const Rule& r : rs.rules) {
    if (r.conds.empty() && &r.scope.hosts.list() == last_hosts && r.scope.server == last_server) continue;
    last_hosts = r.conds.empty() ? &r.scope.hosts.list() : nullptr;
    last_server = r.scope.server;
    for (std::string& h : literal_hosts(rs, r)) out.insert(std::move(h));
  }
  return out;
}

struct Walker {
  const RuleSet& rs;
  const PrefixIndex& index;
  const std::unordered_set<std::string>& hosts;
  int max_hops;
  const SimOptions& opts;

  bool served(const Request& start, const Request& next) const {
    std::string h = url::split_host(next.host).name;
    return h == url::split_host(start.host).name || hosts.count(h);
  }

  // Could any rule match where `location` leads? (cheap pre-check; a superset)
  bool may_continue(const Request& from, std::string_view location) const {
    Request next;
    if (!follow(from, location, next) || !served(from, next)) return false;
    std::string path;
    if (!url::percent_decode(url::split_target(next.target).path, path)) return true;
    return index.has_candidates(path);
  }

  struct Result {
    std::vector<HopRecord> hops;
    std::optional<std::size_t> loop_to;
    Request final_request;
    std::optional<LimitHit> limit;  ///< the walk stopped at a regex match limit
  };

  static constexpr std::size_t kMaxRequestTarget = 8190;

  Result walk(const Request& start, Outcome first, RuleId rule) const {
    Result res;
    res.hops.push_back({start, std::move(first), rule});
    std::map<std::string, std::size_t> seen{{url_key(start), 0}};
    while (static_cast<int>(res.hops.size()) <= max_hops) {
      const HopRecord& last = res.hops.back();
      Request next;
      if (!follow(last.request, last.outcome.location, next) || !served(start, next)) break;
      // Both servers refuse a request line this long (Apache LimitRequestLine 8190, nginx 8k buffers:
      // 414), and a target that re-embeds its own path doubles each hop: stop there.
      if (next.target.size() > kMaxRequestTarget) break;
      res.final_request = next;
      if (auto it = seen.find(url_key(next)); it != seen.end()) {
        res.loop_to = it->second;
        break;
      }
      std::string path;
      if (url::percent_decode(url::split_target(next.target).path, path) && !index.has_candidates(path)) break;
      Outcome o = simulate(rs, next, opts);
      if (o.kind == OutcomeKind::limit) {
        res.limit = LimitHit{next, std::move(o.note), rule};
        break;
      }
      auto who = answering_rule(rs, o);
      if (o.kind != OutcomeKind::redirect || !who || depends_on_proxy_header(rs.rules[*who])) break;
      seen[url_key(next)] = res.hops.size();
      res.hops.push_back({next, std::move(o), *who});
    }
    return res;
  }
};

bool earlier(const RuleSet& rs, RuleId a, RuleId b) {
  const SourceRange& x = rs.rules[a].where;
  const SourceRange& y = rs.rules[b].where;
  return std::tie(x.file, x.line, x.column, a) < std::tie(y.file, y.line, y.column, b);
}

}  // namespace

RedirectGraph redirect_graph(const RuleSet& rs, int max_hops, int min_hops) {
  SharedFacts facts(rs);
  return build_redirect_graph(facts, max_hops, min_hops);
}

RedirectGraph build_redirect_graph(SharedFacts& facts, int max_hops, int min_hops) {
  const RuleSet& rs = facts.rules();
  RedirectGraph g;
  auto hosts = known_hosts(rs);
  const SimOptions& opts = facts.evidence_options();
  Walker walker{rs, facts.prefix_index(), hosts, std::max(1, max_hops), opts};
  std::set<std::vector<RuleId>> loops_seen;
  std::vector<std::string> other_hosts = host_examples(rs);
  std::vector<ChainFinding> chains;
  for (const Rule& r : rs.rules) {
    if (!is_redirect(r) || depends_on_proxy_header(r)) continue;
    std::span<const std::string> examples = facts.example_paths(r.id);
    if (examples.empty()) continue;
    std::vector<Request> requests;
    const bool host_limit = has_host_limit(rs, r);
    for (const std::string& p : examples) {
      requests.push_back(request_for(rs, r, p));
      if (host_limit) continue;
      for (const std::string& h : other_hosts) {
        Request alt = requests.back();
        alt.host = h;
        if (h != requests.back().host) requests.push_back(std::move(alt));
      }
    }
    std::vector<TemplatePart> target_parts;
    if (r.conds.empty()) target_parts = parse_template(r.target->url);
    for (Request& q : requests) {
      std::string p;
      if (!url::percent_decode(url::split_target(q.target).path, p)) continue;
      // Static pre-check: when we can compute the Location, skip rules whose target no rule matches.
      if (r.conds.empty())
        if (auto t = expand_for_path(r, target_parts, facts.match_regex(r.id), p, q.scheme, q.host);
            t && !walker.may_continue(q, *t))
          continue;
      Outcome o = simulate(rs, q, opts);
      if (o.kind == OutcomeKind::limit) {
        if (g.limits.empty() || g.limits.back().rule != r.id) g.limits.push_back({q, std::move(o.note), r.id});
        continue;
      }
      if (o.kind != OutcomeKind::redirect || answering_rule(rs, o) != r.id) continue;
      if (!walker.may_continue(q, o.location)) continue;
      Walker::Result w = walker.walk(q, std::move(o), r.id);
      if (w.limit && (g.limits.empty() || g.limits.back().rule != r.id)) g.limits.push_back(std::move(*w.limit));
      if (w.loop_to) {
        std::vector<HopRecord> cycle(w.hops.begin() + static_cast<std::ptrdiff_t>(*w.loop_to), w.hops.end());
        std::vector<RuleId> ids;
        for (const HopRecord& h : cycle) ids.push_back(h.rule);
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        if (!loops_seen.insert(ids).second) break;
        auto first = std::min_element(cycle.begin(), cycle.end(),
                                      [&](const HopRecord& a, const HopRecord& b) { return earlier(rs, a.rule, b.rule); });
        std::rotate(cycle.begin(), first, cycle.end());
        g.loops.push_back({std::move(cycle)});
        break;
      }
      if (static_cast<int>(w.hops.size()) >= std::max(2, min_hops)) {
        chains.push_back({std::move(w.hops), std::move(w.final_request)});
        break;
      }
    }
  }
  // A chain is reported at its first rule only: drop chains that start inside another chain or loop.
  std::unordered_set<RuleId> inner;
  for (const ChainFinding& c : chains)
    for (std::size_t i = 1; i < c.hops.size(); ++i) inner.insert(c.hops[i].rule);
  for (const LoopFinding& l : g.loops)
    for (const HopRecord& h : l.cycle) inner.insert(h.rule);
  for (ChainFinding& c : chains)
    if (!inner.count(c.hops[0].rule)) g.chains.push_back(std::move(c));
  return g;
}

}  // namespace rl::analysis
