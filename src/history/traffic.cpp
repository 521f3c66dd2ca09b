#include "history/traffic.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "analysis/facts.hpp"
#include "analysis/walk.hpp"
#include "analysis/witness.hpp"
#include "parse/yaml_util.hpp"

namespace rl::history {

void Traffic::add(const LogEntry& e, FileId file, std::uint32_t line) {
  ++lines_;
  if (!first_day_ || e.day < first_day_) first_day_ = e.day;
  last_day_ = std::max(last_day_, e.day);
  key_.assign(e.method).append(" ").append(e.target);  // one buffer for every line: no allocation per line
  Logged& l = requests_[key_];
  ++l.count;
  if (!l.days.empty() && l.days.back().first == e.day) ++l.days.back().second;
  else l.days.emplace_back(e.day, 1);
  std::string_view path = e.target.substr(0, e.target.find('?'));
  if (e.status == 404) {
    NotFound& n = not_found_[std::string(path)];
    if (n.count++ == 0) {
      n.first_day = e.day;
      n.first = SourceRange{file, line, 1, line + 1, 1};
    }
  } else if (e.status >= 200 && e.status < 300 && pages_.size() < 1'000'000) {
    key_.assign(path);
    if (!pages_.count(key_)) pages_.insert(key_);
  }
}

namespace {

std::string count_text(std::uint64_t n, std::string_view what) {
  return std::to_string(n) + " " + std::string(what) + (n == 1 ? "" : "s");
}

/// Can a log of requests on `base` tell whether `r` is used? Not when the rule is limited to other hosts
/// or to the other scheme: those requests are not in this log.
bool judged(const RuleSet& rs, const Rule& r, const Request& base) {
  std::string scheme = analysis::scheme_restriction(rs, r);
  if (!scheme.empty() && scheme != base.scheme) return false;
  if (!analysis::has_host_limit(rs, r)) return true;
  std::string host = base.host.substr(0, base.host.find(':'));
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const std::string& h : analysis::literal_hosts(rs, r))
    if (h == host) return true;
  return false;
}

std::string hop_path(const Request& r) { return r.target; }

/// The closest redirect source (exact or prefix rules) or logged page to a 404 path; "" when none is close.
std::string suggestion_for(const std::string& path, const std::vector<std::string_view>& sources,
                           const std::vector<std::string_view>& pages) {
  std::string s = file_rules::did_you_mean(path, sources);
  if (!s.empty()) return "redirect source \"" + s + "\"";
  std::string p = file_rules::did_you_mean(path, pages);
  if (!p.empty()) return "page \"" + p + "\"";
  return {};
}

}  // namespace

TrafficReport analyse_traffic(const RuleSet& rs, const Traffic& t, const TrafficOptions& o) {
  TrafficReport rep;
  rep.rules = rs.rules.size();
  std::vector<std::uint64_t> hits(rs.rules.size(), 0);
  struct Expired {
    std::uint64_t count = 0;
    std::uint32_t last = 0;
  };
  std::map<RuleId, Expired> expired;
  struct Chain {
    std::uint64_t count = 0, example_count = 0;
    std::string example_key;
    analysis::RedirectWalk walk;
  };
  std::map<RuleId, Chain> chains;
  analysis::WalkOptions wopts;
  wopts.max_hops = o.max_hops;
  wopts.sim = o.sim;
  // Sorted keys: the same logs give the same report whatever the hash order.
  std::vector<const std::pair<const std::string, Traffic::Logged>*> order;
  for (const auto& kv : t.requests()) order.push_back(&kv);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* kv : order) {
    const Traffic::Logged& l = kv->second;
    rep.requests += l.count;
    ++rep.distinct;
    Request req = o.base;
    std::size_t sp = kv->first.find(' ');
    req.method = kv->first.substr(0, sp);
    req.target = kv->first.substr(sp + 1);
    analysis::RedirectWalk walk = analysis::walk_redirects(rs, req, wopts);
    if (!walk.hops.empty() && walk.hops[0].outcome.kind == OutcomeKind::redirect) rep.redirected += l.count;
    for (const analysis::HopRecord& h : walk.hops) {
      for (const FiredRule& f : h.outcome.fired)
        if (f.rule < hits.size()) hits[f.rule] += l.count;
      if (!h.has_rule || h.outcome.kind != OutcomeKind::redirect) continue;
      const Rule& r = rs.rules[h.rule];
      std::uint32_t due = analysis::is_temporary(r.status) && r.notes->until ? day_of(*r.notes->until) : 0;
      if (!due) continue;
      for (const auto& [day, n] : l.days)
        if (day > due) {
          Expired& e = expired[h.rule];
          e.count += n;
          e.last = std::max(e.last, day);
        }
    }
    if (walk.redirects() >= 2 && walk.hops[0].has_rule && walk.end == analysis::WalkEnd::answered) {
      rep.chained += l.count;
      Chain& c = chains[walk.hops[0].rule];
      c.count += l.count;
      if (l.count > c.example_count) {
        c.example_count = l.count;
        c.example_key = kv->first;
        c.walk = std::move(walk);
      }
    }
  }
  const std::string since = t.first_day() ? day_text(t.first_day()) : "the first log line";
  const std::string span = t.first_day() ? " from " + day_text(t.first_day()) + " to " + day_text(t.last_day()) : "";
  for (const Rule& r : rs.rules) {
    if (rep.requests == 0 || !judged(rs, r, o.base)) continue;  // no log read: nothing to say
    ++rep.judged;
    if (hits[r.id]) {
      ++rep.reached;
      continue;
    }
    rep.diags.push_back(make_diagnostic("RL511", r.where,
                                        "unused since " + since + ": none of the " +
                                            count_text(rep.requests, "request") + " logged" + span +
                                            " reached this rule; remove it when its reason has ended"));
  }
  std::vector<ChainRow> rows;
  for (const auto& [first, c] : chains) {
    std::string path = hop_path(c.walk.hops[0].request);
    for (const analysis::HopRecord& h : c.walk.hops)
      if (h.outcome.kind == OutcomeKind::redirect) path += " -> " + h.outcome.location;
    Diagnostic d = make_diagnostic(
        "RL512", rs.rules[first].where,
        count_text(c.count, "logged request") + " went through a chain of redirects here (e.g. \"" + c.example_key +
            "\", " + count_text(c.example_count, "time") + ": " + path + "); point this rule at the final target");
    int n = 0;
    for (const analysis::HopRecord& h : c.walk.hops)
      if (h.has_rule && h.outcome.kind == OutcomeKind::redirect)
        d.related.push_back({rs.rules[h.rule].where, "hop " + std::to_string(++n) + ": " + hop_path(h.request) +
                                                         " -> " + std::to_string(h.outcome.status) + " " +
                                                         h.outcome.location});
    rep.diags.push_back(std::move(d));
    rows.push_back({c.count, path, rs.rules[first].where});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const ChainRow& a, const ChainRow& b) { return a.count > b.count; });
  if (rows.size() > o.top) rows.resize(o.top);
  rep.chains = std::move(rows);
  for (const auto& [id, e] : expired) {
    const Rule& r = rs.rules[id];
    rep.expired_hits += e.count;
    rep.diags.push_back(make_diagnostic(
        "RL514", r.where,
        "temporary redirect (" + std::to_string(r.status) + ") was due for review on " + *r.notes->until +
            " and was still requested " + count_text(e.count, "time") + " after it (last on " + day_text(e.last) +
            "): make it permanent or remove it"));
  }
  // RL513: the most logged 404 paths the rules still do not answer.
  std::vector<const std::pair<const std::string, Traffic::NotFound>*> nf;
  for (const auto& kv : t.not_found()) {
    rep.not_found += kv.second.count;
    nf.push_back(&kv);
  }
  std::sort(nf.begin(), nf.end(), [](auto* a, auto* b) {
    return a->second.count != b->second.count ? a->second.count > b->second.count : a->first < b->first;
  });
  std::vector<std::string_view> sources, pages;
  for (const Rule& r : rs.rules)
    if (analysis::is_redirect(r) && r.match.kind != MatchKind::regex) sources.push_back(r.match.text);
  for (const std::string& p : t.pages()) pages.push_back(p);
  std::sort(pages.begin(), pages.end());
  for (const auto* kv : nf) {
    if (rep.top_not_found.size() >= o.top) break;
    Request req = o.base;
    req.target = kv->first;
    Outcome now = simulate(rs, req, o.sim);
    if (now.kind == OutcomeKind::redirect || undetermined(now.kind)) continue;  // answered now, or unknown
    std::string hint = suggestion_for(kv->first, sources, pages);
    rep.diags.push_back(make_diagnostic(
        "RL513", kv->second.first,
        "\"" + kv->first + "\" was logged " + count_text(kv->second.count, "time") + " as 404 (first on " +
            day_text(kv->second.first_day) + ")" +
            (hint.empty() ? std::string("; no redirect source or page is close to it")
                          : "; closest " + hint + ": redirect it there if that is where it belongs")));
    rep.top_not_found.push_back({kv->first, kv->second.count, hint});
  }
  return rep;
}

}  // namespace rl::history
