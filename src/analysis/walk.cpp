#include "analysis/walk.hpp"

#include <algorithm>
#include <unordered_map>

#include "analysis/witness.hpp"
#include "simulate/url.hpp"

namespace rl::analysis {

std::string same_url_key(const Request& r) {
  url::HostPort hp = url::split_host(r.host);
  int port = r.port ? r.port : hp.port.value_or(url::default_port(r.scheme));
  return r.method + " " + r.scheme + "://" + hp.name + ":" + std::to_string(port) + r.target;
}

bool is_canonical_hop(const Request& prev, const Request& next) {
  if (prev.target != next.target) return false;
  return same_url_key(prev) != same_url_key(next) || prev.scheme != next.scheme;
}

std::size_t RedirectWalk::redirects() const {
  return static_cast<std::size_t>(std::count_if(hops.begin(), hops.end(), [](const HopRecord& h) {
    return h.outcome.kind == OutcomeKind::redirect;
  }));
}

namespace {

HopRecord record(const RuleSet& rs, Request req, Outcome o) {
  HopRecord h{std::move(req), std::move(o), 0, false};
  if (auto who = answering_rule(rs, h.outcome)) {
    h.rule = *who;
    h.has_rule = true;
  }
  return h;
}

}  // namespace

RedirectWalk walk_redirects(const RuleSet& rs, const Request& start, const WalkOptions& opts,
                            std::optional<Outcome> first) {
  RedirectWalk w;
  std::unordered_map<std::string, std::size_t> seen;
  const int max_hops = std::max(1, opts.max_hops);
  Request req = start;
  Outcome o = first ? std::move(*first) : simulate(rs, req, opts.sim);
  for (;;) {
    seen.emplace(same_url_key(req), w.hops.size());
    w.hops.push_back(record(rs, std::move(req), std::move(o)));
    const HopRecord& last = w.hops.back();
    if (undetermined(last.outcome.kind)) {
      w.end = WalkEnd::limit;
      return w;
    }
    if (last.outcome.kind != OutcomeKind::redirect) {
      w.end = WalkEnd::answered;
      return w;
    }
    Request next;
    if (!follow(last.request, last.outcome.location, next)) {
      w.end = WalkEnd::unfollowable;
      return w;
    }
    if (auto it = seen.find(same_url_key(next)); it != seen.end()) {
      w.end = WalkEnd::loop;
      w.loop_start = it->second;
      w.next = std::move(next);
      return w;
    }
    if (static_cast<int>(w.hops.size()) >= max_hops + 1 || next.target.size() > kMaxRequestTarget) {
      w.end = WalkEnd::forever;
      w.grew = next.target.size() > kMaxRequestTarget;
      w.next = std::move(next);
      return w;
    }
    if (opts.stop_before && opts.stop_before(next)) {
      w.end = WalkEnd::left;
      w.next = std::move(next);
      return w;
    }
    o = simulate(rs, next, opts.sim);
    if (opts.stop_at && o.kind == OutcomeKind::redirect) {
      HopRecord probe = record(rs, next, o);
      if (opts.stop_at(probe)) {
        w.end = WalkEnd::left;
        w.next = std::move(next);
        return w;
      }
    }
    req = std::move(next);
  }
}

}  // namespace rl::analysis
