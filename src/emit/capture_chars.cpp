// Which characters a regex capture group can hold, for deciding whether Apache and nginx write it
// the same way into a Location (SEMANTICS 1.6, 2.9, 3.5).
#include <cctype>
#include <string>

#include "analysis/facts.hpp"
#include "emit/common.hpp"

namespace rl::emit_detail {

namespace {

bool in_set(unsigned char c, std::string_view safe) {
  return std::isalnum(c) || safe.find(static_cast<char>(c)) != std::string_view::npos;
}

/// A backslash escape inside or outside a class: true when every character it matches is safe.
bool escape_safe(char e, std::string_view safe) {
  if (e == 'd') return true;
  if (e == 'w') return in_set('_', safe);
  if (std::isalnum(static_cast<unsigned char>(e))) return false;  // \s \S \W \D \x.. \p ..: refuse
  return in_set(static_cast<unsigned char>(e), safe);
}

}  // namespace

bool capture_within(std::string_view regex, int group, std::string_view safe) {
  std::optional<std::string> text = group == 0 ? std::optional<std::string>(std::string(regex)) : analysis::capture_group_text(regex, group);
  if (!text) return false;
  std::string_view g = *text;
  for (std::size_t i = 0; i < g.size(); ++i) {
    char c = g[i];
    switch (c) {
      case '\\':
        if (i + 1 >= g.size()) return false;
        // Assertions consume nothing.
        if (std::string_view("bBAzZG").find(g[i + 1]) != std::string_view::npos) {
          ++i;
          break;
        }
        if (!escape_safe(g[++i], safe)) return false;
        break;
      case '[': {
        std::size_t j = i + 1;
        if (j < g.size() && g[j] == '^') return false;
        bool first = true;
        for (; j < g.size() && (g[j] != ']' || first); ++j) {
          first = false;
          char m = g[j];
          if (m == '[') return false;  // POSIX classes: not analysed
          if (m == '\\') {
            if (j + 1 >= g.size() || !escape_safe(g[++j], safe)) return false;
            continue;
          }
          if (j + 2 < g.size() && g[j + 1] == '-' && g[j + 2] != ']') {
            for (int k = static_cast<unsigned char>(m); k <= static_cast<unsigned char>(g[j + 2]); ++k)
              if (!in_set(static_cast<unsigned char>(k), safe)) return false;
            j += 2;
            continue;
          }
          if (!in_set(static_cast<unsigned char>(m), safe)) return false;
        }
        if (j >= g.size()) return false;
        i = j;
        break;
      }
      case '{': {
        std::size_t close = g.find('}', i);
        if (close == std::string_view::npos) return false;
        for (std::size_t k = i + 1; k < close; ++k)
          if (!std::isdigit(static_cast<unsigned char>(g[k])) && g[k] != ',') return false;
        i = close;
        break;
      }
      case '(':
        if (i + 1 < g.size() && g[i + 1] == '?') {
          // (?: (?= (?! (?<name> (?<= (?<!: structure only; other (?...) constructs are refused.
          std::size_t k = i + 2;
          if (k < g.size() && (g[k] == ':' || g[k] == '=' || g[k] == '!')) {
            i = k;
          } else if (k < g.size() && g[k] == '<') {
            if (k + 1 < g.size() && (g[k + 1] == '=' || g[k + 1] == '!')) {
              i = k + 1;
            } else {
              std::size_t e = g.find('>', k);
              if (e == std::string_view::npos) return false;
              i = e;
            }
          } else {
            return false;
          }
        }
        break;
      case ')': case '|': case '*': case '+': case '?': case '^': case '$':
        break;
      case '.':
        return false;
      default:
        if (!in_set(static_cast<unsigned char>(c), safe)) return false;
    }
  }
  return true;
}

namespace {

/// Characters that Apache (ap_escape_uri) and nginx (raw, or escaped as args and partly unescaped)
/// both write unchanged into a Location: in the path, and after the target's own '?'.
constexpr std::string_view kSamePath = "-._~$!*'(),:@&=+/";
constexpr std::string_view kSameQuery = "-._~$!*'(),:@=/";

/// True when some capture of `tp` can hold a character outside `path_safe` (before the target's
/// first '?') or outside kSameQuery (after it).
bool captures_beyond(const Rule& r, const std::vector<Piece>& tp, std::string_view path_safe) {
  std::string mre = match_regex(r.match);
  int cond = -1;
  for (std::size_t k = 0; k < r.conds.size(); ++k)
    if (r.conds[k].op == CondOp::regex && !r.conds[k].pattern.negated) cond = static_cast<int>(k);
  bool in_query = false;
  for (const Piece& p : tp) {
    if (p.kind == Piece::literal && p.text.find('?') != std::string::npos) in_query = true;
    if (p.kind != Piece::rule_cap && p.kind != Piece::cond_cap) continue;
    std::string_view re = p.kind == Piece::rule_cap ? std::string_view(mre)
                          : cond >= 0 ? std::string_view(r.conds[static_cast<std::size_t>(cond)].pattern.text)
                                      : std::string_view();
    if (re.empty() || !capture_within(re, p.n, in_query ? kSameQuery : path_safe)) return true;
  }
  return false;
}

}  // namespace

bool captures_can_hold(const Rule& r, const std::vector<Piece>& tp, std::string_view chars) {
  std::string others;
  for (int c = 0x21; c < 0x7f; ++c)
    if (!std::isalnum(c) && chars.find(static_cast<char>(c)) == std::string_view::npos) others += static_cast<char>(c);
  return captures_beyond(r, tp, others);
}

bool captures_differ(const Rule& r, const std::vector<Piece>& tp) { return captures_beyond(r, tp, kSamePath); }

}  // namespace rl::emit_detail
