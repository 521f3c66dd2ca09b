#pragma once
/// Witness requests: concrete requests that make a given rule fire, confirmed by the simulator.
/// They are the proofs behind every RL2xx finding ("no proof, no finding").
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analysis/walk.hpp"

#include "model/model.hpp"
#include "simulate/simulate.hpp"
#include "util/regex.hpp"

namespace rl::analysis {

/// What the witnesses need to know of the rules' conditions, worked out once per distinct condition
/// (issue 15: a libfa automaton per host condition per example path, and a PCRE2 compile per test,
/// were a quarter of `check` on real-shaped files, where a few conditions guard thousands of rules).
/// A value: SharedFacts keeps one per thread; not thread-safe.
class ConditionSolver {
 public:
  /// Does `value` satisfy `c` (with its `!`)? Tests other than `=` and regex: true.
  bool holds(const Condition& c, std::string_view value);
  /// A readable host `c` accepts: a familiar name when one fits, else an automaton example.
  std::optional<std::string> host(const Condition& c);
  /// An example of c's pattern (its `!` ignored) within `shape`, a PCRE of the characters wanted.
  std::optional<std::string> example(const Condition& c, const char* shape);

 private:
  struct Entry {
    bool compiled = false;
    std::optional<Regex> re;
    bool host_known = false;
    std::optional<std::string> host;
    std::vector<std::pair<const char*, std::optional<std::string>>> examples;  ///< per shape
  };
  Entry& entry(const Condition& c);
  // Keyed by operator, flags and pattern; emptied when it grows past kMaxEntries (files whose every
  // rule has its own condition gain nothing from it and would keep a compiled pattern per rule).
  static constexpr std::size_t kMaxEntries = 4096;
  std::unordered_map<std::string, Entry> entries_;
};

/// A request built to reach rule `r` for decoded path `path`: scheme, host, query, method and headers
/// chosen to satisfy the rule's scope and conditions where we can. Not yet confirmed.
Request request_for(const RuleSet& rs, const Rule& r, std::string_view path, ConditionSolver& conds);
Request request_for(const RuleSet& rs, const Rule& r, std::string_view path);

/// Host names the rule set's host conditions and scopes talk about (literal names and examples of
/// host regexes), at most `max`: requests for rules without a host limit are also tried on them, so
/// that chains across hosts (http -> https -> www) are found.
std::vector<std::string> host_examples(const RuleSet& rs, ConditionSolver& conds, std::size_t max = 4);

/// True when `r` is among the rules that fired for this outcome.
bool fired(const Outcome& o, RuleId r);

/// The rule that produced the response of `o` (the last redirect/answer rule that fired); nullopt when none.
std::optional<RuleId> answering_rule(const RuleSet& rs, const Outcome& o);

/// The origins a rule set answers for (DESIGN §5): host names from scopes, server names, host
/// conditions, domain-level sources and absolute targets (most telling first), and the schemes.
struct Origins {
  std::vector<std::string> hosts;          ///< at most a few, lower-cased: scopes and conditions first, then targets
  std::vector<std::string> condition_hosts;  ///< the hosts named in scopes and conditions (host_examples)
  std::unordered_set<std::string> served;  ///< hosts the rules serve: scopes, conditions, canonical targets (a walk leaving them ends)
};
Origins origins_of(const RuleSet& rs, ConditionSolver& conds);

/// A request on an origin where a rule answers, and how the first try went.
struct OriginWitness {
  Request request;
  Outcome outcome;
  /// When request_for's own origin was answered by another rule with a canonical hop (force-https,
  /// canonical host) that leads to `request`: that first answer (the rule is reached through it there).
  std::optional<HopRecord> canonical;
};

/// A request like `base` (request_for(rs, r, path)) on which `accept` holds for the simulator's answer.
/// Tries, in order: `base`; when another rule answers it with a canonical hop, the origin that hop
/// sends to (up to 3 such hops); then the other schemes (unless `r` is limited to one) and the hosts of
/// `origins` (unless `r` has a host limit). At most `max_tries` simulations; nullopt when none holds.
/// `first`: the answer to `base` when the caller has simulated it already.
std::optional<OriginWitness> witness_on_origins(const RuleSet& rs, const Rule& r, const Request& base,
                                                const Origins& origins, const SimOptions& sim,
                                                const std::function<bool(const Outcome&)>& accept,
                                                std::optional<Outcome> first = std::nullopt,
                                                std::size_t max_tries = 8);

/// Up to `max` requests (with their outcomes) for which the simulator confirms that `r` answers, each
/// on an origin where it does (witness_on_origins).
struct Witness {
  Request request;
  Outcome outcome;
};
std::vector<Witness> witnesses(const RuleSet& rs, const Rule& r, std::size_t max = 2);

}  // namespace rl::analysis
