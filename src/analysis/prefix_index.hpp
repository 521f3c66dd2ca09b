#pragma once
/// An index of rules by the literal text every path they match starts with (DESIGN §5: "index by
/// literal prefix so that 100k rules are not compared pairwise"). Lookups return a superset of the
/// rules that can match; callers confirm with the real patterns and the simulator.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace rl::analysis {

class PrefixIndex {
 public:
  explicit PrefixIndex(const RuleSet& rs);

  /// Rules that may match the decoded path `path`: one hash lookup per distinct key length.
  std::vector<RuleId> candidates_for_path(std::string_view path) const;
  /// True when candidates_for_path(path) is not empty (no allocation).
  bool has_candidates(std::string_view path) const;
  /// Rules whose key is a prefix of `prefix` (they may match paths starting with it), plus rules without a key.
  std::vector<RuleId> candidates_covering(std::string_view prefix, bool exact) const;
  /// candidates_covering(key(id), is_exact(id)) without looking the rule's own key up again.
  std::vector<RuleId> candidates_covering_rule(RuleId id) const;
  /// The literal text every matched path starts with ("" = unknown); exact keys are whole paths.
  std::string_view key(RuleId id) const { return group_of_[id] ? group(group_of_[id]).key : std::string_view(); }
  bool is_exact(RuleId id) const { return group_of_[id] & kExactBit; }

 private:
  // Rules of one key, linked through next_ in file order. Flat open-addressing tables of group
  // numbers replace node-based maps (1M rules: ~45 MB instead of ~130 MB, and fewer cache misses).
  struct Group {
    std::uint64_t hash = 0;
    std::string_view key;  ///< into the rule set's own text, or owned_
    RuleId head = 0, tail = 0;
  };
  struct Table {
    std::deque<Group> groups;  ///< a deque: grows without a 1.5x copy, in small blocks that reuse freed heap
    std::vector<std::uint32_t> slots;  ///< a power of two; group index + 1, 0 = empty
    const Group* find(std::string_view key, std::uint64_t hash) const;
    const std::uint32_t* slot(std::string_view key, std::uint64_t hash) const;  ///< its slot, or the empty one ending the probe
    std::uint32_t insert(std::string_view key, std::uint64_t hash);  ///< the group's index + 1
  };
  static constexpr std::uint32_t kExactBit = 1u << 31;
  /// With kExactBit: the group is in icase_exact_ (a case-insensitive exact pattern, e.g. an nginx
  /// `map` key, keyed by its lower-cased text) instead of being a rule without a key.
  static constexpr std::uint32_t kIcaseBit = 1u << 30;
  static constexpr RuleId kNoRule = static_cast<RuleId>(-1);

  const Group& group(std::uint32_t g) const {
    const Table& t = g & kIcaseBit ? icase_exact_ : g & kExactBit ? exact_ : prefix_;
    return t.groups[(g & ~(kExactBit | kIcaseBit)) - 1];
  }
  /// Appends the case-insensitive exact rules whose key is `path` lower-cased.
  template <class F>
  void for_icase_exact(std::string_view path, F&& f) const;
  template <class F>
  void for_each_id(const Group& g, F&& f) const {
    for (RuleId id = g.head; id != kNoRule; id = next_[id]) f(id);
  }
  // Calls f(group) for each prefix key that starts `path`, shortest first.
  template <class F>
  void for_each_prefix(std::string_view path, F&& f) const;
  // A two-hash Bloom filter over every key (16+ bits per key, ~1.5% false hits): most probes miss,
  // and the bit array stays in cache where the large tables do not.
  std::size_t bit1(std::uint64_t hash) const { return (hash >> 32) & (filter_.size() * 64 - 1); }
  std::size_t bit2(std::uint64_t hash) const {
    return ((hash * 0x9e3779b97f4a7c15ull) >> 24) & (filter_.size() * 64 - 1);
  }
  void remember(std::uint64_t hash) {
    for (std::size_t b : {bit1(hash), bit2(hash)}) filter_[b / 64] |= std::uint64_t{1} << (b % 64);
  }
  bool may_hold(std::uint64_t hash) const {
    std::size_t a = bit1(hash), b = bit2(hash);
    return (filter_[a / 64] >> (a % 64)) & (filter_[b / 64] >> (b % 64)) & 1;
  }

  std::vector<std::uint32_t> group_of_;  ///< per rule: group number (| kExactBit), 0 = no key
  std::vector<RuleId> next_;             ///< per rule: the next rule of its group, kNoRule at the end
  std::deque<std::string> owned_;        ///< keys that are not a piece of the rule's own text
  Table exact_, prefix_, icase_exact_;
  std::vector<std::size_t> prefix_lengths_;  ///< distinct key lengths of prefix_, ascending
  std::vector<RuleId> universal_;
  std::vector<std::uint64_t> filter_;  ///< a power of two of 64-bit words
};

}  // namespace rl::analysis
