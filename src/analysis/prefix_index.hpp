#pragma once
/// An index of rules by the literal text every path they match starts with (DESIGN §5: "index by
/// literal prefix so that 100k rules are not compared pairwise"). Lookups return a superset of the
/// rules that can match; callers confirm with the real patterns and the simulator.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
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
  /// The literal text every matched path starts with ("" = unknown); exact keys are whole paths.
  const std::string& key(RuleId id) const { return keys_[id] ? *keys_[id] : no_key_; }
  bool is_exact(RuleId id) const { return exact_[id]; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, std::vector<RuleId>, Hash, std::equal_to<>>;
  // Calls f(ids) for each key of prefix_map_ that is a prefix of `path`, shortest first.
  template <class F>
  void for_each_prefix(std::string_view path, F&& f) const;
  // A one-hash Bloom filter over every key (8+ bits per key): most probes miss, and the bit array
  // stays in cache where the large maps do not.
  std::size_t bit(std::string_view key) const { return Hash{}(key) & (filter_.size() * 64 - 1); }
  void remember(std::string_view key) {
    std::size_t b = bit(key);
    filter_[b / 64] |= std::uint64_t{1} << (b % 64);
  }
  bool may_hold(std::string_view key) const {
    std::size_t b = bit(key);
    return (filter_[b / 64] >> (b % 64)) & 1;
  }

  std::vector<const std::string*> keys_;  ///< into the maps' keys (stable); nullptr: no key
  std::string no_key_;
  std::vector<bool> exact_;
  Map exact_map_, prefix_map_;
  std::vector<std::size_t> prefix_lengths_;  ///< distinct key lengths of prefix_map_, ascending
  std::vector<RuleId> universal_;
  std::vector<std::uint64_t> filter_;  ///< a power of two of 64-bit words
};

}  // namespace rl::analysis
