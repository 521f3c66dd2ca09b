#pragma once
/// Regular languages of URL paths (DESIGN §5): the regular subset of PCRE translated exactly into
/// libfa automata (`<fa.h>`), for inclusion proofs (shadowing) and example strings (witnesses).
///
/// A Language is the set of whole subject strings a pattern accepts, with PCRE search semantics made
/// explicit: an unanchored pattern `a` is the language `.*a.*`. Anything we cannot translate exactly
/// (back-references, look-around, \b, possessive quantifiers, patterns that are too large) gives
/// nullopt: callers make no claim then. Alphabet: bytes 0x01..0xFF but LF (0x0A): no claim is made about paths with a decoded newline.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct fa;

namespace rl::analysis {

/// Limits that keep automata small: beyond them translation gives up (no claim, never a hang).
struct AutomatonLimits {
  std::size_t max_pattern_bytes = 4096;
  int max_repeat = 32;           ///< largest n/m in {n,m}
  std::size_t max_fa_regex = 20000;  ///< bytes of the translated libfa regex
  std::size_t max_states = 4000;     ///< states of the compiled automaton
  /// The limits used where a caller passes none: these defaults with max_pattern_bytes and max_states
  /// as last set by set_current (the CLI's --max-pattern-bytes / --max-automaton-states). Thread-safe.
  static AutomatonLimits current();
  static void set_current(std::size_t max_pattern_bytes, std::size_t max_states);
};

/// Translates a PCRE2 pattern into libfa's regex syntax, with search semantics made explicit
/// (unanchored ends become `[\x01-\xff]*`). nullopt (+ `why`) when not exactly translatable, and
/// `why` = "automaton too large" when libfa's compilation could exceed `limits` (the subset
/// construction is run first, bounded: libfa itself has no limits).
std::optional<std::string> pcre_to_fa(std::string_view pcre, bool ignore_case, std::string* why = nullptr,
                                      const AutomatonLimits& limits = AutomatonLimits::current());

/// An immutable regular language (shared libfa automaton).
class Language {
 public:
  /// The language of a PCRE2 pattern as a search on the whole subject (see pcre_to_fa).
  static std::optional<Language> from_pcre(std::string_view pcre, bool ignore_case, std::string* why = nullptr,
                                           const AutomatonLimits& limits = AutomatonLimits::current());
  /// Exactly the string `s`.
  static std::optional<Language> literal(std::string_view s, bool ignore_case = false);
  /// `p` followed by anything (nginx prefix location, string prefix).
  static std::optional<Language> string_prefix(std::string_view p, bool ignore_case = false);
  /// mod_alias whole-segment prefix: `p` itself, or `p` then '/' then anything ('/'-terminated p: p then anything).
  static std::optional<Language> segment_prefix(std::string_view p, bool ignore_case = false);
  /// Every string.
  static Language total();

  /// L(this) ∩ L(other); nullopt (no claim) when the product of the two automata would exceed
  /// 4 × max_states reachable state pairs (AutomatonLimits::current()) or libfa fails.
  std::optional<Language> intersect(const Language& other) const;
  /// L(this) \ L(other); nullopt as for intersect.
  std::optional<Language> minus(const Language& other) const;
  /// True when L(this) ⊆ L(other) (false also when the product is over the limit or libfa fails: no claim).
  bool subset_of(const Language& other) const;
  bool empty() const;
  /// True when `s` is in the language.
  bool accepts(std::string_view s) const;
  /// Some string of the language, preferring printable ones; nullopt when empty.
  std::optional<std::string> example() const;
  /// A string of the language that looks like a URL path (starts with '/', URL-safe characters) when
  /// there is one, else any example.
  std::optional<std::string> path_example() const;

 private:
  struct Pending;  // a pattern whose automaton is built on first use
  explicit Language(std::shared_ptr<::fa> a) : fa_(std::move(a)) {}
  explicit Language(std::shared_ptr<Pending> p) : pending_(std::move(p)) {}
  // The automaton, built now if it was deferred; nullptr when that fails (no claim is made then).
  ::fa* automaton() const;
  // intersect (minus false) or minus, after a bounded walk of the product (automaton.cpp).
  std::optional<Language> product(const Language& other, bool minus) const;
  static std::optional<Language> compile(const std::string& fa_regex, const AutomatonLimits& limits = AutomatonLimits::current());
  std::shared_ptr<::fa> fa_;
  std::shared_ptr<Pending> pending_;
};

}  // namespace rl::analysis
