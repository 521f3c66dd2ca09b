// The nginx simulator on configs parsed by the real nginx parser; expectations are what nginx 1.22.1
// answered (SEMANTICS.md §0, §3; the same requests are in tests/differential/cases/nginx/).
#include <doctest/doctest.h>

#include <chrono>

#include "parse/parse.hpp"
#include "simulate/nginx_detail.hpp"
#include "simulate/simulate.hpp"

using namespace rl;

namespace {

RuleSet parse(const std::string& conf) {
  SourceFiles files;
  FileId id = files.add("test.conf", conf);
  ParseOptions opts;
  opts.format = Format::nginx;
  return parse_nginx(files, id, opts);
}

/// "STATUS LOCATION" ("- -" when no rule answered, "STATUS -" without a Location).
std::string run(const RuleSet& rs, const std::string& target, const std::string& host = "example.com",
                int port = 0) {
  Request req;
  req.target = target;
  req.host = host;
  req.port = port;
  Outcome o = simulate_nginx(rs, req, {});
  if (o.kind == OutcomeKind::none) return "- -";
  if (o.kind == OutcomeKind::limit) return "limit";
  if (o.kind == OutcomeKind::unknown) return "unknown";
  return std::to_string(o.status) + " " + (o.location.empty() ? "-" : o.location);
}

}  // namespace

TEST_CASE("the request path is decoded and normalised the way nginx does it") {
  auto t = nginx_sim::parse_target("//a//b/./c/../d%2Fe%20f?x=%20");
  CHECK(t.uri == "/a/b/d/e f");
  CHECK(t.args == "x=%20");
  CHECK(t.quoted_uri);
  CHECK(nginx_sim::parse_target("/c/a%20b").quoted_uri);
  CHECK(nginx_sim::parse_target("/c/a+b").plus_in_uri);
  CHECK(nginx_sim::parse_target("/..").error_status == 400);
  CHECK(nginx_sim::parse_target("/a%zz").error_status == 400);
  CHECK(nginx_sim::parse_target("/a%00").error_status == 400);
}

TEST_CASE("captures are escaped args-style and redirects partially unescaped like nginx") {
  CHECK(nginx_sim::escape_args("a b&c+d;e?f~g\xc3\xa9") == "a%20b%26c%2Bd%3Be%3Ff~g%C3%A9");
  CHECK(nginx_sim::unescape_redirect("/a%20b%26c%2Bd%3Fe?q=%26") == "/a%20b&c+d?e?q=%26");
  CHECK(nginx_sim::unescape_redirect("/%C3%A9%25") == "/%C3%A9%25");
}

TEST_CASE("server names rank exact, then the longest leading wildcard, then trailing wildcards") {
  using nginx_sim::server_name_rank;
  CHECK(server_name_rank("example.org", "example.org") > server_name_rank("*.org", "example.org"));
  CHECK(server_name_rank("*.example.org", "mail.example.org") > server_name_rank("mail.*", "mail.example.org"));
  CHECK(server_name_rank("*.example.org", "a.b.example.org") > server_name_rank("*.org", "a.b.example.org"));
  CHECK(server_name_rank("*.example.org", "example.org") == 0);
  CHECK(server_name_rank(".example.com", "example.com") > 0);
  CHECK(server_name_rank(".example.com", "x.example.com") > 0);
  CHECK(server_name_rank("mail.*", "mail") == 0);
}

TEST_CASE("location selection: exact stops, ^~ stops, regexes in file order beat the longest prefix") {
  RuleSet rs = parse(R"~(server { listen 80; server_name example.com;
    location = /exact { return 301 /from-exact; }
    location /exact { return 301 /from-prefix; }
    location ^~ /img/ { return 301 /from-caret; }
    location ~ \.jpg$ { return 301 /from-jpg; }
    location /docs/ { return 301 /from-docs; }
    location /docs/deep/ { return 301 /from-deep; }
    location ~ ^/docs/.*\.html$ { return 301 /from-docs-html; }
    location ~ \.html$ { return 301 /from-html; }
    location / { return 301 /from-root; }
  })~");
  CHECK(run(rs, "/exact?x=1") == "301 http://example.com/from-exact");
  CHECK(run(rs, "/exactly") == "301 http://example.com/from-prefix");
  CHECK(run(rs, "/img/a.jpg") == "301 http://example.com/from-caret");
  CHECK(run(rs, "/x/a.jpg") == "301 http://example.com/from-jpg");
  CHECK(run(rs, "/docs/deep/a.html") == "301 http://example.com/from-docs-html");
  CHECK(run(rs, "/docs/deep/a.txt") == "301 http://example.com/from-deep");
  CHECK(run(rs, "/other.html") == "301 http://example.com/from-html");
  CHECK(run(rs, "/%64ocs/a.txt") == "301 http://example.com/from-docs");
  CHECK(run(rs, "/img%2Fa.jpg") == "301 http://example.com/from-caret");
  CHECK(run(rs, "/Exact") == "301 http://example.com/from-root");
}

TEST_CASE("return: only 301/302/303/307/308 send a Location, the query is never appended") {
  RuleSet rs = parse(R"~(server { listen 80; server_name example.com;
    location /r300 { return 300 /t; }
    location /r410 { return 410; }
    location /plain { return 301 /t; }
    location /args { return 301 /t$is_args$args; }
    location /rel { return 301 relative/path; }
    location /bare { return http://other.example/bare; }
    location ~ ^/lr/(.*)$ { return 301 /new/$1; }
    location /ru/ { return 301 https://other.example$request_uri; }
    location /u/ { return 301 https://other.example$uri; }
    location /h { return 301 https://$host/h; }
    location /hh { return 301 https://$http_host/h; }
  })~");
  CHECK(run(rs, "/r300") == "300 -");
  CHECK(run(rs, "/r410") == "410 -");
  CHECK(run(rs, "/plain?x=1") == "301 http://example.com/t");
  CHECK(run(rs, "/args?x=1&y=%20") == "301 http://example.com/t?x=1&y=%20");
  CHECK(run(rs, "/args") == "301 http://example.com/t");
  CHECK(run(rs, "/rel") == "301 relative/path");
  CHECK(run(rs, "/bare?q=1") == "302 http://other.example/bare");
  CHECK(run(rs, "/lr/a%20b") == "301 http://example.com/new/a b");
  CHECK(run(rs, "/ru/a%20b?x=%20") == "301 https://other.example/ru/a%20b?x=%20");
  CHECK(run(rs, "/u/a%3Fb?x=1") == "301 https://other.example/u/a?b");
  CHECK(run(rs, "/hh", "WWW.Example.COM:8080") == "301 https://WWW.Example.COM:8080/h");
  CHECK(run(rs, "/h", "WWW.Example.COM:8080") == "301 https://www.example.com/h");
}

TEST_CASE("rewrite: flags, query append rules and capture escaping") {
  RuleSet rs = parse(R"~(server { listen 80; server_name example.com;
    rewrite ^/p1$ /new permanent;
    rewrite ^/p2$ /new?a=1 permanent;
    rewrite ^/p3$ /new? permanent;
    rewrite ^/p4$ /new?a=1? permanent;
    rewrite ^/p5$ http://other.example/new;
    rewrite ^/p6$ /new redirect;
    rewrite ^/p9$ /new?$args&added=1? permanent;
    rewrite ^/c/(.*)$ /new/$1 permanent;
    rewrite ^/cq/(.*)$ /new?q=$1 permanent;
  })~");
  CHECK(run(rs, "/p1?x=1&y=2") == "301 http://example.com/new?x=1&y=2");
  CHECK(run(rs, "/p1") == "301 http://example.com/new");
  CHECK(run(rs, "/p2?x=1") == "301 http://example.com/new?a=1&x=1");
  CHECK(run(rs, "/p3?x=1") == "301 http://example.com/new");
  CHECK(run(rs, "/p4?x=1") == "301 http://example.com/new?a=1");
  CHECK(run(rs, "/p5?x=1") == "302 http://other.example/new?x=1");
  CHECK(run(rs, "/p6?x=1") == "302 http://example.com/new?x=1");
  CHECK(run(rs, "/p9?x=1") == "301 http://example.com/new?x=1&added=1");
  CHECK(run(rs, "/c/a%20b") == "301 http://example.com/new/a%20b");
  CHECK(run(rs, "/c/caf%C3%A9") == "301 http://example.com/new/caf%C3%A9");
  CHECK(run(rs, "/c/a%2Bb") == "301 http://example.com/new/a+b");
  CHECK(run(rs, "/c/a%2520b") == "301 http://example.com/new/a%2520b");
  CHECK(run(rs, "/c/a%2Fb") == "301 http://example.com/new/a/b");
  CHECK(run(rs, "/c/a%3Fb?x=1") == "301 http://example.com/new/a?b?x=1");
  CHECK(run(rs, "/cq/a%26b") == "301 http://example.com/new?q=a%26b");
  CHECK(run(rs, "/cq/x&y") == "301 http://example.com/new?q=x&y");
}

TEST_CASE("last loops at most 10 times, server-level rewrites run once") {
  RuleSet rs = parse(R"~(server { listen 80; server_name example.com;
    rewrite ^/s/(.*)$ /s/x$1 last;
    location /s/ { return 301 /final$uri; }
    location /loop/ { rewrite ^/loop/(.*)$ /loop/x$1 last; }
    location /l/ { rewrite "^/l/(x{0,12})$" /l/x$1 last; return 301 /done$uri; }
    location /a/ { rewrite ^/a/(.*)$ /b/$1 last; return 403; }
    location /b/ { return 301 /got-b$uri; }
    location /br/ { rewrite ^/br/(.*)$ /other/$1 break; return 403; }
    location /seq/ { rewrite ^/seq/(.*)$ /step2/$1; rewrite ^/step2/(.*)$ /step3/$1 permanent; }
  })~");
  CHECK(run(rs, "/s/a?q=1") == "301 http://example.com/final/s/xa");
  CHECK(run(rs, "/loop/a") == "500 -");
  CHECK(run(rs, "/l/xxx") == "301 http://example.com/done/l/xxxxxxxxxxxxx");
  CHECK(run(rs, "/l/xx") == "500 -");
  CHECK(run(rs, "/a/z") == "301 http://example.com/got-b/b/z");
  CHECK(run(rs, "/br/z") == "- -");
  CHECK(run(rs, "/seq/z?x=1") == "301 http://example.com/step3/z?x=1");
}

TEST_CASE("if conditions test variables, and if-regex captures feed the return") {
  RuleSet rs = parse(R"~(server { listen 80; server_name example.com old.example;
    if ($host = old.example) { return 301 https://new.example$request_uri; }
    location /cond/ { if ($args ~ "(^|&)id=(\d+)") { return 301 /id/$2; } return 404; }
    location /scheme { if ($scheme = http) { return 301 https://$host$request_uri; } }
  })~");
  CHECK(run(rs, "/ifhost?x=1", "old.example") == "301 https://new.example/ifhost?x=1");
  CHECK(run(rs, "/cond/?id=42") == "301 http://example.com/id/42");
  CHECK(run(rs, "/cond/?x=1") == "404 -");
  CHECK(run(rs, "/scheme") == "301 https://example.com/scheme");
}

TEST_CASE("server selection: exact, leading wildcard, trailing wildcard, regex, default") {
  RuleSet rs = parse(R"~(
    server { listen 80; server_name first.example; return 301 http://first/; }
    server { listen 80; server_name www.example.org; return 301 http://exact/; }
    server { listen 80; server_name *.example.org; return 301 http://leading/; }
    server { listen 80; server_name mail.*; return 301 http://trailing/; }
    server { listen 80; server_name ~^(?<user>\w+)\.example\.net$; return 301 http://regex/$user; }
    server { listen 80 default_server; server_name _; return 301 http://default/; }
  )~");
  CHECK(run(rs, "/", "WWW.EXAMPLE.ORG") == "301 http://exact/");
  CHECK(run(rs, "/", "www.example.org.") == "301 http://exact/");
  CHECK(run(rs, "/", "example.org:8080") == "301 http://default/");
  CHECK(run(rs, "/", "a.b.example.org") == "301 http://leading/");
  CHECK(run(rs, "/", "mail.example.org") == "301 http://leading/");
  CHECK(run(rs, "/", "mail.foo") == "301 http://trailing/");
  CHECK(run(rs, "/", "bob.example.net") == "301 http://regex/bob");
  CHECK(run(rs, "/", "unknown.test") == "301 http://default/");
}

TEST_CASE("the Location gets the Host without its port and the listening port unless 80/443") {
  RuleSet rs = parse(R"~(server { listen 8080; server_name example.com canonical.example;
    location /a { return 301 /t; }
    location /off { absolute_redirect off; return 301 /t; }
    location /sn { server_name_in_redirect on; return 301 /t; }
    location /np { port_in_redirect off; return 301 /t; }
  })~");
  CHECK(run(rs, "/a", "Example.COM:9999", 8080) == "301 http://example.com:8080/t");
  // A port the server does not listen on: production answers on the port its `listen` names (issue 17).
  CHECK(run(rs, "/a", "example.com", 80) == "301 http://example.com:8080/t");
  CHECK(run(rs, "/off", "example.com", 8080) == "301 /t");
  CHECK(run(rs, "/sn", "other.test", 8080) == "301 http://example.com:8080/t");
  CHECK(run(rs, "/np", "example.com", 8080) == "301 http://example.com/t");
}

TEST_CASE("a fragment without server blocks is one implicit server; nothing matching answers none") {
  RuleSet rs = parse("location /old/ { rewrite ^/old/(.*)$ /new/$1 permanent; }\n");
  CHECK(run(rs, "/old/x") == "301 http://example.com/new/x");
  CHECK(run(rs, "/other") == "- -");
}

TEST_CASE("a catastrophic regex reports a limit instead of hanging") {
  RuleSet rs = parse(R"~(location / { rewrite "^/(a+)+$" /x permanent; })~");
  auto start = std::chrono::steady_clock::now();
  CHECK(run(rs, "/" + std::string(40, 'a') + "b") == "limit");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("the Host header is validated and reduced like ngx_http_validate_host") {
  std::string name;
  CHECK(nginx_sim::validate_host("WWW.Example.COM:8080", name));
  CHECK(name == "www.example.com");
  CHECK(nginx_sim::validate_host("example.com.", name));
  CHECK(name == "example.com");
  CHECK(nginx_sim::validate_host("[::1]:80", name));
  CHECK(name == "[::1]");
  CHECK(!nginx_sim::validate_host("a..b", name));
  CHECK(!nginx_sim::validate_host("a/b", name));
  CHECK(!nginx_sim::validate_host(":80", name));
  RuleSet rs = parse("location / { return 301 /x; }\n");
  CHECK(run(rs, "/", "a..b") == "400 -");
}

TEST_CASE("a hand-built model with bad block indices and hostile targets never crashes or hangs") {
  RuleSet rs;
  rs.format = Format::nginx;
  Block a;
  a.kind = BlockKind::location;
  a.path = "/";
  a.parent = 1;  // points forward: treated as top level
  Block b = a;
  b.parent = 0;
  rs.blocks = {a, b};
  Rule r;
  r.origin.directive = "return";
  r.status = 301;
  r.action = Action::redirect;
  r.target = Target{"/t$9${nope}%", QueryMode::drop, false};
  r.scope.block = 7;  // out of range: top level
  rs.rules.push_back(r);
  r.scope.block = 1;
  rs.rules.push_back(r);
  for (const std::string& t : std::vector<std::string>{"/", "", "*", "/%", "/a/../../b", std::string(5000, '/') + "x", "/\x01\xff"})
    CHECK_NOTHROW(run(rs, t));
  CHECK(run(rs, "/x") == "301 http://example.com/t%");
}

TEST_CASE("the literal prefix of an anchored regex is only what every match must start with") {
  using nginx_sim::literal_prefix;
  CHECK(literal_prefix("^/docs/.*\\.html$") == "/docs/");
  CHECK(literal_prefix("^/a/b?") == "/a/");
  CHECK(literal_prefix("^/x{2}") == "/");
  CHECK(literal_prefix("^\\/x\\.y(z)") == "/x.y");
  CHECK(literal_prefix("^/\\d+") == "/");
  CHECK(literal_prefix("^(?i)/x") == "");
  CHECK(literal_prefix("^/a|^/b") == "");
  CHECK(literal_prefix("/a") == "");
  RuleSet rs = parse(R"~(location / { rewrite ^/a/b?c$ /hit permanent; rewrite ^/x{2}$ /two-x permanent; })~");
  CHECK(run(rs, "/a/c") == "301 http://example.com/hit");
  CHECK(run(rs, "/xx") == "301 http://example.com/two-x");
}

TEST_CASE("https requests pick the ssl server and keep https in relative Locations") {
  RuleSet rs = parse(R"~(
    server { listen 80; server_name example.com; return 301 https://$host$request_uri; }
    server { listen 443 ssl; server_name example.com; location /old { return 301 /new$is_args$args; } }
  )~");
  CHECK(run(rs, "/old?x=1") == "301 https://example.com/old?x=1");
  Request req;
  req.scheme = "https";
  req.target = "/old?x=1";
  Outcome o = simulate_nginx(rs, req, {});
  CHECK(o.location == "https://example.com/new?x=1");
  req.port = 8443;  // a port the config does not name: every server is a candidate, the first wins
  CHECK(simulate_nginx(rs, req, {}).location == "https://example.com/old?x=1");
}

TEST_CASE("a set rule (when the parser models it) gives a variable its value for later rules") {
  RuleSet rs = parse("location / { return 301 /x-$target; }\n");
  REQUIRE(rs.rules.size() == 1);
  Rule set = rs.rules[0];
  set.origin.directive = "set";
  set.original = "set $target \"v-${uri}\";";
  set.target = Target{"v-${uri}", QueryMode::keep, false};
  rs.rules.insert(rs.rules.begin(), set);
  CHECK(run(rs, "/a") == "301 http://example.com/x-v-/a");
}
