#pragma once
/// A compact read-only multimap from short text keys to 32-bit positions, for the simulators'
/// candidate indexes (issue 8). An unordered_map<string, vector<uint32_t>> cost about 130 bytes a
/// rule at 10^6 rules (node, key string, a heap vector each); this costs about 21: keys are kept as
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
  void add(std::string_view key, std::uint32_t pos) {
    building_.emplace_back(text_hash(key), pos);
    lengths_ |= length_bit(key.size());
  }

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
    // About 8 bits a key, two of them set in one 64-bit word: a probe for an absent key (most
    // probes: a subject's prefixes are tried at every length) costs one read of a small array.
    std::size_t words = 1;
    while (words * 8 < n) words *= 2;
    bloom_.assign(words, 0);
    for (std::uint64_t h : hashes_) bloom_[bloom_word(h)] |= bloom_bits(h);
  }

  /// Appends the positions filed under `key` (ascending) to `out`; perhaps a few of another key.
  template <class Out>
  void collect(std::string_view key, Out& out) const {
    if (!(lengths_ & length_bit(key.size())) || hashes_.empty()) return;
    const std::uint64_t h = text_hash(key);
    const std::uint64_t bits = bloom_bits(h);
    if ((bloom_[bloom_word(h)] & bits) != bits) return;
    const std::size_t b = bucket(h);
    for (std::uint32_t i = dir_[b], end = dir_[b + 1]; i < end && hashes_[i] <= h; ++i)
      if (hashes_[i] == h) out.push_back(positions_[i]);
  }

  std::size_t size() const { return hashes_.size(); }

 private:
  std::size_t bucket(std::uint64_t h) const { return static_cast<std::size_t>(h >> (64 - bits_)); }
  // The Bloom word comes from the low bits, the two bits from the middle ones (the directory uses the top).
  std::size_t bloom_word(std::uint64_t h) const { return static_cast<std::size_t>(h) & (bloom_.size() - 1); }
  static std::uint64_t bloom_bits(std::uint64_t h) {
    return (std::uint64_t{1} << ((h >> 32) & 63)) | (std::uint64_t{1} << ((h >> 38) & 63));
  }
  static std::uint64_t length_bit(std::size_t len) { return std::uint64_t{1} << (len < 63 ? len : 63); }

  std::vector<std::pair<std::uint64_t, std::uint32_t>> building_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> positions_;
  std::vector<std::uint32_t> dir_;  ///< dir_[b]..dir_[b+1]: the entries whose hash's top bits_ bits are b
  std::vector<std::uint64_t> bloom_;
  std::uint64_t lengths_ = 0;  ///< bit L: some key has L bytes (bit 63: 63 or more)
  int bits_ = 1;
};

}  // namespace rl
