#include <doctest/doctest.h>

#include <set>

#include "checks/registry.hpp"
#include "model/model.hpp"
#include "util/regex.hpp"

using namespace rl;

TEST_CASE("source positions are 1-based and a CRLF counts as one line end") {
  SourceFiles files;
  FileId id = files.add("x.conf", "ab\r\ncd\ref\n");
  std::uint32_t line = 0, col = 0;
  files.position(id, 4, line, col);
  CHECK(line == 2);
  CHECK(col == 1);
  files.position(id, 7, line, col);  // after the lone CR
  CHECK(line == 3);
  CHECK(files.line_text(id, 2) == "cd");
  CHECK(files.line_text(id, 3) == "ef");
}

TEST_CASE("the registry finds checks by code and by slug, case-insensitively for codes") {
  REQUIRE(find_check("RL001") != nullptr);
  CHECK(find_check("rl001") == find_check("syntax-error"));
  CHECK(find_check("RL999") == nullptr);
}

TEST_CASE("every registered code is unique and has a slug") {
  std::set<std::string_view> codes, slugs;
  for (const CheckInfo& c : all_checks()) {
    CHECK(codes.insert(c.code).second);
    CHECK(slugs.insert(c.slug).second);
    CHECK(!c.summary.empty());
  }
}

TEST_CASE("PCRE2 reports a catastrophic pattern as a limit, not a hang") {
  auto re = Regex::compile("^(a+)+$", false);
  REQUIRE(re);
  std::string subject(40, 'a');
  subject += "!";
  CHECK(re->match(subject) == MatchStatus::limit);
}

TEST_CASE("PCRE2 compile errors carry the message and offset") {
  RegexError err;
  CHECK_FALSE(Regex::compile("^/a(b", false, &err));
  CHECK(err.message.find("missing closing parenthesis") != std::string::npos);
  CHECK(err.offset == 5);
}

TEST_CASE("captures are returned with unset groups distinguished") {
  auto re = Regex::compile("^/(a)?(b)$", false);
  REQUIRE(re);
  Captures c;
  REQUIRE(re->match("/b", &c) == MatchStatus::match);
  CHECK(!c.groups[1]);
  CHECK(c.group(2) == "b");
}
