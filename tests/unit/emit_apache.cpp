// The Apache / .htaccess, YAML and _redirects emitters on hand-built RuleSets.
#include <doctest/doctest.h>

#include "emit/emit.hpp"
#include "emit_fixtures.hpp"

TEST_CASE("segment prefixes from a YAML file become mod_alias Redirect lines") {
  auto e = convert(set_of({rule(MatchKind::prefix, "/a", "http://new.example/b", 301, QueryMode::keep, "yaml"),
                           rule(MatchKind::exact, "/c", "/d", 302, QueryMode::keep, "yaml")},
                          Format::yaml),
                   Format::apache);
  INFO(e.text);
  CHECK(contains(e.text, "\nRedirect 301 /a http://new.example/b\n"));
  CHECK(contains(e.text, "\nRedirectMatch 302 ^/c$ /d\n"));
  CHECK_FALSE(contains(e.text, "RewriteEngine"));
  CHECK(e.losses.empty());
}

TEST_CASE("a rule with conditions and a dropped query becomes RewriteCond + RewriteRule with a trailing ?") {
  Rule r = rule(MatchKind::regex, "^/item/(\\w+)$", "/p/$1/%2", 301, QueryMode::drop, "yaml");
  Condition c;
  c.test = "${query}";
  c.pattern.text = "(^|&)id=(\\d+)";
  r.conds.push_back(c);
  auto e = convert(set_of({r}, Format::yaml), Format::apache);
  INFO(e.text);
  CHECK(contains(e.text, "RewriteEngine On\nRewriteCond %{QUERY_STRING} (^|&)id=(\\d+)\nRewriteRule ^/item/(\\w+)$ /p/$1/%2? [R=301,L]\n"));
}

TEST_CASE("a literal %XX in a target without captures is sent as written with [NE]") {
  Rule r = rule(MatchKind::regex, "^/enc$", "http://new.example/a%%20b", 301, QueryMode::drop, "yaml");
  auto e = convert(set_of({r}, Format::yaml), Format::apache);
  INFO(e.text);
  CHECK(contains(e.text, "RewriteRule ^/enc$ http://new.example/a\\%20b? [R=301,NE,L]"));
}

TEST_CASE("a .htaccess output strips its directory from full-path RewriteRule patterns") {
  RuleSet rs = set_of({rule(MatchKind::regex, "^/blog/old/(.*)$", "/new/$1", 301)});
  SourceFiles files;
  files.add("r.yaml", "");
  EmitOptions o;
  o.htaccess_dir = "/blog/";
  auto e = emit(rs, Format::htaccess, o, files);
  INFO(e.text);
  CHECK(contains(e.text, "RewriteRule ^old/(.*)$ /new/$1 [R=301,L]"));
}

TEST_CASE("an Apache target with a quote or space is quoted and cannot split the directive") {
  auto e = convert(set_of({rule(MatchKind::exact, "/a", "/x y\" [R=200]", 301, QueryMode::keep, "yaml"),
                           rule(MatchKind::exact, "/b", "/z\nRewriteRule ^ /evil", 301, QueryMode::keep, "yaml")},
                          Format::yaml),
                   Format::apache);
  INFO(e.text);
  CHECK(contains(e.text, "RedirectMatch 301 ^/a$ \"/x y\\\" [R=200]\""));
  REQUIRE(e.per_rule.size() == 2);
  CHECK(e.per_rule[1] == Fidelity::not_converted);
  CHECK_FALSE(contains(e.text, "\nRewriteRule ^ /evil"));
}

TEST_CASE("nginx locations become rules in nginx's precedence order, each closed by a stop rule") {
  RuleSet rs;
  rs.format = Format::nginx;
  Block server;
  server.kind = BlockKind::server;
  Block regex_loc;
  regex_loc.kind = BlockKind::location;
  regex_loc.parent = 0;
  regex_loc.mod = LocationMod::regex;
  regex_loc.path = "\\.jpg$";
  Block exact_loc = regex_loc;
  exact_loc.mod = LocationMod::exact;
  exact_loc.path = "/x.jpg";
  rs.blocks = {server, regex_loc, exact_loc};
  Rule a = rule(MatchKind::regex, "\\.jpg$", "/img", 302, QueryMode::drop, "return");
  a.scope.block = 1;
  Rule b = rule(MatchKind::exact, "/x.jpg", "/exact", 301, QueryMode::drop, "return");
  b.scope.block = 2;
  rs.rules = {a, b};
  rs.rules[1].id = 1;
  auto e = convert(rs, Format::apache);
  INFO(e.text);
  auto exact_at = e.text.find("RewriteRule ^/x\\.jpg$ %{REQUEST_SCHEME}://%{SERVER_NAME}/exact? [R=301,L]");
  auto regex_at = e.text.find("RewriteRule \\.jpg$ %{REQUEST_SCHEME}://%{SERVER_NAME}/img? [R=302,L]");
  REQUIRE(exact_at != std::string::npos);
  REQUIRE(regex_at != std::string::npos);
  CHECK(exact_at < regex_at);
  CHECK(contains(e.text, "RewriteCond %{REQUEST_URI} ^/x\\.jpg$\nRewriteRule ^ - [L]\n"));
}

TEST_CASE("YAML output quotes every scalar and refuses conditions") {
  Rule r = rule(MatchKind::regex, "^/a/(.*)$", "/b/$1", 301, QueryMode::keep, "RewriteRule");
  Rule c = r;
  Condition cond;
  cond.test = "${http_host}";
  cond.pattern.text = "x";
  c.conds.push_back(cond);
  auto e = convert(set_of({r, c}), Format::yaml);
  INFO(e.text);
  CHECK(contains(e.text, "  - from: \"^/a/(.*)$\"\n    match: regex\n    to: \"/b/$1\"\n    status: 301\n"));
  REQUIRE(e.per_rule.size() == 2);
  CHECK(e.per_rule[1] == Fidelity::not_converted);
}

TEST_CASE("_redirects output writes trailing-group regexes as splats") {
  auto e = convert(set_of({rule(MatchKind::regex, "^/blog/(.*)$", "/news/$1", 301)}), Format::netlify);
  INFO(e.text);
  CHECK(contains(e.text, "/blog/* /news/:splat 301\n"));
}

TEST_CASE("a portable ^/? pattern loses its optional slash in a root .htaccess (and stays a valid regex)") {
  RuleSet rs = set_of({rule(MatchKind::regex, "^/?(.*)$", "https://example.com/$1", 301)});
  SourceFiles files;
  files.add("r.conf", "");
  auto e = emit(rs, Format::htaccess, EmitOptions{}, files);
  INFO(e.text);
  CHECK(contains(e.text, "RewriteRule ^(.*)$ https://example.com/$1 [R=301,L]"));
}

TEST_CASE("an nginx redirect that keeps the query writes it as ?%{QUERY_STRING}, so '?' comes only with a query") {
  RuleSet rs = set_of({rule(MatchKind::exact, "/a", "/b", 301, QueryMode::keep, "return")}, Format::nginx);
  Rule always = rule(MatchKind::exact, "/c", "/d", 301, QueryMode::keep, "return");
  always.id = 1;
  always.target->query_mark_always = true;
  rs.rules.push_back(always);
  auto e = convert(rs, Format::apache);
  INFO(e.text);
  CHECK(contains(e.text, "RewriteRule ^/a$ %{REQUEST_SCHEME}://%{SERVER_NAME}/b?%{QUERY_STRING} [R=301,L]"));
  REQUIRE(e.per_rule.size() == 2);
  CHECK(e.per_rule[0] == Fidelity::exact);
  CHECK(e.per_rule[1] == Fidelity::approximated);
}
