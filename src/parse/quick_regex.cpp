#include "parse/quick_regex.hpp"

namespace rl {

bool quick_valid_regex(std::string_view p, int& groups) {
  // Far below PCRE2's limits on pattern size and parenthesis nesting (250).
  constexpr std::size_t kMaxLength = 4096;
  constexpr int kMaxDepth = 200;
  if (p.size() > kMaxLength) return false;
  int depth = 0, count = 0;
  bool repeatable = false;  // the previous item may take a quantifier
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    switch (c) {
      case '\0': case '[': case ']': case '{': case '}':
        return false;
      case '^': case '$': case '|':
        repeatable = false;
        break;
      case '.':
        repeatable = true;
        break;
      case '*': case '+': case '?':
        // `a*?` (lazy), `a*+` (possessive) and `^*` are left to PCRE2.
        if (!repeatable) return false;
        repeatable = false;
        break;
      case '(':
        if (i + 1 < p.size() && (p[i + 1] == '?' || p[i + 1] == '*')) return false;
        if (++depth > kMaxDepth) return false;
        ++count;
        repeatable = false;
        break;
      case ')':
        if (depth == 0) return false;
        --depth;
        repeatable = true;
        break;
      case '\\': {
        if (i + 1 >= p.size()) return false;
        const unsigned char e = static_cast<unsigned char>(p[++i]);
        const bool class_escape = e == 'd' || e == 'D' || e == 'w' || e == 'W' || e == 's' || e == 'S';
        const bool punct = e >= 0x21 && e <= 0x7e && !(e >= '0' && e <= '9') && !(e >= 'a' && e <= 'z') &&
                           !(e >= 'A' && e <= 'Z');
        if (!class_escape && !punct) return false;
        repeatable = true;
        break;
      }
      default:
        repeatable = true;  // a literal byte (no UTF mode: any byte is one character)
    }
  }
  if (depth != 0) return false;
  groups = count;
  return true;
}

}  // namespace rl
