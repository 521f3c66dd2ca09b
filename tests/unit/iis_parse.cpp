// IIS web.config → model (src/parse/iis.cpp) and the IIS simulator (src/simulate/iis.cpp): exact
// positions, the mapping of match/conditions/actions, rewrite-map expansion, httpRedirect, refusals.
#include <doctest/doctest.h>

#include "parse/parse.hpp"
#include "simulate/simulate.hpp"

using namespace rl;

namespace {

struct Parsed {
  SourceFiles files;
  RuleSet rs;
};

void parse(Parsed& p, const std::string& text) {
  FileId id = p.files.add("web.config", text);
  p.rs = parse_iis(p.files, id, ParseOptions{});
}

std::string wrap(const std::string& inner) {
  return "<configuration>\n<system.webServer>\n<rewrite>\n" + inner + "</rewrite>\n</system.webServer>\n</configuration>\n";
}

std::string answer(const RuleSet& rs, const std::string& url) {
  Request req;
  std::string err;
  REQUIRE(parse_request(url, req, err));
  Outcome o = simulate(rs, req);
  if (o.kind == OutcomeKind::redirect) return std::to_string(o.status) + " " + o.location;
  if (o.kind == OutcomeKind::answer) return std::to_string(o.status);
  if (o.kind == OutcomeKind::limit) return "limit";
  if (o.kind == OutcomeKind::unknown) return "unknown";
  return "none " + o.final_path;
}

}  // namespace

TEST_CASE("a rule's match, conditions and action read into the model at the rule's exact position") {
  Parsed p;
  parse(p, wrap("<rules>\n"
                "  <rule name=\"www\" stopProcessing=\"true\">\n"
                "    <match url=\"^(.*)$\" />\n"
                "    <conditions logicalGrouping=\"MatchAny\">\n"
                "      <add input=\"{HTTP_HOST}\" pattern=\"^example\\.com$\" />\n"
                "      <add input=\"{HTTPS}\" pattern=\"off\" />\n"
                "    </conditions>\n"
                "    <action type=\"Redirect\" url=\"https://www.example.com/{R:1}\" redirectType=\"Found\" />\n"
                "  </rule>\n"
                "</rules>\n"));
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 1);
  const Rule& r = p.rs.rules[0];
  CHECK(r.where.line == 5);
  CHECK(r.where.column == 3);
  CHECK(r.where.end_line == 12);
  CHECK(r.match.text == "^/(.*)$");
  CHECK(r.match.ignore_case);
  REQUIRE(r.conds.size() == 2);
  CHECK(r.conds[0].test == "${http_host}");
  CHECK(r.conds[0].or_next);
  CHECK_FALSE(r.conds[1].or_next);
  CHECK(r.conds[1].test == "${https}");
  CHECK(r.status == 302);
  CHECK(r.target->url == "https://www.example.com/$1");
  CHECK(answer(p.rs, "http://www.example.com/a?x=1") == "302 https://www.example.com/a?x=1");
  CHECK(answer(p.rs, "https://example.com/b") == "302 https://www.example.com/b");
  CHECK(answer(p.rs, "https://www.example.com/b") == "none /b");
}

TEST_CASE("a rewrite goes on to the next rule, which sees the new URL; appendQueryString=false drops the query") {
  Parsed p;
  parse(p, wrap("<rules>\n"
                "<rule name=\"r\"><match url=\"^a/(.*)\" /><action type=\"Rewrite\" url=\"b/{R:1}\" /></rule>\n"
                "<rule name=\"d\"><match url=\"^b/(.*)\" /><action type=\"Redirect\" url=\"/c/{R:1}\" appendQueryString=\"false\" redirectType=\"Temporary\" /></rule>\n"
                "<rule name=\"x\"><match url=\"^x$\" /><action type=\"CustomResponse\" statusCode=\"410\" /></rule>\n"
                "<rule name=\"y\"><match url=\"^y$\" /><action type=\"AbortRequest\" /></rule>\n"
                "</rules>\n"));
  REQUIRE(p.rs.rules.size() == 4);
  CHECK(p.rs.rules[0].flow == Flow::next);
  CHECK(answer(p.rs, "/a/z?q=1") == "307 /c/z");
  CHECK(answer(p.rs, "/X") == "410");  // ignoreCase is the default
  CHECK(answer(p.rs, "/y") == "444");
}

TEST_CASE("a static-redirects rewrite map becomes one exact rule per entry, at the entry's line") {
  Parsed p;
  parse(p, wrap("<rewriteMaps><rewriteMap name=\"M\">\n"
                "  <add key=\"/old\" value=\"/new\" />\n"
                "  <add key=\"/p?id=1\" value=\"/q\" />\n"
                "</rewriteMap></rewriteMaps>\n"
                "<rules><rule name=\"s\" stopProcessing=\"true\"><match url=\".*\" /><conditions>\n"
                "<add input=\"{M:{REQUEST_URI}}\" pattern=\"(.+)\" /></conditions>\n"
                "<action type=\"Redirect\" url=\"{C:1}\" appendQueryString=\"false\" /></rule></rules>\n"));
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(p.rs.rules[0].where.line == 5);
  CHECK(p.rs.rules[0].match.kind == MatchKind::exact);
  CHECK(p.rs.rules[0].origin.directive == "rewriteMap");
  CHECK(answer(p.rs, "/OLD") == "301 /new");
  CHECK(answer(p.rs, "/old?z=1") == "none /old");  // REQUEST_URI carries the query: no key matches
  CHECK(answer(p.rs, "/p?id=1") == "301 /q");
}

TEST_CASE("httpRedirect in a location redirects that path and below; unknown values make the answer unknown") {
  Parsed p;
  parse(p, "<configuration>\n<location path=\"docs\"><system.webServer>\n"
           "<httpRedirect enabled=\"true\" destination=\"https://d.example.com\" />\n"
           "</system.webServer></location>\n"
           "<system.webServer><rewrite><rules><rule name=\"ip\"><match url=\"^admin\" /><conditions>"
           "<add input=\"{REMOTE_ADDR}\" pattern=\"^10\\.\" negate=\"true\" /></conditions>"
           "<action type=\"CustomResponse\" statusCode=\"403\" /></rule></rules></rewrite></system.webServer>\n"
           "</configuration>\n");
  REQUIRE(p.rs.rules.size() == 2);
  const Rule& hr = p.rs.rules[0];
  CHECK(hr.origin.directive == "httpRedirect");
  CHECK(hr.status == 302);
  CHECK(hr.status_implicit);
  CHECK(answer(p.rs, "/docs/a/b") == "302 https://d.example.com/a/b");
  CHECK(answer(p.rs, "/docsx") == "none /docsx");
  CHECK(answer(p.rs, "/admin") == "unknown");
}

TEST_CASE("malformed XML, a DOCTYPE and a bad regex are diagnostics with positions") {
  Parsed a;
  parse(a, "<configuration><system.webServer>\n<rewrite><rules>\n</configuration>\n");
  REQUIRE(a.rs.parse_diags.size() == 1);
  CHECK(a.rs.parse_diags[0].code == "RL001");
  Parsed b;
  parse(b, "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n<configuration/>\n");
  REQUIRE(b.rs.parse_diags.size() == 1);
  CHECK(b.rs.parse_diags[0].range.line == 2);
  Parsed c;
  parse(c, wrap("<rules>\n<rule name=\"r\">\n  <match url=\"^a(\" />\n<action type=\"Redirect\" url=\"/b\" /></rule></rules>\n"));
  REQUIRE(c.rs.parse_diags.size() == 1);
  CHECK(c.rs.parse_diags[0].code == "RL003");
  CHECK(c.rs.parse_diags[0].range.line == 6);
  CHECK(c.rs.parse_diags[0].range.column == 15);
  CHECK(c.rs.rules.empty());
}
