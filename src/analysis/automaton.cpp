#include "analysis/automaton.hpp"
#include "analysis/quick_example.hpp"
#include "util/hex.hpp"

#include <atomic>
#include <bitset>
#include <cctype>
#include <cstdlib>
#include <mutex>
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

std::string any_string() { return "(" + emit_set(universe()) + ")*"; }

// Recursive descent over the PCRE2 syntax we can translate exactly; everything else fails.
class Translator {
 public:
  Translator(std::string_view p, bool icase, const AutomatonLimits& lim) : p_(p), icase_(icase), lim_(lim) {}

  std::optional<std::string> run(std::string* why) {
    std::string out;
    if (p_.size() > lim_.max_pattern_bytes) fail("pattern too long");
    else top(out);
    if (ok_ && i_ != p_.size()) fail("unbalanced ')'");
    if (ok_ && out.size() > lim_.max_fa_regex) fail("automaton too large");
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

  // Top level: branches, each with its own optional ^ and $.
  void top(std::string& out) {
    std::vector<std::string> branches;
    while (ok_) {
      std::string b;
      bool start = false, end = false;
      sequence(b, true, start, end);
      if (!ok_) return;
      branches.push_back((start ? "" : any_string()) + "(" + b + ")" + (end ? "" : any_string()));
      if (eof() || peek() == ')') break;
      ++i_;  // '|'
    }
    for (std::size_t k = 0; k < branches.size(); ++k) out += (k ? "|" : "") + branches[k];
  }

  // A sequence up to '|' or ')' or the end. At top level, '^' is allowed first and '$' last.
  void sequence(std::string& out, bool top_level, bool& anchored_start, bool& anchored_end) {
    bool emitted = false;
    while (ok_ && !eof() && peek() != '|' && peek() != ')') {
      if (anchored_end) {
        fail("text after '$'");
        return;
      }
      char c = peek();
      bool is_start_anchor = c == '^' || (c == '\\' && peek(1) == 'A');
      bool is_end_anchor = c == '$' || (c == '\\' && (peek(1) == 'z' || peek(1) == 'Z'));
      if (is_start_anchor) {
        if (!top_level || emitted || anchored_start) {
          fail("'^' not at the start of the pattern");
          return;
        }
        i_ += c == '^' ? 1 : 2;
        anchored_start = true;
        continue;
      }
      if (is_end_anchor) {
        if (!top_level) {
          fail("'$' inside a group");
          return;
        }
        i_ += c == '$' ? 1 : 2;
        anchored_end = true;
        continue;
      }
      std::string atom_text;
      bool produced = atom(atom_text);
      if (!ok_) return;
      if (!produced) continue;  // (?i) and friends
      quantified(atom_text);
      if (!ok_) return;
      out += atom_text;
      emitted = true;
    }
    // (?i) applies to the end of the enclosing group (the group restores it at ')').
  }

  // Parses one quantifier (if any) after an atom and wraps it.
  void quantified(std::string& atom_text) {
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
      int a, b;
      if (peek() != '{' || counted(a, b)) {
        fail("nested quantifier");
        return;
      }
      i_ = save;
    }
    std::string wrapped = "(" + atom_text + ")";
    if (lo == 0 && hi == -1) atom_text = wrapped + "*";
    else if (lo == 1 && hi == -1) atom_text = wrapped + "+";
    else if (lo == 0 && hi == 1) atom_text = wrapped + "?";
    else if (hi == -1) atom_text = wrapped + "{" + std::to_string(lo) + ",}";
    else atom_text = wrapped + "{" + std::to_string(lo) + "," + std::to_string(hi) + "}";
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

  CharSet maybe_fold(CharSet s) const {
    if (icase_) fold_case(s);
    return s;
  }

  // One atom. Returns false (with ok_) when it produced nothing (an inline flag group).
  bool atom(std::string& out) {
    char c = peek();
    if (c == '(') return group(out);
    if (c == '[') {
      CharSet s;
      if (!bracket(s)) return false;
      out = emit_set(maybe_fold(s));
      return true;
    }
    if (c == '.') {
      ++i_;
      CharSet s = universe();
      s.reset('\n');
      out = emit_set(s);
      return true;
    }
    if (c == '*' || c == '+' || c == '?') return fail("quantifier without an atom");
    if (c == '\\') {
      CharSet s;
      std::string literal;
      if (!escape(s, false, &literal)) return false;
      if (!literal.empty()) {  // \Q...\E
        for (char ch : literal) {
          CharSet one;
          one.set(static_cast<unsigned char>(ch));
          out += emit_set(maybe_fold(one));
        }
        if (literal.size() > 1) out = "(" + out + ")";
        return true;
      }
      out = emit_set(maybe_fold(s));
      return true;
    }
    ++i_;
    CharSet s;
    s.set(static_cast<unsigned char>(c));
    if (s.test(0)) return fail("NUL in pattern");
    out = emit_set(maybe_fold(s));
    return true;
  }

  bool group(std::string& out) {
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
    }
    bool saved = icase_;
    std::string inner;
    bool s = false, e = false;
    std::vector<std::string> branches;
    while (ok_) {
      std::string b;
      sequence(b, false, s, e);
      if (!ok_) return false;
      branches.push_back(b);
      if (peek() == '|') {
        ++i_;
        continue;
      }
      break;
    }
    icase_ = saved;
    if (peek() != ')') return fail("missing ')'");
    ++i_;
    for (std::size_t k = 0; k < branches.size(); ++k) inner += (k ? "|" : "") + ("(" + branches[k] + ")");
    out = "(" + inner + ")";
    return true;
  }

  bool skip_name(char close) {
    // i_ at '?'; skip "?<" / "?'" then the name.
    i_ += 2;
    while (!eof() && peek() != close) ++i_;
    if (eof()) return fail("unterminated group name");
    ++i_;
    return true;
  }

  // (?i) (?-i) (?i:...) ; other flags change nothing we translate except s (dotall) and x (extended).
  bool inline_flags(std::string& out) {
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
    std::vector<std::string> branches;
    bool s = false, e = false;
    while (ok_) {
      std::string b;
      sequence(b, false, s, e);
      if (!ok_) return false;
      branches.push_back(b);
      if (peek() == '|') {
        ++i_;
        continue;
      }
      break;
    }
    icase_ = saved;
    if (peek() != ')') return fail("missing ')'");
    ++i_;
    std::string inner;
    for (std::size_t k = 0; k < branches.size(); ++k) inner += (k ? "|" : "") + ("(" + branches[k] + ")");
    out = "(" + inner + ")";
    return true;
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
      case 'h': s.set(' '); s.set('\t'); s.set(0xa0); return true;
      case 'n': s.set('\n'); return true;
      case 't': s.set('\t'); return true;
      case 'r': s.set('\r'); return true;
      case 'f': s.set('\f'); return true;
      case 'v': s.set('\v'); return true;
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
          if (literal->empty()) *literal = std::string();
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

}  // namespace

namespace {
std::atomic<std::size_t> g_max_pattern_bytes{AutomatonLimits{}.max_pattern_bytes};
std::atomic<std::size_t> g_max_states{AutomatonLimits{}.max_states};
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
  return Translator(pcre, ignore_case, limits).run(why);
}

std::optional<Language> Language::compile(const std::string& fa_regex, const AutomatonLimits& limits) {
  ::fa* raw = nullptr;
  if (fa_compile(fa_regex.c_str(), fa_regex.size(), &raw) != 0 || !raw) return std::nullopt;
  std::shared_ptr<::fa> a(raw, fa_free);
  if (count_states(raw) > limits.max_states) return std::nullopt;
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
  if (!ignore_case && quick_path_example(pcre, limits)) {
    auto p = std::make_shared<Pending>();
    p->pcre = std::string(pcre);
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
  ::fa *a = automaton(), *b = other.automaton();
  ::fa* r = a && b ? fa_intersect(a, b) : nullptr;
  if (!r) return std::nullopt;
  return Language(std::shared_ptr<::fa>(r, fa_free));
}

std::optional<Language> Language::minus(const Language& other) const {
  ::fa *a = automaton(), *b = other.automaton();
  ::fa* r = a && b ? fa_minus(a, b) : nullptr;
  if (!r) return std::nullopt;
  return Language(std::shared_ptr<::fa>(r, fa_free));
}

bool Language::subset_of(const Language& other) const {
  ::fa *a = automaton(), *b = other.automaton();
  return a && b && fa_contains(a, b) == 1;
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
