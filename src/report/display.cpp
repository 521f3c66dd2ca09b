#include "report/report.hpp"
#include "report/json_text.hpp"

namespace rl {

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (no overlongs, no surrogates), 0 when not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = at(i);
  std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((at(i + k) & 0xC0) != 0x80) return 0;
  unsigned char d = at(i + 1);
  if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d >= 0xA0) || (c == 0xF0 && d < 0x90) || (c == 0xF4 && d >= 0x90))
    return 0;
  return n;
}

}  // namespace

std::string display_text(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : utf8_sequence(s, i);
    // C1 controls (U+0080..U+009F) are escape sequences to many terminals, as C0 ones are.
    bool control = (c < 0x20 && c != '\t') || c == 0x7f || n == 0 ||
                   (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0);
    if (!control) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    for (std::size_t k = 0; k < (n ? n : 1); ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      out += {'\\', 'x', kHex[b >> 4], kHex[b & 15]};
    }
    i += n ? n : 1;
  }
  return out;
}

std::string json_text(const nlohmann::ordered_json& j, int indent) {
  std::string s = j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  // In dumped JSON the bytes C2 80..C2 9F can only be U+0080..U+009F inside a string.
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (static_cast<unsigned char>(s[i]) == 0xC2 && next >= 0x80 && next <= 0x9F) {
      out += {'\\', 'u', '0', '0', kHex[next >> 4], kHex[next & 15]};
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace rl
