// Simple patterns (`^literal`, one repeated class, `$`) are matched by a literal test instead of
// PCRE2 (util/regex.cpp): the answers and groups must be PCRE2's own, compared here with the library.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "util/regex.hpp"

using rl::Captures;
using rl::MatchStatus;
using rl::Regex;

namespace {

// PCRE2 itself, with the wrapper's options: the reference.
struct Reference {
  bool matched = false;
  std::vector<std::optional<std::string>> groups;
};

Reference pcre2_reference(const std::string& pattern, const std::string& subject) {
  int errcode = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), 0, &errcode, &erroff, nullptr);
  REQUIRE(code != nullptr);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md, nullptr);
  Reference out;
  if (rc >= 0) {
    out.matched = true;
    uint32_t groups = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    for (uint32_t i = 0; i <= groups; ++i)
      out.groups.push_back(ov[2 * i] == PCRE2_UNSET ? std::nullopt
                                                    : std::optional<std::string>(subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i])));
  }
  pcre2_match_data_free(md);
  pcre2_code_free(code);
  return out;
}

// Patterns of the simple shape and near misses (which must go to PCRE2 and still answer alike).
std::string random_pattern(std::mt19937& rng) {
  static const std::vector<std::string> lits = {"a", "/", "-", "x", "\\.", "\\/", "\\-", "0", "_", "%", "~", " ", "#", ","};
  static const std::vector<std::string> tails = {"",      "(.*)",   "(.+)",  ".*",   "(\\d+)", "\\d*", "(\\w+)", "([0-9]+)",
                                                 "([^/]+)", "[^/]*", "(.*?)", "(\\d+)?", "a?",    "(?:.*)", "(.*)(x)", "\\d{2}",
                                                 "(a|b)", ".*+"};
  std::uniform_int_distribution<std::size_t> nlit(0, 5), pl(0, lits.size() - 1), pt(0, tails.size() - 1), pct(0, 99);
  std::string p = pct(rng) < 95 ? "^" : "";
  for (std::size_t k = nlit(rng); k > 0; --k) p += lits[pl(rng)];
  p += tails[pt(rng)];
  if (pct(rng) < 60) p += "$";
  return p;
}

std::string random_subject(std::mt19937& rng) {
  static const std::string alphabet = "a/-x.0_%~ #,19Z\n\r";
  std::uniform_int_distribution<std::size_t> len(0, 9), pc(0, alphabet.size() - 1);
  std::string s;
  for (std::size_t k = len(rng); k > 0; --k) s += alphabet[pc(rng)];
  return s;
}

void check_same(const std::string& pattern, const std::string& subject) {
  auto re = Regex::compile(pattern, false);
  REQUIRE(re);
  Captures caps;
  MatchStatus st = re->match(subject, &caps);
  Reference ref = pcre2_reference(pattern, subject);
  INFO("pattern ", pattern, " subject ", subject);
  CHECK((st == MatchStatus::match) == ref.matched);
  if (ref.matched) {
    CHECK(caps.groups == ref.groups);
    CHECK(re->capture_count() + 1 == ref.groups.size());
  }
}

}  // namespace

TEST_CASE("simple patterns answer exactly as PCRE2 on random subjects") {
  std::mt19937 rng(8);
  for (int i = 0; i < 4000; ++i) {
    std::string p = random_pattern(rng);
    // A prefix of the literal, so that many subjects do match.
    std::string lit;
    for (char c : p.substr(p[0] == '^' ? 1 : 0))
      if (c == '(' || c == '[' || c == '\\' || c == '.' || c == '$') break;
      else lit += c;
    for (int k = 0; k < 6; ++k) check_same(p, (k % 2 ? lit : "") + random_subject(rng));
  }
}

TEST_CASE("the shapes redirect rules use answer as PCRE2, trailing newline included") {
  for (const char* p : {"^/old/(.*)$", "^/r1-ab/(\\d+)$", "^/e1-2f$", "^/a\\.html$", "^/x/([^/]+)$", "^/blog", "^/$", "^$",
                        "^", "^/s/.*", "^/w/(\\w+)"})
    for (const char* s : {"", "/", "\n", "/old/", "/old/a/b", "/old/a\n", "/old/a\nb", "/r1-ab/12", "/r1-ab/12\n",
                          "/r1-ab/", "/r1-ab/1x", "/e1-2f", "/e1-2f\n", "/e1-2f\n\n", "/a.html", "/aXhtml", "/x/y",
                          "/x/y/z", "/x/\n", "/blog/x", "/bl", "/s/\n", "/w/a_1-"})
      check_same(p, s);
}

TEST_CASE("simple patterns report the PCRE2 limit when the limits are tiny") {
  auto re = Regex::compile("^/a/(.*)$", false);
  REQUIRE(re);
  const auto match_limit = Regex::match_limit(), depth_limit = Regex::depth_limit();
  Regex::set_limits(1, 1);
  MatchStatus tiny = re->match("/a/" + std::string(100, 'x'));
  Regex::set_limits(match_limit, depth_limit);
  CHECK(tiny != MatchStatus::no_match);
  CHECK(re->match("/a/" + std::string(100, 'x')) == MatchStatus::match);
  CHECK(re->match("/a/" + std::string(20000, 'x')) == MatchStatus::match);  // beyond the literal test's subject bound
  CHECK(re->names().empty());
  CHECK(re->pattern() == "^/a/(.*)$");
}

TEST_CASE("a limit hit is remembered for the same (pattern, subject) under the same limits") {
  auto re = Regex::compile("^/(a+)+$", false);
  REQUIRE(re);
  const std::string doomed = "/" + std::string(28, 'a') + "!";
  const auto match_limit = Regex::match_limit(), depth_limit = Regex::depth_limit();
  Regex::set_limits(100'000, 10'000);
  CHECK(re->match(doomed) == MatchStatus::limit);
  Regex copy = *re;  // copies share the memo
  CHECK(copy.match(doomed) == MatchStatus::limit);
  CHECK(re->match("/aaa") == MatchStatus::match);      // other subjects still get their answer
  CHECK(re->match("/aab") == MatchStatus::no_match);
  // Larger limits forget the memo: the short subject then gets its real answer.
  Regex::set_limits(4'000'000'000u, 4'000'000'000u);
  CHECK(re->match("/" + std::string(12, 'a') + "!") == MatchStatus::no_match);
  Regex::set_limits(1, 1);
  CHECK(re->match("/aaa") == MatchStatus::limit);
  Regex::set_limits(match_limit, depth_limit);
  CHECK(re->match("/aaa") == MatchStatus::match);
}
