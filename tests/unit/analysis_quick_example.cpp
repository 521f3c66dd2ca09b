#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "analysis/automaton.hpp"
#include "analysis/quick_example.hpp"

using namespace rl::analysis;

namespace {

// What the automaton says: the reference the quick path must reproduce exactly.
std::optional<std::string> automaton_example(const std::string& p, bool ignore_case = false) {
  auto l = Language::from_pcre(p, ignore_case);  // a deferred automaton is built for path_example
  if (!l) return std::nullopt;
  return l->path_example();
}

// A random pattern from pieces the quick path covers and pieces it must refuse.
std::string random_pattern(std::mt19937& rng) {
  static const std::vector<std::string> fixed = {"a", "Z", "0", "-", ".", "_", "~", "/", "\\.", "\\-", "\\d", "\\w", "[^/]",
                                                 "[a-z]", "[0-9a-f]", "[-_.]", "[^a-z]", ".", "(x)", "(?:ab)", "(?<n>q)",
                                                 "%", " ", "[%]", "\\s", "[A-Z0-9]"};
  static const std::vector<std::string> quant = {"", "", "", "?", "*", "+", "{2}", "{1,3}", "{2,}", "*?", "+?"};
  static const std::vector<std::string> odd = {"|", "(a|b)", "\\b", "(?=a)", "(?i)", "a{,2}", "[[:alpha:]]", "(a+)+", "^"};
  std::uniform_int_distribution<std::size_t> len(0, 6), pf(0, fixed.size() - 1), pq(0, quant.size() - 1),
      po(0, odd.size() - 1), pct(0, 99);
  std::string p = pct(rng) < 90 ? "^/" : "/";
  for (std::size_t k = len(rng); k > 0; --k) {
    if (pct(rng) < 5) p += odd[po(rng)];
    else p += fixed[pf(rng)] + quant[pq(rng)];
  }
  if (pct(rng) < 60) p += "$";
  return p;
}

}  // namespace

TEST_CASE("common redirect patterns get their example without an automaton, the same as the automaton's") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"^/e1512-c5c6$", "/e1512-c5c6"},
      {"^/r1646-0454/(\\d+)$", "/r1646-0454/0"},
      {"^/old/(.*)$", "/old/"},
      {"^/old/", "/old/"},
      {"^/s326-b9cf(?:/(?<splat>.*))?$", "/s326-b9cf"},
      {"^/r1/(?<id>[^/]+)/?$", "/r1/A"},
      {"^/blog/([0-9]{4})/([a-z-]{2})\\.html$", "/blog/0000/aa.html"},
      {"^/a[._]b$", "/a.b"},
  };
  for (const auto& c : cases) {
    // Not a structured binding: clang 14 (the ASan build) cannot capture one in CAPTURE's lambda.
    const std::string& pattern = c.first;
    const std::string& example = c.second;
    CAPTURE(pattern);
    CHECK(quick_path_example(pattern) == example);
    CHECK(automaton_example(pattern) == example);
  }
}

TEST_CASE("shapes the quick path does not cover are left to the automaton") {
  for (const char* p : {"/old/(.*)$", "^/(a|b)$", "^/a(?=b)", "^/x/(.*)\\.html$", "^/a+b$", "^/a\\b", "^/(?i)a$",
                        "^/%20$", "^a/b$", "^/a[[:alpha:]]$", "^/a*+$", "^/a{,2}$", "^/a{40}$", "^/a[-_.]b$"}) {
    CAPTURE(p);
    CHECK_FALSE(quick_path_example(p));
  }
}

TEST_CASE("lowered automaton limits switch the quick path off: no example where the automaton gives none") {
  AutomatonLimits small;
  small.max_states = 10;
  CHECK_FALSE(quick_path_example("^/old/(.*)$", small));
  small = AutomatonLimits{};
  small.max_pattern_bytes = 5;
  CHECK_FALSE(quick_path_example("^/old/(.*)$", small));
}

TEST_CASE("on 3000 random patterns the quick example, when there is one, equals the automaton's") {
  std::mt19937 rng(8);
  int covered = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string p = random_pattern(rng);
    auto quick = quick_path_example(p);
    if (!quick) continue;
    ++covered;
    CAPTURE(p);
    CHECK(quick == automaton_example(p));
  }
  MESSAGE("patterns covered by the quick path: " << covered);
  CHECK(covered > 800);
}

TEST_CASE("case-insensitive patterns ([NC], ~*): the quick example is the automaton's, on 3000 random patterns") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"^/old-Page$", "/OLD-PAGE"}, {"^/r12-ab/(\\d+)$", "/R12-AB/0"}, {"^/x[a-c]y$", "/XAY"}, {"^/[^a-z]$", "/-"}};
  for (const auto& c : cases) {
    const std::string& pattern = c.first;
    CAPTURE(pattern);
    CHECK(quick_path_example(pattern, true) == automaton_example(pattern, true));
  }
  std::mt19937 rng(15);
  int covered = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string p = random_pattern(rng);
    auto quick = quick_path_example(p, true);
    CHECK(quick.has_value() == quick_path_example(p, false).has_value());  // the same shapes either way
    if (!quick) continue;
    ++covered;
    CAPTURE(p);
    CHECK(quick == automaton_example(p, true));
  }
  CHECK(covered > 800);
}

TEST_CASE("automaton_fits answers like from_pcre, with the reason when the pattern is refused") {
  CHECK(automaton_fits("^/old/(.*)$", false));
  CHECK(automaton_fits("^/(a|b)/x$", true));
  std::string why;
  CHECK_FALSE(automaton_fits("^/a(?=b)", false, &why));
  CHECK(why.find("look-around") != std::string::npos);
  AutomatonLimits small;
  small.max_pattern_bytes = 5;
  why.clear();
  CHECK_FALSE(automaton_fits("^/old/(.*)$", false, &why, small));
  CHECK(why == "pattern too long");
}
