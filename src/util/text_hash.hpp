#pragma once
/// A fast 64-bit hash of short texts (paths, source keys) for flat hash tables: eight bytes per step
/// with a multiply-xorshift mix. Not for untrusted-collision resistance: every table that uses it
/// either confirms a hit on the whole text or only answers supersets (KeyPositions).
#include <cstdint>
#include <cstring>
#include <string_view>

namespace rl {

/// Mixes one 64-bit word into a well-spread one.
inline std::uint64_t hash_mix(std::uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

/// The hash of `s`, chained from `seed` (hash a sequence of fields by passing the last hash on).
inline std::uint64_t text_hash(std::string_view s, std::uint64_t seed = 0) {
  std::uint64_t h = seed ^ (s.size() * 0x9e3779b97f4a7c15ull);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = hash_mix(h ^ w) + i;
  }
  std::uint64_t w = 0;
  if (i < s.size()) std::memcpy(&w, s.data() + i, s.size() - i);
  return hash_mix(h ^ w ^ 0x5bd1e995ull);
}

}  // namespace rl
