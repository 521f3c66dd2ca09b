#pragma once
/// Hexadecimal digits, shared by every %XX decoder (URLs, YAML sources, the LSP, emitters).

#include <cstdint>
#include <string>

namespace rl {

/// `v` as 16 lower-case hex digits (fingerprints in CI reports and baselines).
inline std::string hex64(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = digits[v & 15];
  return s;
}

/// The value of one hex digit (either case), or -1 when `c` is not one.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace rl
