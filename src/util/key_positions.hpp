#pragma once
/// A compact read-only multimap from short text keys to 32-bit positions, for the simulators'
/// candidate indexes (issue 8). An unordered_map<string, vector<uint32_t>> cost about 130 bytes a
/// rule at 10^6 rules (node, key string, a heap vector each); this costs about 20: keys are kept as
/// 64-bit hashes only, sorted, with a directory on their top bits (two cache misses a probe). A hash
/// collision can add positions to an answer, never drop one: use it only where the answer is a
/// superset that the caller then tries (every candidate is matched for real).
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "util/text_hash.hpp"

namespace rl {

class KeyPositions {
 public:
  /// Files `pos` under `key`. Only before finish().
  void add(std::string_view key, std::uint32_t pos) { building_.emplace_back(text_hash(key), pos); }

  /// Sorts what was added and builds the directory; the index is read-only afterwards.
  void finish() {
    std::sort(building_.begin(), building_.end());
    const std::size_t n = building_.size();
    bits_ = 1;
    while (bits_ < 32 && (std::size_t{1} << bits_) < n) ++bits_;
    hashes_.resize(n);
    positions_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      hashes_[i] = building_[i].first;
      positions_[i] = building_[i].second;
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>>().swap(building_);
    dir_.assign((std::size_t{1} << bits_) + 1, 0);
    std::size_t i = 0;
    for (std::size_t b = 0; b < (std::size_t{1} << bits_); ++b) {
      dir_[b] = static_cast<std::uint32_t>(i);
      while (i < n && bucket(hashes_[i]) == b) ++i;
    }
    dir_.back() = static_cast<std::uint32_t>(n);
  }

  /// Appends the positions filed under `key` (ascending) to `out`; perhaps a few of another key.
  template <class Out>
  void collect(std::string_view key, Out& out) const {
    if (hashes_.empty()) return;
    const std::uint64_t h = text_hash(key);
    const std::size_t b = bucket(h);
    for (std::uint32_t i = dir_[b], end = dir_[b + 1]; i < end && hashes_[i] <= h; ++i)
      if (hashes_[i] == h) out.push_back(positions_[i]);
  }

  std::size_t size() const { return hashes_.size(); }

 private:
  std::size_t bucket(std::uint64_t h) const { return static_cast<std::size_t>(h >> (64 - bits_)); }

  std::vector<std::pair<std::uint64_t, std::uint32_t>> building_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> positions_;
  std::vector<std::uint32_t> dir_;  ///< dir_[b]..dir_[b+1]: the entries whose hash's top bits_ bits are b
  int bits_ = 1;
};

}  // namespace rl
