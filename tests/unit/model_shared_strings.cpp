#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/model.hpp"
#include "parse/parse.hpp"

using namespace rl;

TEST_CASE("a shared string list reads like the vector it was made from") {
  SharedStrings s = std::vector<std::string>{"a.example", "b.example"};
  CHECK(s.size() == 2);
  CHECK(s[1] == "b.example");
  CHECK(s.front() == "a.example");
  CHECK(s == std::vector<std::string>{"a.example", "b.example"});
  std::vector<std::string> seen(s.begin(), s.end());
  CHECK(seen.size() == 2);
  const std::vector<std::string>& as_vector = s;
  CHECK(as_vector.back() == "b.example");
  CHECK(SharedStrings{}.empty());
  CHECK(SharedStrings{} == std::vector<std::string>{});
}

TEST_CASE("changing one rule's list never changes another rule that shares it") {
  Rule a;
  a.scope.hosts = {"example.com"};
  Rule b = a;
  b.scope.hosts.push_back("www.example.com");
  CHECK(a.scope.hosts == std::vector<std::string>{"example.com"});
  CHECK(b.scope.hosts == std::vector<std::string>{"example.com", "www.example.com"});
  CHECK(a.scope.hosts != b.scope.hosts);
  b.scope.hosts.clear();
  CHECK(b.scope.hosts.empty());
  CHECK(a.scope.hosts.size() == 1);
}

TEST_CASE("the rules of a virtual host share one host list") {
  SourceFiles files;
  FileId id = files.add("t.conf",
                        "<VirtualHost *:443>\nServerName example.com\nSSLEngine on\n"
                        "Redirect /a /b\nRedirect /c /d\n</VirtualHost>\n");
  ParseOptions po;
  RuleSet rs = parse_apache(files, id, Format::apache, po);
  REQUIRE(rs.rules.size() == 2);
  CHECK(rs.rules[0].scope.hosts == std::vector<std::string>{"example.com"});
  CHECK(rs.rules[1].scope.schemes == std::vector<std::string>{"https"});
  // One list, not a copy per rule (a million rules in one vhost).
  CHECK(&rs.rules[0].scope.hosts.list() == &rs.rules[1].scope.hosts.list());
}
