#include <doctest/doctest.h>

#include "analysis/automaton.hpp"
#include "util/regex.hpp"

using rl::analysis::Language;
using rl::analysis::pcre_to_fa;

namespace {
Language lang(const char* re, bool icase = false) {
  auto l = Language::from_pcre(re, icase);
  REQUIRE_MESSAGE(l.has_value(), re);
  return *l;
}
}  // namespace

TEST_CASE("an anchored literal pattern is exactly its text") {
  Language a = lang("^/old/page\\.html$");
  CHECK(a.accepts("/old/page.html"));
  CHECK_FALSE(a.accepts("/old/pageXhtml"));
  CHECK_FALSE(a.accepts("/old/page.html/x"));
  CHECK(a.subset_of(*Language::literal("/old/page.html")));
}

TEST_CASE("an unanchored pattern matches anywhere, like a PCRE search") {
  Language a = lang("/old");
  CHECK(a.accepts("/old"));
  CHECK(a.accepts("/x/old/y"));
  CHECK_FALSE(a.accepts("/ol"));
  Language b = lang("^/old");
  CHECK(b.accepts("/old/anything"));
  CHECK_FALSE(b.accepts("/x/old"));
  CHECK(b.subset_of(a));
  CHECK_FALSE(a.subset_of(b));
}

TEST_CASE("classes \\d \\w \\s, brackets, ranges and negation translate exactly") {
  Language d = lang("^/y/\\d{4}$");
  CHECK(d.accepts("/y/2024"));
  CHECK_FALSE(d.accepts("/y/202"));
  CHECK_FALSE(d.accepts("/y/20a4"));
  Language w = lang("^/u/\\w+$");
  CHECK(w.accepts("/u/a_B9"));
  CHECK_FALSE(w.accepts("/u/a-b"));
  Language n = lang("^/p/[^/]+$");
  CHECK(n.accepts("/p/a]b^c-d[e"));
  CHECK_FALSE(n.accepts("/p/a/b"));
  Language br = lang("^/[]a-c^-]$");
  CHECK(br.accepts("/]"));
  CHECK(br.accepts("/b"));
  CHECK(br.accepts("/^"));
  CHECK(br.accepts("/-"));
  CHECK_FALSE(br.accepts("/d"));
  Language s = lang("^/a\\sb$");
  CHECK(s.accepts("/a b"));
  CHECK(lang("^/[[:digit:]]+$").accepts("/42"));
}

TEST_CASE("case-insensitive patterns accept every case, (?i) included") {
  CHECK(lang("^/Docs$", true).accepts("/dOCS"));
  CHECK(lang("(?i)^/docs$").accepts("/DOCS"));
  CHECK(lang("^/(?i:docs)/X$").accepts("/DoCs/X"));
  CHECK_FALSE(lang("^/(?i:docs)/X$").accepts("/docs/x"));
  CHECK_FALSE(lang("^/docs$").accepts("/Docs"));
}

TEST_CASE("alternation, groups, named groups and quantifiers") {
  Language a = lang("^/(?:a|bb)+(?<tail>/x)?$");
  CHECK(a.accepts("/abba"));
  CHECK(a.accepts("/a/x"));
  CHECK_FALSE(a.accepts("/c"));
  Language top = lang("^/a$|^/b/");
  CHECK(top.accepts("/a"));
  CHECK(top.accepts("/b/zz"));
  CHECK_FALSE(top.accepts("/a/"));
  CHECK(lang("^/x{2,3}$").accepts("/xxx"));
  CHECK_FALSE(lang("^/x{2,3}$").accepts("/xxxx"));
  CHECK(lang("^/a{$").accepts("/a{"));  // '{' that is not a quantifier is literal
  CHECK(lang("^/(.*?)$").accepts("/lazy"));
}

TEST_CASE("constructs that are not regular or not exactly translatable give no language") {
  std::string why;
  CHECK_FALSE(pcre_to_fa("^/(a)\\1$", false, &why));
  CHECK(why.find("back-reference") != std::string::npos);
  CHECK_FALSE(pcre_to_fa("^/(?!admin)", false));
  CHECK_FALSE(pcre_to_fa("^/(?<=a)b", false));
  CHECK_FALSE(pcre_to_fa("\\bword", false));
  CHECK_FALSE(pcre_to_fa("^/a*+a", false));
  CHECK_FALSE(pcre_to_fa("(?:^|/)x", false));
  CHECK_FALSE(pcre_to_fa("^/x{1000}$", false));
  CHECK_FALSE(pcre_to_fa("^/(unclosed", false));
}

TEST_CASE("segment and string prefixes follow mod_alias and nginx") {
  auto seg = Language::segment_prefix("/a");
  REQUIRE(seg);
  CHECK(seg->accepts("/a"));
  CHECK(seg->accepts("/a/x"));
  CHECK_FALSE(seg->accepts("/ab"));
  auto str = Language::string_prefix("/a");
  REQUIRE(str);
  CHECK(str->accepts("/ab"));
  CHECK(seg->subset_of(*str));
  CHECK(lang("^/a/b/(.*)$").subset_of(*seg));
}

TEST_CASE("a path example is in the language and matches the PCRE pattern") {
  for (const char* re : {"^/blog/(\\d{4})/([a-z-]+)\\.html$", "^/docs/.*\\.pdf$", "^/(?i)Old/", "/x$"}) {
    auto l = lang(re);
    auto ex = l.path_example();
    REQUIRE(ex);
    CHECK(ex->front() == '/');
    auto pcre = rl::Regex::compile(re, false);
    REQUIRE(pcre);
    CHECK_MESSAGE(pcre->matches(*ex), re << " example " << *ex);
  }
}

TEST_CASE("inclusion and difference decide shadowing between regexes") {
  Language broad = lang("^/docs/");
  Language narrow = lang("^/docs/v1/(.*)\\.html$");
  CHECK(narrow.subset_of(broad));
  CHECK_FALSE(broad.subset_of(narrow));
  auto rest = broad.minus(narrow);
  REQUIRE(rest);
  CHECK_FALSE(rest->empty());
  CHECK(narrow.minus(broad)->empty());
}

// fuzz_automaton findings (tests/fuzz/regressions/automaton/): each class as a readable pair.

TEST_CASE("a newline is outside the alphabet: classes lose it, and a pattern needing one is refused") {
  // Was: `\s` kept LF, so L(A) \ L(B) had examples PCRE2 matches with B = "" (excluded_example_*).
  auto rest = lang("/\\s*x").minus(lang(""));
  REQUIRE(rest);
  CHECK(rest->empty());
  CHECK(lang("^/a\\sb$").accepts("/a b"));
  CHECK_FALSE(lang("^/a\\sb$").accepts("/a\nb"));
  std::string why;
  CHECK_FALSE(pcre_to_fa("^/a\\n$", false, &why));
  CHECK(why.find("newline") != std::string::npos);
  CHECK_FALSE(pcre_to_fa("^/\n", false));
}

TEST_CASE("a quantifier after \\Q..\\E repeats its last character only, as in PCRE2") {
  // Was: the whole quoted text repeated (example_not_matched_by_pcre2_1).
  Language q = lang("^/\\Qab\\E?$");
  CHECK(q.accepts("/a"));
  CHECK(q.accepts("/ab"));
  CHECK_FALSE(q.accepts("/"));
  CHECK_FALSE(q.accepts("/abab"));
  CHECK(lang("^/\\Qa.b\\E+$").accepts("/a.bbb"));
}

TEST_CASE("\\h and \\v are refused: PCRE2 auto-possessifies them against \\S") {
  // PCRE2 itself: `^\h{1,3}\S` does not match "\t\xa0" (0xA0 is \h and \S, but PCRE2 assumes \h is in \s).
  auto pcre = rl::Regex::compile("^\\h{1,3}\\S", false);
  REQUIRE(pcre);
  CHECK_FALSE(pcre->matches("\t\xa0"));
  CHECK_FALSE(pcre_to_fa("^/a\\hb$", false));
  CHECK_FALSE(pcre_to_fa("^/a\\vb$", false));
  CHECK_FALSE(pcre_to_fa("^/a[\\v]b$", false));
}

TEST_CASE("a pattern whose automaton would blow up is refused as too large, before libfa sees it") {
  // Was: fa_compile's subset construction ran for minutes or past 2 GB (oom_*, timeout_*).
  for (std::string re : {"=..........................", "(a|b)*a(a|b){20}", "\\x10;K\\D{23}", "^/((a{32}){32}){8}$"}) {
    std::string why;
    CHECK_MESSAGE(!pcre_to_fa(re, false, &why), re);
    CHECK_MESSAGE(why == "automaton too large", re << ": " << why);
  }
  // Counted ranges go to libfa flat (X?X?...), whose determinisation is small: translated, at once.
  Language flat = lang("xxxxxx[xy]{0,32}xxxxxxxx$");
  CHECK(flat.accepts("zxxxxxxyyxxxxxxxx"));
  CHECK_FALSE(flat.accepts("xxxxxxyyxxxxxxx"));
  CHECK(lang("^/[a-z]{2,4}$").accepts("/abcd"));
  CHECK_FALSE(lang("^/[a-z]{2,4}$").accepts("/abcde"));
  CHECK_FALSE(lang("^/[a-z]{2,4}$").accepts("/a"));
}

TEST_CASE("an intersection, difference or inclusion over the product limit makes no claim") {
  Language a13 = lang("^(a{13})*$"), a11 = lang("^(a{11})*$"), a143 = lang("^((a{11}){13})*$");
  auto both = a13.intersect(a11);  // 143 reachable pairs: within the default limit
  REQUIRE(both);
  CHECK(both->accepts(std::string(143, 'a')));
  rl::analysis::AutomatonLimits saved = rl::analysis::AutomatonLimits::current();
  rl::analysis::AutomatonLimits::set_current(saved.max_pattern_bytes, 20);  // product cap 80 pairs
  CHECK_FALSE(a13.intersect(a11));
  CHECK_FALSE(a13.minus(a11));
  CHECK_FALSE(a143.subset_of(a13));  // true, but 143 pairs to prove: no claim
  rl::analysis::AutomatonLimits::set_current(saved.max_pattern_bytes, saved.max_states);
  CHECK(a143.subset_of(a13));
  CHECK_FALSE(a13.subset_of(a143));
}
