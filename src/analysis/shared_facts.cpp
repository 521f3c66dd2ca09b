#include "analysis/shared_facts.hpp"

#include "analysis/facts.hpp"

namespace rl::analysis {

SharedFacts::SharedFacts(const RuleSet& rs) : rs_(rs), examples_(rs.rules.size()) {}

const std::vector<std::string>& SharedFacts::example_paths(RuleId id) {
  if (!examples_[id]) examples_[id] = analysis::example_paths(rs_, rs_.rules[id], match_regex(id));
  return *examples_[id];
}

const Regex* SharedFacts::match_regex(RuleId id) {
  const Pattern& p = rs_.rules[id].match;
  if (p.kind != MatchKind::regex) return nullptr;
  RecentRegex& slot = regexes_[id % kRecentRegexes];
  if (!slot.filled || slot.id != id) {
    slot.re = Regex::compile(p.text, p.ignore_case);
    slot.id = id;
    slot.filled = true;
  }
  return slot.re ? &*slot.re : nullptr;
}

const PrefixIndex& SharedFacts::prefix_index() {
  if (!index_) index_ = std::make_unique<PrefixIndex>(rs_);
  return *index_;
}

const SimOptions& SharedFacts::evidence_options() {
  if (!evidence_) evidence_ = analysis::evidence_options(rs_);
  return *evidence_;
}

const RedirectGraph& SharedFacts::redirect_graph(int max_hops, int min_hops) {
  auto key = std::make_pair(max_hops, min_hops);
  auto it = graphs_.find(key);
  if (it == graphs_.end()) it = graphs_.emplace(key, build_redirect_graph(*this, max_hops, min_hops)).first;
  return it->second;
}

const std::vector<SameSourcePair>& SharedFacts::same_source_pairs() {
  if (!same_source_) same_source_ = analysis::same_source_pairs(*this);
  return *same_source_;
}

}  // namespace rl::analysis
