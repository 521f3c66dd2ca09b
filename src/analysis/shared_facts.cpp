#include "analysis/shared_facts.hpp"

#include "analysis/facts.hpp"

#include <algorithm>

namespace rl::analysis {

SharedFacts::SharedFacts(const RuleSet& rs) : rs_(rs), examples_(std::make_shared<Examples>()) {
  examples_->slots.resize(rs.rules.size());
}

SharedFacts::SharedFacts(SharedFacts& first, const RuleSet& rs) : rs_(rs) {
  // Filled now, so that neither object writes them again (example_paths only writes an empty slot).
  for (RuleId id = 0; id < rs.rules.size(); ++id) first.example_paths(id);
  first.prefix_index();
  first.evidence_options();
  examples_ = first.examples_;
  index_ = first.index_;
  evidence_ = first.evidence_;
}

std::span<const std::string> SharedFacts::example_paths(RuleId id) {
  Examples& ex = *examples_;
  ExampleSlot& slot = ex.slots[id];
  if (!slot.filled) {
    std::vector<std::string> paths = analysis::example_paths(rs_, rs_.rules[id], match_regex(id));
    std::size_t n = std::min<std::size_t>(paths.size(), kChunk);  // example_paths gives a handful
    slot.filled = true;
    if (n) {
      if (ex.used + n > kChunk) {
        ex.chunks.push_back(std::make_unique<std::string[]>(kChunk));
        ex.used = 0;
      }
      slot.first = static_cast<std::uint32_t>((ex.chunks.size() - 1) * kChunk + ex.used);
      slot.count = static_cast<std::uint16_t>(n);
      std::string* at = ex.chunks.back().get() + ex.used;
      for (std::size_t i = 0; i < n; ++i) at[i] = std::move(paths[i]);
      ex.used += n;
    }
  }
  if (!slot.count) return {};
  return {ex.chunks[slot.first / kChunk].get() + slot.first % kChunk, slot.count};
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
  if (!index_) index_ = std::make_shared<const PrefixIndex>(rs_);
  return *index_;
}

const SimOptions& SharedFacts::evidence_options() {
  if (!evidence_) evidence_ = std::make_shared<const SimOptions>(analysis::evidence_options(rs_));
  return *evidence_;
}

const RedirectGraph& SharedFacts::redirect_graph(int max_hops, int min_hops) {
  auto key = std::make_pair(max_hops, min_hops);
  auto it = graphs_.find(key);
  if (it == graphs_.end()) it = graphs_.emplace(key, build_redirect_graph(*this, max_hops, min_hops)).first;
  return it->second;
}

const Origins& SharedFacts::origins() {
  if (!origins_) origins_ = origins_of(rs_, conditions_);
  return *origins_;
}

const std::vector<SameSourcePair>& SharedFacts::same_source_pairs() {
  if (!same_source_) same_source_ = analysis::same_source_pairs(*this);
  return *same_source_;
}

}  // namespace rl::analysis
