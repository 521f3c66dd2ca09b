// The `_redirects` parser: what each line becomes in the model, and every error with its line:column.
#include <doctest/doctest.h>

#include "parse/parse.hpp"
#include "util/regex.hpp"

using namespace rl;

namespace {

struct Parsed {
  SourceFiles files;
  RuleSet rs;
};

Parsed parse(const std::string& text, const ParseOptions& opts = {}) {
  Parsed p;
  FileId id = p.files.add("_redirects", text);
  p.rs = parse_netlify(p.files, id, opts);
  return p;
}

/// "LINE:COL CODE severity: message" per diagnostic, one per line.
std::string diags(const RuleSet& rs) {
  std::string out;
  for (const Diagnostic& d : rs.parse_diags)
    out += std::to_string(d.range.line) + ":" + std::to_string(d.range.column) + " " + d.code + " " +
           std::string(to_string(d.severity)) + ": " + d.message + "\n";
  return out;
}

/// Captures of rule `r`'s regex on `path` ("" when it does not match), group `name`.
std::string named_group(const Rule& r, const std::string& path, const std::string& name) {
  auto re = Regex::compile(r.match.text, r.match.ignore_case);
  REQUIRE(re);
  Captures caps;
  if (re->match(path, &caps) != MatchStatus::match) return "<no match>";
  for (const auto& [n, i] : re->names())
    if (n == name) return caps.group(static_cast<std::size_t>(i));
  return "<no group>";
}

}  // namespace

TEST_CASE("a literal source is an exact match that ignores one trailing slash, status 301 implicit") {
  Parsed p = parse("/old /new\n");
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 1);
  const Rule& r = p.rs.rules[0];
  CHECK(p.rs.format == Format::netlify);
  CHECK(p.rs.context == Context::file_rules);
  CHECK(r.match.kind == MatchKind::exact);
  CHECK(r.match.text == "/old");
  CHECK(r.match.optional_trailing_slash);
  CHECK(r.status == 301);
  CHECK(r.status_implicit);
  CHECK(r.action == Action::redirect);
  REQUIRE(r.target);
  CHECK(r.target->url == "/new");
  CHECK(r.target->query == QueryMode::keep);
  CHECK_FALSE(r.target->absolute);
  CHECK(r.origin.format == Format::netlify);
  CHECK(r.origin.directive == "_redirects");
  CHECK(r.original == "/old /new");
  CHECK(r.where.line == 1);
  CHECK(r.where.column == 1);
  CHECK(r.where.end_column == 10);
}

TEST_CASE("the source path is percent-decoded; the target keeps its escapes as literal template text") {
  Parsed p = parse("/caf%C3%A9 /a%20b$x\n");
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].match.text == "/caf\xC3\xA9");
  CHECK(p.rs.rules[0].match.original == "/caf%C3%A9");
  CHECK(p.rs.rules[0].target->url == "/a%%20b$$x");
}

TEST_CASE("a trailing splat becomes a regex whose splat group also matches the bare directory") {
  Parsed p = parse("/blog/* /articles/:splat 302\n");
  REQUIRE(p.rs.parse_diags.empty());
  const Rule& r = p.rs.rules[0];
  CHECK(r.match.kind == MatchKind::regex);
  CHECK(r.match.original == "/blog/*");
  CHECK(r.target->url == "/articles/${splat}");
  CHECK(r.status == 302);
  CHECK_FALSE(r.status_implicit);
  CHECK(named_group(r, "/blog/a/b.html", "splat") == "a/b.html");
  CHECK(named_group(r, "/blog/", "splat") == "");
  CHECK(named_group(r, "/blog", "splat") == "");
  CHECK(named_group(r, "/blogger", "splat") == "<no match>");
}

TEST_CASE("a splat in the middle and placeholders become named groups; `:NAME` in the target is ${ph:NAME}") {
  Parsed p = parse("/*/discord https://discord.gg/x 301!\n/news/:year/:slug /posts/:year/:slug/\n");
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(named_group(p.rs.rules[0], "/en/discord", "splat") == "en");
  CHECK(p.rs.rules[0].force);
  CHECK(p.rs.rules[0].target->absolute);
  const Rule& r = p.rs.rules[1];
  CHECK(r.target->url == "/posts/${ph:year}/${ph:slug}/");
  CHECK(named_group(r, "/news/2024/hello", "year") == "2024");
  CHECK(named_group(r, "/news/2024/hello/", "slug") == "hello");
  CHECK(named_group(r, "/news/2024/a/b", "slug") == "<no match>");
}

TEST_CASE("a `:splat` placeholder in the source fills `:splat` in the target") {
  Parsed p = parse("/guide/2.1.x/:splat https://legacy.example/guide/2.1.x/:splat\n");
  REQUIRE(p.rs.parse_diags.empty());
  CHECK(p.rs.rules[0].target->url == "https://legacy.example/guide/2.1.x/${splat}");
  CHECK(named_group(p.rs.rules[0], "/guide/2.1.x/intro", "splat") == "intro");
}

TEST_CASE("a colon that is not a placeholder stays literal in the target (ports, unknown names)") {
  Parsed p = parse("/a/:id https://host.example:8080/:other/:id\n");
  REQUIRE(p.rs.parse_diags.empty());
  CHECK(p.rs.rules[0].target->url == "https://host.example:8080/:other/${ph:id}");
}

TEST_CASE("query parameter matching becomes ${arg:KEY} conditions and drops the query") {
  Parsed p = parse("/store id=:id tag=blue /blog/:id 301\n");
  REQUIRE(p.rs.parse_diags.empty());
  const Rule& r = p.rs.rules[0];
  REQUIRE(r.conds.size() == 2);
  CHECK(r.conds[0].test == "${arg:id}");
  CHECK(r.conds[0].op == CondOp::regex);
  CHECK(r.conds[0].pattern.text == ".");
  CHECK(r.conds[1].test == "${arg:tag}");
  CHECK(r.conds[1].op == CondOp::equal);
  CHECK(r.conds[1].pattern.text == "blue");
  CHECK(r.target->url == "/blog/${arg:id}");
  CHECK(r.target->query == QueryMode::drop);
}

TEST_CASE("Country, Language, Role and Cookie conditions are kept as conditions on pseudo variables") {
  Parsed p = parse("/ /de 302! Language=de,en country=at Role=admin Cookie=ab_test\n");
  REQUIRE(p.rs.parse_diags.empty());
  const Rule& r = p.rs.rules[0];
  CHECK(r.force);
  REQUIRE(r.conds.size() == 4);
  CHECK(r.conds[0].test == "${language}");
  CHECK(r.conds[0].pattern.text == "^(?:de|en)$");
  CHECK(r.conds[0].pattern.ignore_case);
  CHECK(r.conds[1].test == "${country}");
  CHECK(r.conds[2].test == "${role}");
  CHECK_FALSE(r.conds[2].pattern.ignore_case);
  CHECK(r.conds[3].test == "${cookie}");
  CHECK(r.conds[3].where.column == 49);
}

TEST_CASE("a domain-level source limits the rule to that host and scheme") {
  Parsed p = parse("https://old.example/* https://new.example/:splat 301!\n");
  REQUIRE(p.rs.parse_diags.empty());
  const Rule& r = p.rs.rules[0];
  CHECK(r.scope.hosts == std::vector<std::string>{"old.example"});
  CHECK(r.scope.schemes == std::vector<std::string>{"https"});
  CHECK(named_group(r, "/x/y", "splat") == "x/y");
}

TEST_CASE("200 is an internal rewrite, 404 an answer with its page, and a forward rule needs no target") {
  Parsed p = parse("/app/* /index.html 200\n/shop/* 200\n/gone /404.html 404\n/api/* https://api.example/:splat 200\n");
  REQUIRE(p.rs.rules.size() == 4);
  CHECK(p.rs.rules[0].action == Action::rewrite);
  CHECK(p.rs.rules[0].status == 0);
  CHECK(p.rs.rules[1].target->url == "/shop/${splat}");
  CHECK(p.rs.rules[2].action == Action::answer);
  CHECK(p.rs.rules[2].status == 404);
  CHECK(p.rs.rules[2].target->url == "/404.html");
  CHECK(diags(p.rs) == "4:1 RL006 info: 200 to an external URL is a proxy; analysis treats \"/api/*\" as answered by the proxied site\n");
}

TEST_CASE("errors name their line and column, and the next line is still read") {
  Parsed p = parse("/x /y 30x\r\n"
                   "/a Contry=us\r\n"
                   "/p /q 301 extra\r\n"
                   "/ok /fine\r\n"
                   "/nodest\r\n"
                   "/s /t 299\r\n"
                   "/c /d 302 Contry=us\r\n"
                   "/.netlify/x /y\r\n");
  CHECK(diags(p.rs) ==
        "1:7 RL001 error: expected a status code or a Key=value condition after the destination, found \"30x\"\n"
        "2:3 RL001 error: the rule \"/a\" has no destination (a path starting with '/' or an http(s):// URL)\n"
        "3:11 RL001 error: unexpected \"extra\" (conditions are written Key=value, a comment starts with '#')\n"
        "5:8 RL001 error: the rule \"/nodest\" has no destination (a path starting with '/' or an http(s):// URL)\n"
        "6:7 RL004 error: status 299 is not valid in _redirects (200 rewrite, 301 302 303 307 308 redirect, 4xx/5xx answer)\n"
        "7:11 RL002 error: unknown condition \"Contry\" (did you mean \"Country\"?); known: Country, Language, Role, Cookie\n"
        "8:1 RL001 error: the source \"/.netlify/x\" is under /.netlify, which Netlify reserves\n");
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(p.rs.rules[0].match.text == "/ok");
  CHECK(p.rs.rules[0].where.line == 4);
  CHECK(p.rs.rules[1].match.text == "/c");  // an unknown condition does not stop the rule (Netlify ignores it)
}

TEST_CASE("a source without a leading slash is a warning and is read with one") {
  Parsed p = parse("docs/old/ /docs/new/\n");
  CHECK(diags(p.rs) == "1:1 RL001 warning: the source \"docs/old/\" does not start with '/'; write \"/docs/old/\" (read as such)\n");
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].match.text == "/docs/old/");
}

TEST_CASE("comments above a rule are kept for emitters and a trailing comment becomes its note") {
  Parsed p = parse("# unrelated\n\n# moved in 2024\n# see ticket 12\n/a /b 301 # old docs\n/c /d\n");
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(p.rs.rules[0].notes->comments == std::vector<std::string>{"# moved in 2024", "# see ticket 12"});
  CHECK(p.rs.rules[0].notes->note == "old docs");
  CHECK(p.rs.rules[0].original == "/a /b 301");
  CHECK(p.rs.rules[1].notes->comments.empty());
}

TEST_CASE("a target with its own query replaces the request's query") {
  Parsed p = parse("/v2/* https://v2.example/:splat?redirect=true 302\n");
  CHECK(p.rs.rules[0].target->query == QueryMode::replace);
}

TEST_CASE("duplicate placeholders are an error on the source") {
  Parsed p = parse("/:a/:a /x\n");
  CHECK(diags(p.rs) == "1:1 RL001 error: placeholder \":a\" appears twice in \"/:a/:a\"\n");
  CHECK(p.rs.rules.empty());
}

TEST_CASE("Cloudflare's limits give one RL007 warning per limit, at the first rule past it") {
  ParseOptions opts;
  opts.provider_max_static = 2;
  opts.provider_max_dynamic = 1;
  opts.provider_max_line = 30;
  Parsed p = parse("/a /x\n/b /x\n/c /x\n/d /x\n/e/* /y\n/f/* /y\n/a-very-long-source-path /and-a-long-target\n", opts);
  CHECK(diags(p.rs) ==
        "3:1 RL007 warning: rule \"/c\" is static rule number 3: Cloudflare Pages accepts at most 2 static and 1 dynamic (splat or placeholder) redirects\n"
        "6:1 RL007 warning: rule \"/f/*\" is dynamic rule number 2: Cloudflare Pages accepts at most 2 static and 1 dynamic (splat or placeholder) redirects\n"
        "7:1 RL007 warning: rule is 43 characters long: Cloudflare Pages ignores a redirect longer than 30 characters\n");
  CHECK(p.rs.rules.size() == 7);
}

TEST_CASE("hostile input: binary bytes, NULs, a byte order mark and a huge line never crash") {
  std::string junk = "\xEF\xBB\xBF/a /b\n";
  for (int i = 0; i < 256; ++i) junk += static_cast<char>(i);
  junk += "\n/" + std::string(200000, 'x') + " /y\n\r\r\n\t\t\n";
  Parsed p = parse(junk);
  REQUIRE(p.rs.rules.size() >= 1);
  CHECK(p.rs.rules[0].match.text == "/a");
}
