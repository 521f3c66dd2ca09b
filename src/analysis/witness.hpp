#pragma once
/// Witness requests: concrete requests that make a given rule fire, confirmed by the simulator.
/// They are the proofs behind every RL2xx finding ("no proof, no finding").
#include <optional>
#include <vector>

#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl::analysis {

/// A request built to reach rule `r` for decoded path `path`: scheme, host, query, method and headers
/// chosen to satisfy the rule's scope and conditions where we can. Not yet confirmed.
Request request_for(const RuleSet& rs, const Rule& r, std::string_view path);

/// Host names the rule set's host conditions and scopes talk about (literal names and examples of
/// host regexes), at most `max`: requests for rules without a host limit are also tried on them, so
/// that chains across hosts (http -> https -> www) are found.
std::vector<std::string> host_examples(const RuleSet& rs, std::size_t max = 4);

/// True when `r` is among the rules that fired for this outcome.
bool fired(const Outcome& o, RuleId r);

/// The rule that produced the response of `o` (the last redirect/answer rule that fired); nullopt when none.
std::optional<RuleId> answering_rule(const RuleSet& rs, const Outcome& o);

/// Up to `max` requests (with their outcomes) for which the simulator confirms that `r` fires.
struct Witness {
  Request request;
  Outcome outcome;
};
std::vector<Witness> witnesses(const RuleSet& rs, const Rule& r, std::size_t max = 2);

}  // namespace rl::analysis
