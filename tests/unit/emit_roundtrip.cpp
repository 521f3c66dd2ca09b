// Converted output parses back (the fuzz_roundtrip property, one readable case per class it found):
// the YAML, _redirects and Apache emitters write only what their readers take, and refuse (RL301) the
// rules their format cannot say.
#include <doctest/doctest.h>

#include "emit/emit.hpp"
#include "emit_fixtures.hpp"
#include "parse/parse.hpp"

namespace {

/// `text` read back as `f`; every RL001 of the reader is a failed check.
RuleSet reparse(const std::string& text, Format f) {
  SourceFiles files;
  FileId id = files.add(f == Format::yaml ? "out.yaml" : f == Format::netlify ? "_redirects" : "out.conf", text);
  ParseOptions o;
  o.format = f;
  RuleSet rs = parse_file(files, id, o);
  for (const Diagnostic& d : rs.parse_diags) CHECK_MESSAGE(d.code != "RL001", d.message);
  return rs;
}

bool refused_with(const Emitted& e, const std::string& why) {
  for (const Diagnostic& d : e.losses)
    if (d.code == "RL301" && contains(d.message, why)) return true;
  return false;
}

}  // namespace

TEST_CASE("bytes that are not UTF-8 reach YAML as %XX in a path and as \\xNN in a regex, the same bytes read back") {
  auto e = convert(set_of({rule(MatchKind::exact, "/caf\xe9", "/cafe", 301, QueryMode::keep, "Redirect"),
                           rule(MatchKind::regex, "^/x\xd8(a|\\\xd9)$", "/y", 301, QueryMode::keep)}),
                   Format::yaml);
  INFO(e.text);
  CHECK(contains(e.text, "from: \"/caf%E9\""));
  CHECK(contains(e.text, "from: \"^/x\\\\xd8(a|\\\\xd9)$\""));
  RuleSet back = reparse(e.text, Format::yaml);
  REQUIRE(back.rules.size() == 2);
  CHECK(back.rules[0].match.text == "/caf\xe9");
  CHECK(back.rules[1].match.text == "^/x\\xd8(a|\\xd9)$");
}

TEST_CASE("a YAML target that is not UTF-8 is refused, and source bytes in comments are shown escaped") {
  Rule r = rule(MatchKind::exact, "/a", "/caf\xe9", 301, QueryMode::keep, "Redirect");
  r.original = "Redirect /a /caf\xe9 \x12\xc2\x85";
  auto e = convert(set_of({r}), Format::yaml);
  INFO(e.text);
  CHECK(refused_with(e, "not UTF-8"));
  CHECK(contains(e.text, "# Redirect /a /caf\\xe9 \\x12\\x85\n"));
  reparse(e.text, Format::yaml);
}

TEST_CASE("characters YAML escapes come back as the same UTF-8 bytes") {
  Rule r = rule(MatchKind::exact, "/tab\there\xc2\x85nel\xe2\x80\xa8ls\x7f", "/caf\xc3\xa9", 301, QueryMode::keep, "Redirect");
  auto e = convert(set_of({r}), Format::yaml);
  INFO(e.text);
  RuleSet back = reparse(e.text, Format::yaml);
  REQUIRE(back.rules.size() == 1);
  CHECK(back.rules[0].match.text == r.match.text);
  REQUIRE(back.rules[0].target);
  CHECK(back.rules[0].target->url == "/caf\xc3\xa9");
}

TEST_CASE("a 4xx answer is a YAML status without `to`; statuses YAML does not have are refused") {
  auto e = convert(set_of({rule(MatchKind::exact, "/gone", "", 410, QueryMode::keep, "Redirect"),
                           rule(MatchKind::exact, "/plans", "", 200, QueryMode::keep, "return"),
                           rule(MatchKind::exact, "/r300", "/t", 300, QueryMode::keep, "return")}),
                   Format::yaml);
  INFO(e.text);
  CHECK(contains(e.text, "  - from: \"/gone\"\n    status: 410\n"));
  REQUIRE(e.per_rule.size() == 3);
  CHECK(e.per_rule[0] == Fidelity::exact);
  CHECK(e.per_rule[1] == Fidelity::not_converted);
  CHECK(e.per_rule[2] == Fidelity::not_converted);
  CHECK(refused_with(e, "status 300 is not a redirect of YAML rule files"));
  CHECK(reparse(e.text, Format::yaml).rules.size() == 1);
}

TEST_CASE("hosts YAML cannot name and paths that are not request paths are refused for YAML") {
  Rule glob = rule(MatchKind::exact, "/a", "/b", 301);
  glob.scope.hosts = {"www.example.org", "host?.example"};
  Rule wild = rule(MatchKind::exact, "/c", "/d", 301);
  wild.scope.hosts = {"*.wild.example"};
  Rule named = rule(MatchKind::exact, "@named", "/named", 301, QueryMode::keep, "return");
  auto e = convert(set_of({glob, wild, named}), Format::yaml);
  INFO(e.text);
  CHECK(refused_with(e, "the host pattern \"host?.example\""));
  CHECK(refused_with(e, "\"@named\" is not a request path"));
  CHECK(contains(e.text, "host: \"*.wild.example\""));
  CHECK(reparse(e.text, Format::yaml).rules.size() == 1);
}

TEST_CASE("a dropped request query with a query in the target is YAML's default replace") {
  auto e = convert(set_of({rule(MatchKind::regex, "^/p/(\\d+)$", "/post?id=$1", 301, QueryMode::drop, "return"),
                           rule(MatchKind::exact, "/q", "/new", 301, QueryMode::drop, "return")}),
                   Format::yaml);
  INFO(e.text);
  CHECK_FALSE(contains(e.text, "query: drop\n    host"));
  RuleSet back = reparse(e.text, Format::yaml);
  REQUIRE(back.rules.size() == 2);
  CHECK(back.rules[0].target->query == QueryMode::replace);
  CHECK(back.rules[1].target->query == QueryMode::drop);
}

TEST_CASE("an exact YAML path ending in /* stays exact") {
  auto e = convert(set_of({rule(MatchKind::exact, "/a/*", "/b", 301, QueryMode::keep, "Redirect")}), Format::yaml);
  INFO(e.text);
  RuleSet back = reparse(e.text, Format::yaml);
  REQUIRE(back.rules.size() == 1);
  CHECK(back.rules[0].match.kind == MatchKind::exact);
  CHECK(back.rules[0].match.text == "/a/*");
}

TEST_CASE("_redirects refuses a source without '/' and a relative destination") {
  auto e = convert(set_of({rule(MatchKind::regex, "^noslash$", "/never", 301), rule(MatchKind::regex, "^/x$", "y", 301),
                           rule(MatchKind::regex, "^/ok$", "HTTPS://example.com/", 301)}),
                   Format::netlify);
  INFO(e.text);
  CHECK(refused_with(e, "\"noslash\" is not a request path"));
  CHECK(refused_with(e, "relative target \"y\""));
  CHECK(contains(e.text, "\n/ok HTTPS://example.com/ 301\n"));
  CHECK(reparse(e.text, Format::netlify).rules.size() == 1);
}

TEST_CASE("an nginx target with a space and both quotes is one RewriteRule argument") {
  auto e = convert(set_of({rule(MatchKind::prefix, "/", "/a \" b'", 301, QueryMode::drop, "return")}, Format::nginx),
                   Format::apache);
  INFO(e.text);
  RuleSet back = reparse(e.text, Format::apache);
  REQUIRE(back.rules.size() == 1);
  REQUIRE(back.rules[0].target);
  CHECK(contains(back.rules[0].target->url, "/a \" b'"));
}

TEST_CASE("a literal _redirects source keeps '*', ':name', '%' and spaces literal through %XX") {
  auto e = convert(set_of({rule(MatchKind::exact, "/a*b", "/1", 301, QueryMode::keep, "Redirect"),
                           rule(MatchKind::exact, "/:name/x y", "/2", 301, QueryMode::keep, "Redirect"),
                           rule(MatchKind::exact, "/50%", "/3", 301, QueryMode::keep, "Redirect"),
                           rule(MatchKind::exact, "/.netlify/functions/f", "/4", 301, QueryMode::keep, "Redirect")}),
                   Format::netlify);
  INFO(e.text);
  CHECK(refused_with(e, "reserved by Netlify"));
  RuleSet back = reparse(e.text, Format::netlify);
  REQUIRE(back.rules.size() == 3);
  CHECK(back.rules[0].match.kind == MatchKind::exact);
  CHECK(back.rules[0].match.text == "/a*b");
  CHECK(back.rules[1].match.kind == MatchKind::exact);
  CHECK(back.rules[1].match.text == "/:name/x y");
  CHECK(back.rules[2].match.text == "/50%");
}

TEST_CASE("a literal path with a NUL byte is refused for Apache, not written into a RedirectMatch") {
  std::string path("/do\0x", 5);
  auto e = convert(set_of({rule(MatchKind::exact, path, "/fine", 301, QueryMode::keep, "_redirects")}, Format::netlify),
                   Format::apache);
  INFO(e.text);
  REQUIRE(e.per_rule.size() == 1);
  CHECK(e.per_rule[0] == Fidelity::not_converted);
  CHECK(e.text.find('\0') == std::string::npos);
  reparse(e.text, Format::apache);
}

TEST_CASE("a literal path with a NUL byte or line break is refused for nginx, the output still an nginx file") {
  for (std::string path : {std::string("/getting\x13\x01\0\0-started", 20), std::string("/a\nb"), std::string("/a\rb")}) {
    auto e = convert(set_of({rule(MatchKind::exact, path, "/fine", 301, QueryMode::keep, "_redirects"),
                             rule(MatchKind::prefix, path, "/fine", 301, QueryMode::keep, "_redirects")},
                            Format::netlify),
                     Format::nginx);
    INFO(e.text);
    REQUIRE(e.per_rule.size() == 2);
    CHECK(e.per_rule[0] == Fidelity::not_converted);
    CHECK(e.per_rule[1] == Fidelity::not_converted);
    CHECK(refused_with(e, "line break or NUL byte"));
    CHECK(e.text.find('\0') == std::string::npos);
    reparse(e.text, Format::nginx);
  }
}
