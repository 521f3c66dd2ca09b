#include "analysis/quick_example.hpp"

#include <bitset>
#include <cctype>
#include <vector>

namespace rl::analysis {

namespace {

using CharSet = std::bitset<256>;

// Bounds that keep us well inside what the automaton accepts at its default limits: where we answer,
// libfa answers too (same translation, far fewer states than AutomatonLimits::max_states).
constexpr std::size_t kMaxPattern = 256;
constexpr std::size_t kMaxFixedChars = 128;
constexpr int kMaxTailNodes = 12;

CharSet range(unsigned lo, unsigned hi) {
  CharSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}

// The sets are built once: spelling runs for every regex rule of a large rule set.
struct Sets {
  CharSet universe = range(1, 255) & ~range('\n', '\n');  // the translator's: every byte but NUL and LF
  CharSet digits = range('0', '9');
  CharSet letters = range('a', 'z') | range('A', 'Z');
  CharSet word = letters | digits | range('_', '_');
  CharSet spaces = range('\t', '\r') | range(' ', ' ');
  // The characters Language::path_example() allows: '/' first, then [-a-zA-Z0-9._~/].
  CharSet slash = range('/', '/');
  CharSet path = word | range('-', '/') | range('~', '~');
};
const Sets& sets() {
  static const Sets s;
  return s;
}

struct Node {
  bool is_set = true;
  CharSet set;                               // is_set
  std::vector<std::vector<Node>> branches;   // a group
  int lo = 1, hi = 1;                        // hi < 0: unbounded
};

// Recursive descent over a strict subset of PCRE2 (a subset of what the translator accepts).
class Parser {
 public:
  Parser(std::string_view p, bool ignore_case) : p_(p), icase_(ignore_case) {}

  bool run(std::vector<Node>& seq) {
    for (unsigned char c : p_)
      if (c < 0x20 || c >= 0x7f) return false;
    if (peek() != '^') return false;
    ++i_;
    return sequence(seq, true) && i_ == p_.size();
  }

 private:
  char peek(std::size_t k = 0) const { return i_ + k < p_.size() ? p_[i_ + k] : '\0'; }
  bool eof() const { return i_ >= p_.size(); }

  bool sequence(std::vector<Node>& out, bool top) {
    while (!eof() && peek() != '|' && peek() != ')') {
      if (peek() == '$') {
        ++i_;
        return top && eof();
      }
      Node n;
      if (!atom(n) || !quantifier(n)) return false;
      out.push_back(std::move(n));
    }
    return true;
  }

  bool atom(Node& n) {
    char c = peek();
    if (c == '(') return group(n);
    if (c == '[') return bracket(n.set);
    if (c == '\\') return escape(n.set);
    if (c == '.') {
      ++i_;
      n.set = sets().universe;
      return true;
    }
    if (std::string_view("*+?{^$|").find(c) != std::string_view::npos) return false;
    n.set.set(static_cast<unsigned char>(c));
    fold(n.set);
    ++i_;
    return true;
  }

  bool group(Node& n) {
    ++i_;
    if (peek() == '?') {
      char k = peek(1);
      std::size_t name_at = 0;
      char close = '>';
      if (k == ':') i_ += 2;
      else if (k == '<' && peek(2) != '=' && peek(2) != '!') name_at = i_ + 2;
      else if (k == 'P' && peek(2) == '<') name_at = i_ + 3;
      else if (k == '\'') name_at = i_ + 2, close = '\'';
      else return false;  // look-around, inline flags, atomic, conditional ...
      if (name_at) {
        std::size_t end = p_.find(close, name_at);
        if (end == std::string_view::npos) return false;
        i_ = end + 1;
      }
    }
    n.is_set = false;
    while (true) {
      n.branches.emplace_back();
      if (!sequence(n.branches.back(), false)) return false;
      if (peek() != '|') break;
      ++i_;
    }
    if (peek() != ')') return false;
    ++i_;
    return true;
  }

  // \d \w \s and their complements, or an escaped punctuation character.
  bool escape(CharSet& s) {
    char c = peek(1);
    i_ += 2;
    const Sets& k = sets();
    switch (c) {
      case 'd': s = k.digits; return true;
      case 'D': s = k.universe & ~k.digits; return true;
      case 'w': s = k.word; return true;
      case 'W': s = k.universe & ~k.word; return true;
      case 's': s = k.spaces; return true;
      case 'S': s = k.universe & ~k.spaces; return true;
      default: break;
    }
    if (c == '\0' || std::isalnum(static_cast<unsigned char>(c))) return false;
    s.set(static_cast<unsigned char>(c));
    return true;
  }

  bool bracket(CharSet& out) {
    ++i_;
    bool negate = peek() == '^';
    if (negate) ++i_;
    CharSet s;
    for (bool first = true;; first = false) {
      if (eof()) return false;
      char c = peek();
      if (c == ']' && !first) {
        ++i_;
        break;
      }
      if (c == '[') return false;  // POSIX classes and the translator's corner cases
      CharSet one;
      if (c == '\\') {
        if (!escape(one) || (peek() == '-' && peek(1) != ']')) return false;  // ranges from escapes
      } else {
        one.set(static_cast<unsigned char>(c));
        ++i_;
      }
      if (peek() == '-' && peek(1) != ']') {
        char h = peek(1);
        if (h == '\\' || h == '[' || h == '\0' || static_cast<unsigned char>(h) < static_cast<unsigned char>(c)) return false;
        i_ += 2;
        s |= range(static_cast<unsigned char>(c), static_cast<unsigned char>(h));
        continue;
      }
      s |= one;
    }
    fold(s);  // before the complement, as the translator does
    out = negate ? sets().universe & ~s : s & sets().universe;
    return out.any();
  }

  bool quantifier(Node& n) {
    char c = peek();
    if (c == '*') n.lo = 0, n.hi = -1;
    else if (c == '+') n.lo = 1, n.hi = -1;
    else if (c == '?') n.lo = 0, n.hi = 1;
    else if (c == '{') return counted(n) && !followed_by_quantifier();
    else return true;
    ++i_;
    return !followed_by_quantifier();
  }

  // Lazy '?' is the same language; possessive '+' and stacked quantifiers are left to the translator.
  bool followed_by_quantifier() {
    if (peek() == '?') ++i_;
    return std::string_view("*+?{").find(peek()) != std::string_view::npos && !eof();
  }

  // {n} {n,} {n,m} with n, m <= 32 (the translator's max_repeat); anything else is not covered.
  bool counted(Node& n) {
    ++i_;
    auto number = [&](int& v) {
      std::size_t b = i_;
      for (v = 0; std::isdigit(static_cast<unsigned char>(peek())) && i_ - b < 3; ++i_) v = v * 10 + (peek() - '0');
      return i_ > b && v <= 32;
    };
    if (!number(n.lo)) return false;
    n.hi = n.lo;
    if (peek() == ',') {
      ++i_;
      n.hi = -1;
      if (peek() != '}' && (!number(n.hi) || n.hi < n.lo)) return false;
    }
    if (peek() != '}') return false;
    ++i_;
    return true;
  }

  // [NC]: both cases of every letter, as the translator's fold_case (\d \w \s and their complements
  // and escaped punctuation need none).
  void fold(CharSet& s) const {
    if (!icase_) return;
    for (unsigned c = 'a'; c <= 'z'; ++c)
      if (s.test(c) || s.test(c - 'a' + 'A')) s.set(c).set(c - 'a' + 'A');
  }

  std::string_view p_;
  bool icase_ = false;
  std::size_t i_ = 0;
};

bool nullable(const std::vector<Node>& seq);
bool nullable(const Node& n) {
  if (n.lo == 0) return true;
  if (n.is_set) return false;
  for (const auto& b : n.branches)
    if (nullable(b)) return true;
  return false;
}
bool nullable(const std::vector<Node>& seq) {
  for (const Node& n : seq)
    if (!nullable(n)) return false;
  return true;
}

int node_count(const Node& n) {
  int k = 1;
  for (const auto& b : n.branches)
    for (const Node& m : b) k += node_count(m);
  return k;
}

// Spells the fixed run, then checks that the rest may match nothing.
class Speller {
 public:
  bool sequence(const std::vector<Node>& seq) {
    for (const Node& n : seq)
      if (!item(n)) return false;
    return true;
  }
  std::string out;

 private:
  bool item(const Node& n) {
    if (tail_) {
      tail_nodes_ += node_count(n);
      return tail_nodes_ <= kMaxTailNodes && nullable(n);
    }
    if (n.is_set) {
      for (int k = 0; k < n.lo; ++k)
        if (!spell(n.set)) return false;
      tail_ = n.hi != n.lo;
      return true;
    }
    if (n.lo == 0) return item_in_tail(n);
    if (n.branches.size() != 1 || n.lo != n.hi) return false;
    for (int k = 0; k < n.lo; ++k) {
      if (!sequence(n.branches[0])) return false;
      if (tail_ && k + 1 < n.lo) return false;  // (a+){2}: not a fixed run
    }
    return true;
  }

  bool item_in_tail(const Node& n) {
    tail_ = true;
    return item(n);
  }

  // fa_example's choice among the path characters: the lowest letter, else digit, else character
  // (pick_char takes the first letter of a range; a later range replaces it only with a lower score).
  bool spell(const CharSet& set) {
    if (out.size() >= kMaxFixedChars) return false;
    const Sets& k = sets();
    CharSet s = set & (out.empty() ? k.slash : k.path);
    CharSet pick = (s & k.letters).any() ? s & k.letters : (s & k.digits).any() ? s & k.digits : s;
    if (pick.none()) return false;
    int best = static_cast<int>(pick._Find_first());
    // The translator writes '-' as its own alternative beside the bracket: when it ties with another
    // punctuation character, libfa's pick depends on state addresses. Leave that to the automaton.
    if (!std::isalnum(best) && s.count() > 1 && s.test('-')) return false;
    out += static_cast<char>(best);
    return true;
  }

  bool tail_ = false;
  int tail_nodes_ = 0;
};

}  // namespace

std::optional<std::string> quick_path_example(std::string_view pcre, const AutomatonLimits& limits) {
  return quick_path_example(pcre, false, limits);
}

std::optional<std::string> quick_path_example(std::string_view pcre, bool ignore_case, const AutomatonLimits& limits) {
  const AutomatonLimits defaults;
  if (pcre.size() > kMaxPattern || pcre.size() > limits.max_pattern_bytes || limits.max_states < defaults.max_states ||
      limits.max_repeat < defaults.max_repeat || limits.max_fa_regex < defaults.max_fa_regex)
    return std::nullopt;
  std::vector<Node> seq;
  if (!Parser(pcre, ignore_case).run(seq)) return std::nullopt;
  Speller s;
  if (!s.sequence(seq) || s.out.empty()) return std::nullopt;
  return s.out;
}

bool automaton_fits(std::string_view pcre, bool ignore_case, std::string* why, const AutomatonLimits& limits) {
  if (quick_path_example(pcre, ignore_case, limits)) return true;
  return Language::from_pcre(pcre, ignore_case, why, limits).has_value();
}

}  // namespace rl::analysis
