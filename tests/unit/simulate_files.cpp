// The rule-file simulator on `_redirects` and YAML files parsed by their real parsers.
#include <doctest/doctest.h>

#include "parse/parse.hpp"
#include "simulate/simulate.hpp"

using namespace rl;

namespace {

RuleSet parse(Format format, const std::string& text) {
  SourceFiles files;
  FileId id = files.add(format == Format::yaml ? "rules.yaml" : "_redirects", text);
  ParseOptions opts;
  opts.format = format;
  return format == Format::yaml ? parse_yaml(files, id, opts) : parse_netlify(files, id, opts);
}

/// "STATUS LOCATION" ("- PATH" when no rule answered: PATH = the path served).
std::string run(const RuleSet& rs, const std::string& target, SimOptions opts = {}, Request req = {}) {
  req.target = target;
  Outcome o = simulate_file_rules(rs, req, opts);
  if (o.kind == OutcomeKind::none) return "- " + o.final_path;
  if (o.kind == OutcomeKind::limit) return "limit";
  return std::to_string(o.status) + " " + (o.location.empty() ? "-" : o.location);
}

}  // namespace

TEST_CASE("_redirects: the first matching rule wins and relative targets stay relative") {
  RuleSet rs = parse(Format::netlify,
                     "/old /new\n"
                     "/old /second 302\n"
                     "/abs https://other.example/x 308\n");
  REQUIRE(rs.parse_diags.empty());
  CHECK(run(rs, "/old") == "301 /new");
  CHECK(run(rs, "/old/") == "301 /new");
  CHECK(run(rs, "/old?x=1") == "301 /new?x=1");
  CHECK(run(rs, "/abs") == "308 https://other.example/x");
  CHECK(run(rs, "/other") == "- /other");
}

TEST_CASE("_redirects: splats and placeholders fill the target") {
  RuleSet rs = parse(Format::netlify,
                     "/news/:year/:month/:slug /blog/:year-:month/:slug 301\n"
                     "/docs/* /documentation/:splat 302\n");
  REQUIRE(rs.parse_diags.empty());
  CHECK(run(rs, "/news/2024/05/hello") == "301 /blog/2024-05/hello");
  CHECK(run(rs, "/docs/a/b.html") == "302 /documentation/a/b.html");
  CHECK(run(rs, "/docs") == "302 /documentation/");
  CHECK(run(rs, "/docs/a%20b") == "302 /documentation/a%20b");
}

TEST_CASE("_redirects: query parameter conditions and their placeholders") {
  RuleSet rs = parse(Format::netlify,
                     "/store id=:id /products/:id 301\n"
                     "/store /shop 301\n");
  REQUIRE(rs.parse_diags.empty());
  CHECK(run(rs, "/store?id=42") == "301 /products/42");
  CHECK(run(rs, "/store?id=") == "301 /shop?id=");  // no value: the condition fails, the query is passed on
  CHECK(run(rs, "/store") == "301 /shop");
}

TEST_CASE("_redirects: without ! an existing file shadows the rule; with ! it does not") {
  RuleSet rs = parse(Format::netlify,
                     "/page /elsewhere 301\n"
                     "/forced /elsewhere 301!\n");
  SimOptions files;
  files.existing_files = {"/page", "/forced"};
  CHECK(run(rs, "/page") == "301 /elsewhere");
  CHECK(run(rs, "/page", files) == "- /page");
  CHECK(run(rs, "/forced", files) == "301 /elsewhere");
}

TEST_CASE("_redirects: 200 rewrites serve another path, 404 rules answer with their page") {
  RuleSet rs = parse(Format::netlify,
                     "/app/* /index.html 200\n"
                     "/en/* /en/404.html 404\n");
  CHECK(run(rs, "/app/x/y") == "- /index.html");
  CHECK(run(rs, "/en/missing") == "404 -");
}

TEST_CASE("_redirects: domain-level sources only match their host") {
  RuleSet rs = parse(Format::netlify, "http://blog.example.com/* https://www.example.com/blog/:splat 301!\n");
  Request blog;
  blog.host = "Blog.Example.com:80";
  CHECK(run(rs, "/post/1", {}, blog) == "301 https://www.example.com/blog/post/1");
  CHECK(run(rs, "/post/1") == "- /post/1");
}

TEST_CASE("_redirects: country and role conditions read the request") {
  RuleSet rs = parse(Format::netlify,
                     "/ /anz 302 Country=au,nz\n"
                     "/admin/* /admin/:splat 200! Role=admin\n"
                     "/admin/* /login 302\n");
  REQUIRE(rs.parse_diags.empty());
  Request au;
  au.country = "AU";
  CHECK(run(rs, "/", {}, au) == "302 /anz");
  CHECK(run(rs, "/") == "- /");
  Request admin;
  admin.role = "editor,admin";
  CHECK(run(rs, "/admin/x", {}, admin) == "- /admin/x");
  CHECK(run(rs, "/admin/x") == "302 /login");
}

TEST_CASE("YAML rules: exact, prefix with the rest of the path appended, regex captures, hosts") {
  RuleSet rs = parse(Format::yaml, R"(version: 1
redirects:
  - from: /exact
    to: /exact-target
  - from: /old/*
    to: /new/
    status: 308
  - from: ^/y/(\d{4})$
    match: regex
    to: /year/$1
    status: 302
  - from: /hosted
    host: [shop.example]
    to: https://shop.example/here
  - from: /gone
    status: 410
  - from: /q
    to: /q-target?a=1
    query: append
  - from: /d
    to: /d-target
    query: drop
)");
  REQUIRE(rs.parse_diags.empty());
  CHECK(run(rs, "/exact?x=1") == "301 /exact-target?x=1");
  CHECK(run(rs, "/exact/") == "- /exact/");
  CHECK(run(rs, "/old/a/b?k=v") == "308 /new/a/b?k=v");
  CHECK(run(rs, "/old") == "308 /new/");
  CHECK(run(rs, "/older") == "- /older");
  CHECK(run(rs, "/y/2024") == "302 /year/2024");
  CHECK(run(rs, "/hosted") == "- /hosted");
  Request shop;
  shop.host = "SHOP.example";
  CHECK(run(rs, "/hosted", {}, shop) == "301 https://shop.example/here");
  CHECK(run(rs, "/gone") == "410 -");
  CHECK(run(rs, "/q?x=1") == "301 /q-target?a=1&x=1");
  CHECK(run(rs, "/d?x=1") == "301 /d-target");
}

TEST_CASE("YAML rules: ignore_case, and a prefix remainder goes before the target's own query") {
  RuleSet rs = parse(Format::yaml, R"(version: 1
redirects:
  - from: /Shop/*
    to: /store?ref=old
    query: append
    ignore_case: true
)");
  REQUIRE(rs.parse_diags.empty());
  CHECK(run(rs, "/shop/a/b?x=1") == "301 /store/a/b?ref=old&x=1");
  CHECK(run(rs, "/SHOP") == "301 /store?ref=old");
  CHECK(run(rs, "/shopping") == "- /shopping");
}
