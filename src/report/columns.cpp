#include "report/report.hpp"

namespace rl {

namespace {

// Length of the UTF-8 sequence that starts with byte `c` (1 for stray continuation or invalid bytes,
// so hostile input still advances).
std::size_t sequence_length(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF4) return 4;
  if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
  if (c >= 0xC2) return 2;
  return 1;
}

struct Cursor {
  std::size_t byte = 0, chars = 0, units = 0;  // 0-based offsets in bytes, code points, UTF-16 units
};

// Walks `line` one character at a time (one per byte past its end) until `stop(cursor)` holds.
template <class Stop>
Cursor advance(std::string_view line, Stop stop) {
  Cursor c;
  while (!stop(c)) {
    std::size_t n = c.byte < line.size() ? sequence_length(static_cast<unsigned char>(line[c.byte])) : 1;
    if (c.byte + n > line.size()) n = 1;
    c.byte += n;
    ++c.chars;
    c.units += n == 4 ? 2 : 1;
  }
  return c;
}

std::size_t zero_based(std::uint32_t column) { return column ? column - 1 : 0; }

}  // namespace

std::uint32_t codepoint_column(std::string_view line, std::uint32_t byte_column) {
  auto c = advance(line, [t = zero_based(byte_column)](const Cursor& at) { return at.byte >= t; });
  return static_cast<std::uint32_t>(c.chars + 1);
}

std::uint32_t utf16_column(std::string_view line, std::uint32_t byte_column) {
  auto c = advance(line, [t = zero_based(byte_column)](const Cursor& at) { return at.byte >= t; });
  return static_cast<std::uint32_t>(c.units + 1);
}

std::uint32_t byte_column_from_utf16(std::string_view line, std::uint32_t utf16_col) {
  auto c = advance(line, [t = zero_based(utf16_col)](const Cursor& at) { return at.units >= t; });
  return static_cast<std::uint32_t>(c.byte + 1);
}

}  // namespace rl
