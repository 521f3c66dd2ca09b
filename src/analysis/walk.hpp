#pragma once
/// The one redirect walk (DESIGN §5 "One walk"): a client following Locations from a request, hop by
/// hop through simulate(). `check` (RL201/RL202 and their fixes), `trace --follow`, `graph` and the
/// language server all follow redirects through walk_redirects, with one notion of "same URL"
/// (same_url_key) and one hop limit (max_hops, the `max-hops` setting).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl::analysis {

/// Browsers stop following after this many redirects ("too many redirects").
constexpr int kBrowserMaxRedirects = 20;
/// Both servers refuse a request-target this long (Apache LimitRequestLine 8190, nginx 8k buffers: 414).
constexpr std::size_t kMaxRequestTarget = 8190;

/// "Same URL" for loop detection: method, scheme, host name (lower-cased, no trailing dot), port, target.
std::string same_url_key(const Request& r);

/// True when `next` is `prev` on another origin (scheme, host or port) with the same path and query:
/// the hop of a force-https or canonical-host rule.
bool is_canonical_hop(const Request& prev, const Request& next);

/// One request on the way and the simulator's answer. `rule` is the rule that answered (answering_rule),
/// meaningful only when `has_rule`.
struct HopRecord {
  Request request;
  Outcome outcome;
  RuleId rule = 0;
  bool has_rule = false;
};

enum class WalkEnd {
  answered,      ///< the last hop is not a redirect (an answer, or no rule answered)
  loop,          ///< the next request is one already made (loop_start says which)
  forever,       ///< still redirecting after max_hops redirects, or the URL grew past kMaxRequestTarget
  unfollowable,  ///< the last Location is not an http(s) URL or path
  limit,         ///< a regex hit the PCRE2 match limit, or a value is unknown: what the last request gets is unknown
  left,          ///< the caller's `stop_before` ended the walk before simulating `next`
};

struct RedirectWalk {
  std::vector<HopRecord> hops;  ///< hops[i+1].request follows hops[i].outcome.location
  WalkEnd end = WalkEnd::answered;
  std::size_t loop_start = 0;   ///< WalkEnd::loop: the index of the request the last Location comes back to
  std::optional<Request> next;  ///< the request after the last redirect hop (loop, forever, left); unset otherwise
  bool grew = false;            ///< WalkEnd::forever because the URL grew past kMaxRequestTarget

  /// Number of redirect responses in `hops`.
  std::size_t redirects() const;
};

struct WalkOptions {
  int max_hops = kBrowserMaxRedirects;  ///< redirects followed at most; one more redirect = WalkEnd::forever
  SimOptions sim;
  /// Called before simulating a request reached by a Location: true ends the walk (WalkEnd::left) without
  /// simulating it (analysis pruning: a request no rule can answer, or a host the rule set does not serve).
  std::function<bool(const Request&)> stop_before;
  /// Called on each simulated redirect after the first: true ends the walk there (WalkEnd::left, the hop
  /// not recorded): an answer that proves nothing (a rule on a proxy header).
  std::function<bool(const HopRecord&)> stop_at;
};

/// Follows `start` through `rs`. `first` is the simulator's answer to `start` when the caller already has it.
RedirectWalk walk_redirects(const RuleSet& rs, const Request& start, const WalkOptions& opts,
                            std::optional<Outcome> first = std::nullopt);

}  // namespace rl::analysis
