#include "analysis/automaton.hpp"
#include "analysis/quick_example.hpp"
#include "util/hex.hpp"

#include <algorithm>
#include <atomic>
#include <bitset>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

extern "C" {
#include <fa.h>
}

namespace rl::analysis {

namespace {

using CharSet = std::bitset<256>;

// The universe: every byte but NUL and LF. libfa strings are C strings; a path whose decoded form
// holds a newline (%0A) is an attack, not a page, and PCRE's '.' excluding it would otherwise keep
// `^/a(/.*)?$` from covering the mod_alias prefix `/a` (docs/checks/RL203.md says so).
CharSet universe() {
  CharSet s;
  s.set();
  s.reset(0);
  s.reset('\n');
  return s;
}

void add_range(CharSet& s, unsigned lo, unsigned hi) {
  for (unsigned c = lo; c <= hi && c < 256; ++c) s.set(c);
}

void add_digit(CharSet& s) { add_range(s, '0', '9'); }
void add_word(CharSet& s) {
  add_range(s, 'a', 'z');
  add_range(s, 'A', 'Z');
  add_digit(s);
  s.set('_');
}
void add_space(CharSet& s) {
  for (char c : {' ', '\t', '\n', '\r', '\f', '\v'}) s.set(static_cast<unsigned char>(c));
}

CharSet complement(const CharSet& s) { return universe() & ~s; }

void fold_case(CharSet& s) {
  for (unsigned c = 'a'; c <= 'z'; ++c) {
    unsigned u = c - 'a' + 'A';
    if (s.test(c) || s.test(u)) {
      s.set(c);
      s.set(u);
    }
  }
}

bool is_special_in_bracket(unsigned c) { return c == ']' || c == '-' || c == '^' || c == '['; }

// One byte outside brackets: letters and digits raw, punctuation escaped, control bytes in brackets.
std::string emit_char(unsigned c) {
  if (std::isalnum(static_cast<int>(c)) || c >= 0x80) return std::string(1, static_cast<char>(c));
  if (c > 0x20 && c < 0x7f) return std::string("\\") + static_cast<char>(c);
  if (c == ' ') return "\\ ";
  return std::string("[") + static_cast<char>(c) + "]";
}

// A set as libfa syntax. Bracket specials go outside as escaped alternatives, ranges never cross
// 0x7f/0x80 (libfa compares chars signed).
std::string emit_set(CharSet s) {
  s.reset(0);
  if (s.count() == 1)
    for (unsigned c = 1; c < 256; ++c)
      if (s.test(c)) return emit_char(c);
  std::vector<std::string> pieces;
  std::string bracket;
  unsigned c = 1;
  while (c < 256) {
    if (!s.test(c) || is_special_in_bracket(c)) {
      ++c;
      continue;
    }
    unsigned e = c;
    while (e + 1 < 256 && s.test(e + 1) && !is_special_in_bracket(e + 1) && !(e == 0x7f)) ++e;
    bracket += static_cast<char>(c);
    if (e > c) {
      if (e > c + 1) bracket += '-';
      bracket += static_cast<char>(e);
    }
    c = e + 1;
  }
  if (!bracket.empty()) pieces.push_back("[" + bracket + "]");
  for (unsigned sc : {']', '-', '^', '['})
    if (s.test(sc)) pieces.push_back(std::string("\\") + static_cast<char>(sc));
  if (pieces.size() == 1) return pieces[0];
  std::string out = "(";
  for (std::size_t i = 0; i < pieces.size(); ++i) out += (i ? "|" : "") + pieces[i];
  return out + ")";
}

// Keeps a set inside the alphabet (no NUL, no LF): patterns are claimed about on that alphabet only.
CharSet in_alphabet(CharSet s) { return s & universe(); }

// A translated pattern: the regular-expression tree both libfa's regex text and the size estimate
// (fits_limits) are made from.
struct Node {
  enum class Kind { set, cat, alt, rep } kind = Kind::cat;
  CharSet set;             // Kind::set: a non-empty subset of universe()
  std::vector<Node> kids;  // cat, alt; rep: kids[0]. An empty cat is the empty string.
  int lo = 0, hi = -1;     // rep: {lo,hi}; hi -1 = unbounded

  static Node of_set(const CharSet& s) {
    Node n;
    n.kind = Kind::set;
    n.set = s;
    return n;
  }
  static Node repeat(Node k, int lo, int hi) {
    Node n;
    n.kind = Kind::rep;
    n.lo = lo;
    n.hi = hi;
    n.kids.push_back(std::move(k));
    return n;
  }
  static Node of(Kind k, std::vector<Node> kids) {
    Node n;
    n.kind = k;
    n.kids = std::move(kids);
    return n;
  }
};

Node any_string_node() { return Node::repeat(Node::of_set(universe()), 0, -1); }

// libfa regex text of `n` (an alternation as a whole is parenthesised, each branch too).
std::string emit(const Node& n) {
  switch (n.kind) {
    case Node::Kind::set: return emit_set(n.set);
    case Node::Kind::cat: {
      if (n.kids.empty()) return "()";
      std::string out;
      for (const Node& k : n.kids) out += emit(k);
      return out;
    }
    case Node::Kind::alt: {
      std::string out = "(";
      for (std::size_t i = 0; i < n.kids.size(); ++i) out += (i ? "|(" : "(") + emit(n.kids[i]) + ")";
      return out + ")";
    }
    case Node::Kind::rep: break;
  }
  std::string wrapped = "(" + emit(n.kids[0]) + ")";
  if (n.lo == 0 && n.hi == -1) return wrapped + "*";
  if (n.lo == 1 && n.hi == -1) return wrapped + "+";
  if (n.hi == -1) return wrapped + "{" + std::to_string(n.lo) + ",}";
  // X{2,5} as X{2} then X? three times, not libfa's X{2,5}: libfa nests the optional copies
  // (X(X(X)?)?)?, whose subset construction is exponential where the flat X?X?X? one is not
  // (`.*a[ab]{0,24}b` took 7 s in fa_minimize; found by fuzz_automaton).
  std::string out;
  if (n.lo == 1) out = wrapped;
  else if (n.lo > 1) out = wrapped + "{" + std::to_string(n.lo) + "}";
  for (int i = n.lo; i < n.hi; ++i) out += wrapped + "?";
  return out.empty() ? "()" : out;
}

std::string any_string() { return emit(any_string_node()); }

// Recursive descent over the PCRE2 syntax we can translate exactly; everything else fails.
class Translator {
 public:
  Translator(std::string_view p, bool icase, const AutomatonLimits& lim) : p_(p), icase_(icase), lim_(lim) {}

  /// The tree of the whole pattern (top-level branches, search semantics explicit), or nullopt + why.
  std::optional<Node> run(std::string* why) {
    Node out;
    if (p_.size() > lim_.max_pattern_bytes) fail("pattern too long");
    else out = top();
    if (ok_ && i_ != p_.size()) fail("unbalanced ')'");
    if (!ok_) {
      if (why) *why = why_;
      return std::nullopt;
    }
    return out;
  }

 private:
  bool fail(std::string msg) {
    if (ok_) why_ = std::move(msg);
    ok_ = false;
    return false;
  }
  bool eof() const { return i_ >= p_.size(); }
  char peek(std::size_t k = 0) const { return i_ + k < p_.size() ? p_[i_ + k] : '\0'; }

  // One atom of a character set, refused when nothing of it is in the alphabet (a pattern that needs
  // a newline claims nothing about paths).
  bool set_atom(CharSet s, Node& out) {
    if (icase_) fold_case(s);
    s = in_alphabet(s);
    if (s.none()) return fail("a character that can only be a newline or NUL");
    out = Node::of_set(s);
    return true;
  }

  // Top level: branches, each with its own optional ^ and $.
  Node top() {
    Node alt = Node::of(Node::Kind::alt, {});
    while (ok_) {
      bool start = false, end = false;
      Node b = sequence(true, start, end);
      if (!ok_) return alt;
      std::vector<Node> parts;
      if (!start) parts.push_back(any_string_node());
      parts.push_back(std::move(b));
      if (!end) parts.push_back(any_string_node());
      alt.kids.push_back(Node::of(Node::Kind::cat, std::move(parts)));
      if (eof() || peek() == ')') break;
      ++i_;  // '|'
    }
    return alt;
  }

  // A sequence up to '|' or ')' or the end. At top level, '^' is allowed first and '$' last.
  Node sequence(bool top_level, bool& anchored_start, bool& anchored_end) {
    Node out = Node::of(Node::Kind::cat, {});
    bool emitted = false;
    while (ok_ && !eof() && peek() != '|' && peek() != ')') {
      if (anchored_end) {
        fail("text after '$'");
        return out;
      }
      char c = peek();
      bool is_start_anchor = c == '^' || (c == '\\' && peek(1) == 'A');
      bool is_end_anchor = c == '$' || (c == '\\' && (peek(1) == 'z' || peek(1) == 'Z'));
      if (is_start_anchor) {
        if (!top_level || emitted || anchored_start) {
          fail("'^' not at the start of the pattern");
          return out;
        }
        i_ += c == '^' ? 1 : 2;
        anchored_start = true;
        continue;
      }
      if (is_end_anchor) {
        if (!top_level) {
          fail("'$' inside a group");
          return out;
        }
        i_ += c == '$' ? 1 : 2;
        anchored_end = true;
        continue;
      }
      Node a;
      std::vector<Node> before;  // \Q..\E: the characters before its last, which alone a quantifier repeats
      bool produced = atom(a, before);
      if (!ok_) return out;
      if (!produced) continue;  // (?i) and friends
      quantified(a);
      if (!ok_) return out;
      for (Node& b : before) out.kids.push_back(std::move(b));
      out.kids.push_back(std::move(a));
      emitted = true;
    }
    // (?i) applies to the end of the enclosing group (the group restores it at ')').
    return out;
  }

  // Parses one quantifier (if any) after an atom and wraps it.
  void quantified(Node& a) {
    if (eof()) return;
    char c = peek();
    int lo = -1, hi = -1;
    if (c == '*') lo = 0, hi = -1, ++i_;
    else if (c == '+') lo = 1, hi = -1, ++i_;
    else if (c == '?') lo = 0, hi = 1, ++i_;
    else if (c == '{') {
      std::size_t save = i_;
      if (!counted(lo, hi)) {
        i_ = save;  // not a quantifier: PCRE reads '{' literally
        return;
      }
    } else
      return;
    if (peek() == '+') {
      fail("possessive quantifier");
      return;
    }
    if (peek() == '?') ++i_;  // lazy: same language
    if (lo > lim_.max_repeat || hi > lim_.max_repeat) {
      fail("repeat count too large");
      return;
    }
    if (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{') {
      std::size_t save = i_;
      int x, y;
      if (peek() != '{' || counted(x, y)) {
        fail("nested quantifier");
        return;
      }
      i_ = save;
    }
    a = Node::repeat(std::move(a), lo, hi);
  }

  // {n} {n,} {n,m}; false when the text is not a valid counted quantifier.
  bool counted(int& lo, int& hi) {
    ++i_;  // '{'
    auto number = [&](int& v) {
      std::size_t b = i_;
      long n = 0;
      while (!eof() && std::isdigit(static_cast<unsigned char>(peek()))) {
        n = n * 10 + (peek() - '0');
        if (n > 100000) n = 100000;
        ++i_;
      }
      v = static_cast<int>(n);
      return i_ > b;
    };
    if (!number(lo)) return false;
    if (peek() == '}') {
      ++i_;
      hi = lo;
      return true;
    }
    if (peek() != ',') return false;
    ++i_;
    if (peek() == '}') {
      ++i_;
      hi = -1;
      return true;
    }
    if (!number(hi) || peek() != '}' || hi < lo) return false;
    ++i_;
    return true;
  }

  // One atom. Returns false (with ok_) when it produced nothing (an inline flag group). For \Q..\E,
  // `out` is its last character and `before` the others (PCRE2 quantifies the last one only).
  bool atom(Node& out, std::vector<Node>& before) {
    char c = peek();
    if (c == '(') return group(out);
    if (c == '[') {
      CharSet s;
      if (!bracket(s)) return false;
      return set_atom(s, out);
    }
    if (c == '.') {
      ++i_;
      return set_atom(universe(), out);  // PCRE2's '.' is any byte but LF
    }
    if (c == '*' || c == '+' || c == '?') return fail("quantifier without an atom");
    if (c == '\\') {
      CharSet s;
      std::string literal;
      if (!escape(s, false, &literal)) return false;
      if (literal.empty()) return set_atom(s, out);
      for (std::size_t k = 0; k < literal.size(); ++k) {
        CharSet one;
        one.set(static_cast<unsigned char>(literal[k]));
        Node n;
        if (!set_atom(one, n)) return false;
        if (k + 1 < literal.size()) before.push_back(std::move(n));
        else out = std::move(n);
      }
      return true;
    }
    ++i_;
    CharSet s;
    s.set(static_cast<unsigned char>(c));
    return set_atom(s, out);
  }

  // The branches of a group body up to its ')', which is consumed.
  bool group_body(Node& out) {
    std::vector<Node> branches;
    bool s = false, e = false;
    while (ok_) {
      branches.push_back(sequence(false, s, e));
      if (!ok_) return false;
      if (peek() == '|') {
        ++i_;
        continue;
      }
      break;
    }
    if (peek() != ')') return fail("missing ')'");
    ++i_;
    out = Node::of(Node::Kind::alt, std::move(branches));
    return true;
  }

  bool group(Node& out) {
    ++i_;  // '('
    if (peek() == '?') {
      char k = peek(1);
      if (k == ':') i_ += 2;
      else if (k == '<' && peek(2) != '=' && peek(2) != '!') {
        if (!skip_name('>')) return false;
      } else if (k == 'P' && peek(2) == '<') {
        ++i_;
        if (!skip_name('>')) return false;
      } else if (k == '\'') {
        if (!skip_name('\'')) return false;
      } else if (k == 'i' || k == '-' || k == 's' || k == 'm' || k == 'x' || k == 'n' || k == 'U' || k == 'J') {
        return inline_flags(out);
      } else {
        return fail("unsupported group \"(?" + std::string(1, k) + "\" (look-around, atomic or conditional)");
      }
    } else if (peek() == '*') {
      return fail("(*VERB) or (*...) group");
    }
    bool saved = icase_;
    bool ok = group_body(out);
    icase_ = saved;
    return ok;
  }

  bool skip_name(char close) {
    // i_ at '?'; skip "?<" / "?'" then the name.
    i_ += 2;
    while (!eof() && peek() != close) ++i_;
    if (eof()) return fail("unterminated group name");
    ++i_;
    return true;
  }

  // (?i) (?-i) (?i:...); other flags (s, m, x, n, U, J) change what we translate: refused.
  bool inline_flags(Node& out) {
    i_ += 1;  // '?'
    bool on = true, icase = icase_;
    while (!eof() && peek() != ')' && peek() != ':') {
      char f = peek();
      if (f == '-') on = false;
      else if (f == 'i') icase = on;
      else return fail(std::string("unsupported inline flag '") + f + "'");
      ++i_;
    }
    if (eof()) return fail("missing ')'");
    if (peek() == ')') {
      ++i_;
      icase_ = icase;
      return false;  // produces nothing; applies to the rest of the enclosing group
    }
    ++i_;  // ':'
    bool saved = icase_;
    icase_ = icase;
    bool ok = group_body(out);
    icase_ = saved;
    return ok;
  }

  // An escape at i_ ('\\'). Fills `s` (one class) or `literal` for \Q..\E (outside brackets).
  bool escape(CharSet& s, bool in_bracket, std::string* literal) {
    ++i_;
    if (eof()) return fail("trailing '\\'");
    char c = peek();
    ++i_;
    switch (c) {
      case 'd': add_digit(s); return true;
      case 'D': add_digit(s); s = complement(s); return true;
      case 'w': add_word(s); return true;
      case 'W': add_word(s); s = complement(s); return true;
      case 's': add_space(s); return true;
      case 'S': add_space(s); s = complement(s); return true;
      // \h (TAB, SP, 0xA0) and \v (LF, VT, FF, CR, 0x85): PCRE2's auto-possessification takes them for
      // parts of \s, which 0xA0 and 0x85 are not, so `\h{1,3}\S` does not match "\t\xa0" in PCRE2 (nor in
      // the servers): no exact translation (found by fuzzing the translator).
      case 'h':
      case 'v': return fail(std::string("unsupported escape \\") + c + " (PCRE2 auto-possessifies it against \\s)");
      case 'n': s.set('\n'); return true;
      case 't': s.set('\t'); return true;
      case 'r': s.set('\r'); return true;
      case 'f': s.set('\f'); return true;
      case 'e': s.set(0x1b); return true;
      case 'a': s.set(0x07); return true;
      case 'x': {
        int v = 0;
        if (peek() == '{') {
          ++i_;
          std::size_t digits = 0;
          while (!eof() && peek() != '}') {
            int h = hex_value(peek());
            if (h < 0 || ++digits > 2) return fail("unsupported \\x{...}");
            v = v * 16 + h;
            ++i_;
          }
          if (eof()) return fail("unterminated \\x{");
          ++i_;
        } else {
          for (int k = 0; k < 2 && hex_value(peek()) >= 0; ++k, ++i_) v = v * 16 + hex_value(peek());
        }
        if (v == 0) return fail("NUL in pattern");
        s.set(static_cast<unsigned>(v));
        return true;
      }
      case 'Q':
        if (in_bracket || !literal) return fail("\\Q inside a class");
        {
          std::size_t end = p_.find("\\E", i_);
          std::string_view body = p_.substr(i_, end == std::string_view::npos ? std::string_view::npos : end - i_);
          *literal = std::string(body);
          i_ = end == std::string_view::npos ? p_.size() : end + 2;
          if (literal->empty()) return fail("empty \\Q\\E");
          return true;
        }
      default: break;
    }
    if (std::isalnum(static_cast<unsigned char>(c)))
      return fail(std::string("unsupported escape \\") + c + " (back-reference, \\b, \\p ...)");
    s.set(static_cast<unsigned char>(c));
    return true;
  }
  // [...] with ranges, negation, escapes and POSIX names.
  bool bracket(CharSet& out) {
    ++i_;  // '['
    bool negate = false;
    if (peek() == '^') {
      negate = true;
      ++i_;
    }
    CharSet s;
    bool first = true;
    while (true) {
      if (eof()) return fail("missing ']'");
      char c = peek();
      if (c == ']' && !first) {
        ++i_;
        break;
      }
      first = false;
      if (c == '[' && peek(1) == ':') {
        std::size_t end = p_.find(":]", i_ + 2);
        if (end == std::string_view::npos) return fail("bad POSIX class");
        std::string name(p_.substr(i_ + 2, end - i_ - 2));
        i_ = end + 2;
        if (!posix_class(name, s)) return false;
        continue;
      }
      CharSet lo_set;
      int lo;
      if (c == '\\') {
        if (!escape(lo_set, true, nullptr)) return false;
        lo = lo_set.count() == 1 ? first_of(lo_set) : -1;
      } else {
        ++i_;
        lo = static_cast<unsigned char>(c);
        lo_set.set(static_cast<unsigned>(lo));
      }
      if (peek() == '-' && peek(1) != ']' && i_ + 1 < p_.size() && lo >= 0) {
        ++i_;
        char h = peek();
        int hi;
        if (h == '\\') {
          CharSet hs;
          if (!escape(hs, true, nullptr)) return false;
          if (hs.count() != 1) return fail("bad class range");
          hi = first_of(hs);
        } else if (h == '[') {
          return fail("bad class range");
        } else {
          ++i_;
          hi = static_cast<unsigned char>(h);
        }
        if (hi < lo) return fail("bad class range");
        add_range(s, static_cast<unsigned>(lo), static_cast<unsigned>(hi));
        continue;
      }
      s |= lo_set;
    }
    s.reset(0);
    if (icase_) fold_case(s);
    out = negate ? complement(s) : s;
    if (out.none()) return fail("empty class");
    return true;
  }

  static int first_of(const CharSet& s) {
    for (int c = 0; c < 256; ++c)
      if (s.test(static_cast<std::size_t>(c))) return c;
    return -1;
  }

  bool posix_class(const std::string& name, CharSet& s) {
    if (name == "alpha") add_range(s, 'a', 'z'), add_range(s, 'A', 'Z');
    else if (name == "digit") add_digit(s);
    else if (name == "alnum") add_range(s, 'a', 'z'), add_range(s, 'A', 'Z'), add_digit(s);
    else if (name == "upper") add_range(s, 'A', 'Z');
    else if (name == "lower") add_range(s, 'a', 'z');
    else if (name == "space") add_space(s);
    else if (name == "xdigit") add_digit(s), add_range(s, 'a', 'f'), add_range(s, 'A', 'F');
    else if (name == "word") add_word(s);
    else return fail("unsupported POSIX class [:" + name + ":]");
    return true;
  }

  std::string_view p_;
  std::size_t i_ = 0;
  bool icase_;
  AutomatonLimits lim_;
  bool ok_ = true;
  std::string why_;
};

// ---- Size estimate before libfa sees a regex -------------------------------------------------------
// libfa has no limits: fa_compile determinises (subset construction) and minimises, and a short
// pattern can have an exponential subset automaton (`=.{26}` searched: every '=' of the last 26
// characters is a live position, 2^26 sets) or expand counted repeats into thousands of copies. So
// the same construction runs here first, on the Glushkov (position) automaton of the tree, with a
// cap on positions, transitions, subset states and word operations: over any cap, the pattern is
// "automaton too large" (RL006) and libfa never sees it.

using Bits = std::vector<std::uint64_t>;

struct Glushkov {
  std::size_t words = 0;
  std::vector<CharSet> sets;  // per position
  std::vector<Bits> follow;   // per position
  Bits first;
  bool nullable = false;

  struct Frag {
    Bits first, last;
    bool nullable = true;
  };

  void set_bit(Bits& b, std::size_t i) const { b[i / 64] |= std::uint64_t{1} << (i % 64); }
  static void or_into(Bits& dst, const Bits& src) {
    for (std::size_t w = 0; w < dst.size(); ++w) dst[w] |= src[w];
  }
  void link(const Bits& from, const Bits& to) {  // follow(p) |= to, for p in from
    for (std::size_t w = 0; w < words; ++w)
      for (std::uint64_t m = from[w]; m; m &= m - 1) or_into(follow[w * 64 + static_cast<std::size_t>(__builtin_ctzll(m))], to);
  }
  Frag empty() const { return Frag{Bits(words), Bits(words), true}; }
  Frag cat(Frag a, const Frag& b) {
    link(a.last, b.first);
    if (a.nullable) or_into(a.first, b.first);
    Bits last = b.last;
    if (b.nullable) or_into(last, a.last);
    a.last = std::move(last);
    a.nullable = a.nullable && b.nullable;
    return a;
  }
  Frag build(const Node& n) {
    switch (n.kind) {
      case Node::Kind::set: {
        std::size_t p = sets.size();
        sets.push_back(n.set);
        follow.emplace_back(words);
        Frag f = empty();
        set_bit(f.first, p);
        set_bit(f.last, p);
        f.nullable = false;
        return f;
      }
      case Node::Kind::cat: {
        Frag f = empty();
        for (const Node& k : n.kids) f = cat(std::move(f), build(k));
        return f;
      }
      case Node::Kind::alt: {
        Frag f = empty();
        f.nullable = n.kids.empty();
        for (const Node& k : n.kids) {
          Frag g = build(k);
          or_into(f.first, g.first);
          or_into(f.last, g.last);
          f.nullable = f.nullable || g.nullable;
        }
        return f;
      }
      case Node::Kind::rep: break;
    }
    const Node& k = n.kids[0];
    Frag f = empty();
    // As libfa builds them: X{2,} = X X X*, and (emit) X{2,4} = X X X? X?.
    for (int i = 0; i < n.lo; ++i) f = cat(std::move(f), build(k));
    if (n.hi == -1) {
      Frag g = build(k);
      link(g.last, g.first);
      g.nullable = true;
      return cat(std::move(f), g);
    }
    for (int i = n.lo; i < n.hi; ++i) {
      Frag g = build(k);
      g.nullable = true;
      f = cat(std::move(f), g);
    }
    return f;
  }
};

// Positions of `n` once counted repeats are expanded, saturating above `cap`.
std::size_t positions(const Node& n, std::size_t cap) {
  switch (n.kind) {
    case Node::Kind::set: return 1;
    case Node::Kind::cat:
    case Node::Kind::alt: {
      std::size_t sum = 0;
      for (const Node& k : n.kids) sum = std::min(cap + 1, sum + positions(k, cap));
      return sum;
    }
    case Node::Kind::rep: break;
  }
  std::size_t copies = static_cast<std::size_t>(n.hi == -1 ? n.lo + 1 : n.hi);
  std::size_t k = positions(n.kids[0], cap);
  if (copies == 0 || k == 0) return 0;
  return k > (cap + 1) / copies ? cap + 1 : k * copies;
}

struct BitsHash {
  std::size_t operator()(const Bits& b) const {
    std::uint64_t h = 1469598103934665603ull;
    for (std::uint64_t w : b) h = (h ^ w) * 1099511628211ull;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

// Whether libfa's fa_compile of `n` stays within `lim` (see above); `why` says which cap was hit.
bool fits_limits(const Node& n, const AutomatonLimits& lim, std::string* why) {
  auto refuse = [&](const char* what) {
    if (why) *why = std::string("automaton too large");
    (void)what;
    return false;
  };
  const std::size_t max_positions = 2 * lim.max_states;
  std::size_t p = positions(n, max_positions);
  if (p > max_positions) return refuse("positions");
  Glushkov g;
  g.words = (p + 63) / 64 + 1;
  g.sets.reserve(p);
  g.follow.reserve(p);
  Glushkov::Frag whole = g.build(n);
  g.first = whole.first;
  std::size_t transitions = 0;
  for (const Bits& f : g.follow)
    for (std::uint64_t w : f) transitions += static_cast<std::size_t>(__builtin_popcountll(w));
  if (transitions > 64 * lim.max_states) return refuse("transitions");

  // Byte classes: bytes no position tells apart.
  std::vector<Bits> masks;
  {
    std::vector<Bits> column(256, Bits(g.words));
    for (std::size_t q = 0; q < g.sets.size(); ++q)
      for (unsigned c = 1; c < 256; ++c)
        if (g.sets[q].test(c)) g.set_bit(column[c], q);
    std::unordered_set<Bits, BitsHash> seen;
    for (unsigned c = 1; c < 256; ++c)
      if (universe().test(c) && seen.insert(column[c]).second) masks.push_back(column[c]);
  }

  // Subset construction; state 0 is the start (its successors are `first`).
  // libfa's determinisation grows faster than linearly in subsets and in NFA transitions read: at
  // these caps (2000 subsets, 400k transitions under the default 4000 states) it stays under ~0.5 s.
  const std::size_t max_subsets = lim.max_states / 2;
  const std::uint64_t max_touched = 100 * static_cast<std::uint64_t>(lim.max_states);
  const std::uint64_t budget = 50'000'000;  // word operations: ~50 ms
  std::uint64_t work = 0;
  std::uint64_t touched = 0;  // NFA transitions read: what libfa's determinisation pays per subset
  std::vector<std::size_t> out_degree(g.follow.size());
  for (std::size_t q = 0; q < g.follow.size(); ++q)
    for (std::uint64_t w : g.follow[q]) out_degree[q] += static_cast<std::size_t>(__builtin_popcountll(w));
  std::unordered_set<Bits, BitsHash> seen;
  std::vector<Bits> queue;
  Bits reach(g.words);
  for (std::size_t s = 0; s <= queue.size(); ++s) {
    if (s == 0) reach = g.first;
    else {
      std::fill(reach.begin(), reach.end(), 0);
      const Bits& cur = queue[s - 1];
      for (std::size_t w = 0; w < g.words; ++w)
        for (std::uint64_t m = cur[w]; m; m &= m - 1) {
          std::size_t q = w * 64 + static_cast<std::size_t>(__builtin_ctzll(m));
          Glushkov::or_into(reach, g.follow[q]);
          work += g.words;
          touched += out_degree[q];
        }
    }
    for (const Bits& mask : masks) {
      Bits next(g.words);
      bool any = false;
      for (std::size_t w = 0; w < g.words; ++w) any |= (next[w] = reach[w] & mask[w]) != 0;
      work += g.words;
      if (any && seen.insert(next).second) {
        if (seen.size() > max_subsets) return refuse("subset states");
        queue.push_back(std::move(next));
      }
    }
    if (work > budget || touched > max_touched) return refuse("work");
  }
  return true;
}

std::string literal_regex(std::string_view s, bool ignore_case) {
  std::string out;
  for (unsigned char c : s) {
    CharSet one;
    one.set(c);
    if (ignore_case) fold_case(one);
    out += emit_set(one);
  }
  return "(" + out + ")";
}

std::size_t count_states(::fa* a) {
  std::size_t n = 0;
  for (struct state* s = fa_state_initial(a); s; s = fa_state_next(s)) ++n;
  return n;
}

// ---- Bounded product of two automata ----------------------------------------------------------------
// fa_intersect, fa_minus and fa_contains build the product of their operands without a limit (and
// fa_contains looks pairs up in a list). Every automaton here is deterministic (fa_compile minimises;
// products of deterministic automata are deterministic), so the reachable pairs are walked here first
// with a cap; over it the operation makes no claim.

struct Dfa {
  struct Edge {
    unsigned char lo, hi;
    int to;
  };
  std::vector<std::vector<Edge>> out;  // sorted by lo, disjoint
  std::vector<bool> accept;
};

// The automaton as a table, or nullopt when it is not deterministic (or larger than `cap` states).
std::optional<Dfa> table_of(::fa* a, std::size_t cap) {
  if (!a || !fa_is_deterministic(a)) return std::nullopt;
  std::unordered_map<const struct state*, int> index;
  std::vector<struct state*> states;
  for (struct state* s = fa_state_initial(a); s; s = fa_state_next(s)) {
    if (states.size() >= cap) return std::nullopt;
    index.emplace(s, static_cast<int>(states.size()));
    states.push_back(s);
  }
  Dfa d;
  d.out.resize(states.size());
  d.accept.resize(states.size());
  for (std::size_t i = 0; i < states.size(); ++i) {
    d.accept[i] = fa_state_is_accepting(states[i]);
    std::size_t n = fa_state_num_trans(states[i]);
    for (std::size_t t = 0; t < n; ++t) {
      struct state* to = nullptr;
      unsigned char lo = 0, hi = 0;
      if (fa_state_trans(states[i], t, &to, &lo, &hi) != 0) return std::nullopt;
      auto it = index.find(to);
      if (it == index.end()) return std::nullopt;
      d.out[i].push_back({lo, hi, it->second});
    }
    std::sort(d.out[i].begin(), d.out[i].end(), [](const Dfa::Edge& x, const Dfa::Edge& y) { return x.lo < y.lo; });
    for (std::size_t t = 1; t < d.out[i].size(); ++t)
      if (d.out[i][t].lo <= d.out[i][t - 1].hi) return std::nullopt;  // overlapping: not deterministic
  }
  return d;
}

enum class Walk { fits, too_large, found };

// Walks the pairs (state of a, state of b or -1 = b has no run) reachable on the same input, at most
// `cap` of them. With `stop_if_a_only`, stops at the first pair where `a` accepts and `b` does not
// (found: L(a) is not inside L(b)).
Walk walk_product(const Dfa& a, const Dfa& b, std::size_t cap, bool stop_if_a_only) {
  if (a.out.empty()) return Walk::fits;
  std::unordered_set<std::uint64_t> seen;
  std::vector<std::pair<int, int>> todo{{0, b.out.empty() ? -1 : 0}};
  auto key = [](int x, int y) { return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(x)) << 32) | static_cast<std::uint32_t>(y); };
  seen.insert(key(todo[0].first, todo[0].second));
  while (!todo.empty()) {
    auto [x, y] = todo.back();
    todo.pop_back();
    if (stop_if_a_only && a.accept[static_cast<std::size_t>(x)] && (y < 0 || !b.accept[static_cast<std::size_t>(y)]))
      return Walk::found;
    for (const Dfa::Edge& e : a.out[static_cast<std::size_t>(x)]) {
      // The parts of [e.lo, e.hi] that b's edges cover go to (e.to, b's target); the rest to (e.to, -1).
      std::vector<int> targets;
      unsigned next = e.lo;
      if (y >= 0)
        for (const Dfa::Edge& f : b.out[static_cast<std::size_t>(y)]) {
          if (f.hi < e.lo || f.lo > e.hi) continue;
          if (f.lo > next) targets.push_back(-1);
          targets.push_back(f.to);
          next = static_cast<unsigned>(f.hi) + 1;
        }
      if (next <= e.hi) targets.push_back(-1);
      for (int t : targets)
        if (seen.insert(key(e.to, t)).second) {
          if (seen.size() > cap) return Walk::too_large;
          todo.emplace_back(e.to, t);
        }
    }
  }
  return Walk::fits;
}

}  // namespace

namespace {
std::atomic<std::size_t> g_max_pattern_bytes{AutomatonLimits{}.max_pattern_bytes};
std::atomic<std::size_t> g_max_states{AutomatonLimits{}.max_states};

// Reachable pairs an intersection, difference or inclusion may visit.
std::size_t product_cap(const AutomatonLimits& l) { return 4 * l.max_states; }
}  // namespace

AutomatonLimits AutomatonLimits::current() {
  AutomatonLimits l;
  l.max_pattern_bytes = g_max_pattern_bytes.load();
  l.max_states = g_max_states.load();
  return l;
}

void AutomatonLimits::set_current(std::size_t max_pattern_bytes, std::size_t max_states) {
  g_max_pattern_bytes = max_pattern_bytes;
  g_max_states = max_states;
}

std::optional<std::string> pcre_to_fa(std::string_view pcre, bool ignore_case, std::string* why,
                                      const AutomatonLimits& limits) {
  // A NUL byte (PCRE2 reads `\<NUL>` as a literal NUL) is outside the alphabet and would end libfa's
  // C-string regex early: no claim (found by tests/fuzz, fuzz_automaton).
  if (pcre.find('\0') != std::string_view::npos) {
    if (why) *why = "the pattern contains a NUL byte";
    return std::nullopt;
  }
  std::optional<Node> tree = Translator(pcre, ignore_case, limits).run(why);
  if (!tree || !fits_limits(*tree, limits, why)) return std::nullopt;
  std::string out;
  for (std::size_t k = 0; k < tree->kids.size(); ++k) out += (k ? "|" : "") + emit(tree->kids[k]);
  if (out.size() > limits.max_fa_regex) {
    if (why) *why = "automaton too large";
    return std::nullopt;
  }
  return out;
}

std::optional<Language> Language::compile(const std::string& fa_regex, const AutomatonLimits& limits) {
  ::fa* raw = nullptr;
  if (fa_compile(fa_regex.c_str(), fa_regex.size(), &raw) != 0 || !raw) return std::nullopt;
  std::shared_ptr<::fa> a(raw, fa_free);
  // fa_compile gives a nondeterministic automaton; every regex reaching here passed fits_limits (or is
  // a literal/prefix), so determinising it is bounded. Deterministic automata are what the bounded
  // product walk reads, and are never changed again (fa_contains would determinise in place).
  if (fa_minimize(raw) != 0 || count_states(raw) > limits.max_states) return std::nullopt;
  return Language(std::move(a));
}

struct Language::Pending {
  std::string pcre;
  bool ignore_case = false;
  AutomatonLimits limits;
  std::once_flag once;
  std::shared_ptr<::fa> built;
};

::fa* Language::automaton() const {
  if (!pending_) return fa_.get();
  std::call_once(pending_->once, [p = pending_.get()] {
    auto re = pcre_to_fa(p->pcre, p->ignore_case, nullptr, p->limits);
    if (auto l = re ? compile(*re, p->limits) : std::nullopt) p->built = l->fa_;
  });
  return pending_->built.get();
}

std::optional<Language> Language::from_pcre(std::string_view pcre, bool ignore_case, std::string* why,
                                            const AutomatonLimits& limits) {
  // The shapes quick_path_example covers translate and fit the limits (tests/unit/analysis_quick_example.cpp):
  // their automaton is built when first used. RL006 asks for every regex and most are never used.
  if (quick_path_example(pcre, ignore_case, limits)) {
    auto p = std::make_shared<Pending>();
    p->pcre = std::string(pcre);
    p->ignore_case = ignore_case;
    p->limits = limits;
    return Language(std::move(p));
  }
  auto re = pcre_to_fa(pcre, ignore_case, why, limits);
  if (!re) return std::nullopt;
  auto l = compile(*re, limits);
  if (!l && why) *why = "automaton too large";
  return l;
}

std::optional<Language> Language::literal(std::string_view s, bool ignore_case) {
  if (s.find('\0') != std::string_view::npos) return std::nullopt;
  return compile(literal_regex(s, ignore_case));
}

std::optional<Language> Language::string_prefix(std::string_view p, bool ignore_case) {
  if (p.find('\0') != std::string_view::npos) return std::nullopt;
  return compile(literal_regex(p, ignore_case) + any_string());
}

std::optional<Language> Language::segment_prefix(std::string_view p, bool ignore_case) {
  if (p.find('\0') != std::string_view::npos) return std::nullopt;
  if (!p.empty() && p.back() == '/') return string_prefix(p, ignore_case);
  return compile(literal_regex(p, ignore_case) + "(/" + any_string() + ")?");
}

Language Language::total() { return *compile(any_string()); }

std::optional<Language> Language::intersect(const Language& other) const {
  return product(other, false);
}

std::optional<Language> Language::minus(const Language& other) const { return product(other, true); }

std::optional<Language> Language::product(const Language& other, bool minus) const {
  ::fa *a = automaton(), *b = other.automaton();
  if (!a || !b) return std::nullopt;
  const std::size_t cap = product_cap(AutomatonLimits::current());
  auto ta = table_of(a, cap), tb = table_of(b, cap);
  if (!ta || !tb || walk_product(*ta, *tb, cap, false) != Walk::fits) return std::nullopt;
  ::fa* r = minus ? fa_minus(a, b) : fa_intersect(a, b);
  if (!r) return std::nullopt;
  return Language(std::shared_ptr<::fa>(r, fa_free));
}

bool Language::subset_of(const Language& other) const {
  ::fa *a = automaton(), *b = other.automaton();
  if (!a || !b) return false;
  const std::size_t cap = product_cap(AutomatonLimits::current());
  auto ta = table_of(a, cap), tb = table_of(b, cap);
  return ta && tb && walk_product(*ta, *tb, cap, true) == Walk::fits;
}

bool Language::accepts(std::string_view s) const {
  auto l = literal(s);
  return l && l->subset_of(*this);
}

bool Language::empty() const { return automaton() && fa_is_basic(automaton(), FA_EMPTY) == 1; }

std::optional<std::string> Language::example() const {
  char* ex = nullptr;
  std::size_t len = 0;
  if (!automaton() || fa_example(automaton(), &ex, &len) < 0 || !ex) return std::nullopt;
  std::string s(ex, len);
  std::free(ex);
  return s;
}

std::optional<std::string> Language::path_example() const {
  static const std::string kPathy = "/([-a-zA-Z0-9._~/])*";
  if (auto pathy = compile(kPathy)) {
    if (auto both = intersect(*pathy); both && !both->empty())
      if (auto ex = both->example()) return ex;
  }
  if (empty()) return std::nullopt;
  return example();
}

}  // namespace rl::analysis
