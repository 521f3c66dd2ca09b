#pragma once
/// Hexadecimal digits, shared by every %XX decoder (URLs, YAML sources, the LSP, emitters).

namespace rl {

/// The value of one hex digit (either case), or -1 when `c` is not one.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace rl
