#include <doctest/doctest.h>

#include <random>
#include <string>

#include "parse/quick_regex.hpp"
#include "util/regex.hpp"

using namespace rl;

TEST_CASE("plain redirect patterns are known valid with their group count") {
  int g = -1;
  CHECK(quick_valid_regex("^/old/(.*)$", g));
  CHECK(g == 1);
  CHECK(quick_valid_regex("^/a-b\\.html$", g));
  CHECK(g == 0);
  CHECK(quick_valid_regex("^/(\\d+)/(x|y)/?$", g));
  CHECK(g == 2);
}

TEST_CASE("patterns the quick test cannot vouch for are left to PCRE2") {
  int g = 0;
  CHECK_FALSE(quick_valid_regex("^/a(", g));
  CHECK_FALSE(quick_valid_regex("^/a)", g));
  CHECK_FALSE(quick_valid_regex("*a", g));
  CHECK_FALSE(quick_valid_regex("^/[a-z]+", g));
  CHECK_FALSE(quick_valid_regex("(?i)^/a", g));
  CHECK_FALSE(quick_valid_regex("^/(.*?)$", g));
  CHECK_FALSE(quick_valid_regex("\\1", g));
  CHECK_FALSE(quick_valid_regex("a\\", g));
  CHECK_FALSE(quick_valid_regex("(*UTF)a", g));
}

TEST_CASE("every pattern the quick test accepts compiles in PCRE2 with the same group count") {
  // Random patterns over the characters that matter; the quick test must never accept one PCRE2
  // rejects, nor miscount groups.
  const std::string alphabet = "ab/-.^$|*+?()\\dsw{}[]0\x80";
  std::mt19937 rng(8);
  int accepted = 0;
  for (int n = 0; n < 200000; ++n) {
    std::string p;
    std::size_t len = rng() % 10;
    for (std::size_t i = 0; i < len; ++i) p += alphabet[rng() % alphabet.size()];
    int groups = -1;
    if (!quick_valid_regex(p, groups)) continue;
    ++accepted;
    auto re = Regex::compile(p, false);
    CAPTURE(p);
    REQUIRE(re.has_value());
    CHECK(static_cast<int>(re->capture_count()) == groups);
  }
  CHECK(accepted > 1000);
}
