// The `_redirects` grammar (grammar/netlify.hpp): analyze() is clean, accept/reject tables per rule,
// how a line splits into parts, that no byte sequence makes it fail, and the fixture files
// tests/grammar/netlify_*.redirects read through the parser.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/netlify.hpp"
#include "parse/parse.hpp"

namespace pegtl = tao::pegtl;
namespace g = rl::grammar::netlify;

namespace {

template <typename Rule>
bool accepts(const std::string& text) {
  pegtl::memory_input in(text, "table");
  return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in);
}

/// Records each part of a rule line as "kind:text".
template <typename Rule>
struct record : pegtl::nothing<Rule> {};
#define RL_RECORD(R, NAME)                                                 \
  template <>                                                              \
  struct record<g::R> {                                                    \
    template <typename In>                                                 \
    static void apply(const In& in, std::vector<std::string>& out) {       \
      out.push_back(std::string(NAME) + ":" + in.string());                \
    }                                                                      \
  };
RL_RECORD(from, "from")
RL_RECORD(query_pair, "query")
RL_RECORD(to, "to")
RL_RECORD(status, "status")
RL_RECORD(condition, "cond")
RL_RECORD(junk, "junk")
RL_RECORD(comment, "comment")
#undef RL_RECORD

std::string parts(const std::string& line) {
  std::vector<std::string> out;
  pegtl::memory_input in(line, "line");
  REQUIRE(pegtl::parse<g::file, record>(in, out));
  std::string joined;
  for (const std::string& s : out) joined += (joined.empty() ? "" : " ") + s;
  return joined;
}

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

rl::RuleSet parse_fixture(rl::SourceFiles& files, const std::string& path) {
  rl::FileId id = files.add(path, read(path));
  REQUIRE(!files.get(id).text.empty());
  return rl::parse_netlify(files, id, rl::ParseOptions{});
}

}  // namespace

TEST_CASE("the _redirects grammar has no rule that can loop without consuming input") {
  CHECK(pegtl::analyze<g::file>(1) == 0);
}

TEST_CASE("token rules accept what the Netlify docs allow and nothing else") {
  CHECK(accepts<g::to>("/path"));
  CHECK(accepts<g::to>("https://x.example/a?b=1#c"));
  CHECK(accepts<g::to>("HTTP://x.example"));
  CHECK_FALSE(accepts<g::to>("relative/path"));
  CHECK_FALSE(accepts<g::to>("ftp://x"));
  CHECK(accepts<g::status>("301"));
  CHECK(accepts<g::status>("200!"));
  CHECK_FALSE(accepts<g::status>("30x"));
  CHECK_FALSE(accepts<g::status>("301!!"));
  CHECK(accepts<g::query_pair>("id=:id"));
  CHECK(accepts<g::query_pair>("empty="));
  CHECK_FALSE(accepts<g::query_pair>("/p=1"));
  CHECK(accepts<g::condition>("Country=us,ca"));
  CHECK_FALSE(accepts<g::condition>("=us"));
  CHECK(accepts<g::comment>("# anything at all"));
  CHECK(accepts<g::eol>("\r\n"));
  CHECK(accepts<g::eol>("\r"));
}

TEST_CASE("a line splits into from, query pairs, to, status, conditions, junk and a comment") {
  CHECK(parts("/a /b") == "from:/a to:/b");
  CHECK(parts("/a  /b\t301!  # why") == "from:/a to:/b status:301! comment:# why");
  CHECK(parts("/store id=:id tag=x /blog/:id 301") == "from:/store query:id=:id query:tag=x to:/blog/:id status:301");
  CHECK(parts("/ /de 302 Language=de Country=at") == "from:/ to:/de status:302 cond:Language=de cond:Country=at");
  CHECK(parts("/app/* 200") == "from:/app/* status:200");
  CHECK(parts("/a /b 30x more") == "from:/a to:/b junk:30x junk:more");
  CHECK(parts("/a /b#frag") == "from:/a to:/b#frag");
  CHECK(parts("   # only a comment") == "comment:# only a comment");
  CHECK(parts("/a /b\n/c /d\r\n/e /f") == "from:/a to:/b from:/c to:/d from:/e to:/f");
}

TEST_CASE("no byte sequence makes the grammar fail") {
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::string s(static_cast<std::size_t>(rng() % 300), '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    pegtl::memory_input in(s, "random");
    std::vector<std::string> out;
    CHECK(pegtl::parse<g::file, record>(in, out));
  }
}

TEST_CASE("the valid fixture reads every rule without a diagnostic") {
  rl::SourceFiles files;
  rl::RuleSet rs = parse_fixture(files, "tests/grammar/netlify_valid.redirects");
  CHECK(rs.parse_diags.size() == 1);  // the proxy (200 to another site) is reported as not modelled (RL006)
  CHECK(rs.parse_diags.at(0).code == "RL006");
  CHECK(rs.rules.size() == 19);
}

TEST_CASE("a CRLF fixture has the same positions as its LF twin") {
  rl::SourceFiles files;
  rl::RuleSet rs = parse_fixture(files, "tests/grammar/netlify_crlf.redirects");
  REQUIRE(rs.rules.size() == 2);
  CHECK(rs.rules[0].original == "/crlf /target 301");
  CHECK(rs.rules[1].where.line == 4);
  CHECK(rs.rules[1].where.end_column == 11);
}

TEST_CASE("the error fixture reports each bad line and keeps the good ones") {
  rl::SourceFiles files;
  rl::RuleSet rs = parse_fixture(files, "tests/grammar/netlify_errors.redirects");
  std::vector<std::string> where;
  for (const rl::Diagnostic& d : rs.parse_diags)
    where.push_back(std::to_string(d.range.line) + ":" + std::to_string(d.range.column) + " " + d.code);
  CHECK(where == std::vector<std::string>{"1:16 RL001", "2:16 RL001", "3:15 RL001", "4:11 RL002"});
  REQUIRE(rs.rules.size() == 2);
  CHECK(rs.rules[1].match.text == "/ok");
}
