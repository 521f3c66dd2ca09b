// The nginx reader: statements, blocks, and the model it builds (SEMANTICS.md §3).
#include <doctest/doctest.h>

#include "nginx_support.hpp"

using namespace rl;
using namespace nginx_test;

namespace {

Parsed parse(const std::string& text) { return parse_text(text); }

const Rule& only_rule(const Parsed& p) {
  REQUIRE(p.rs.rules.size() == 1);
  return p.rs.rules[0];
}

}  // namespace

TEST_CASE("a server with a return 301 becomes one redirect rule scoped to its names and scheme") {
  auto p = parse(
      "server {\n"
      "  listen 80;\n"
      "  server_name WWW.Example.com example.com;\n"
      "  return 301 https://example.com$request_uri;\n"
      "}\n");
  CHECK(diags(p).empty());
  CHECK(p.dump ==
        "ruleset format=nginx context=server\n"
        "block 0 @1:1 server names=www.example.com,example.com ports=80\n"
        "rule 0 @4:3 return regex \"^/\" -> redirect 301 \"https://example.com${request_uri}\" query=drop flow=stop "
        "block=0 server=0 hosts=www.example.com,example.com schemes=http\n");
  const Rule& r = only_rule(p);
  CHECK(r.target->absolute);
  CHECK(r.original == "return 301 https://example.com$request_uri;");
  CHECK(r.where.end_line == 4);
  CHECK(r.where.end_column == 46);
}

TEST_CASE("listen parameters give ports, https and default_server") {
  auto p = parse(
      "server { listen [::]:443 ssl http2 default_server; listen 127.0.0.1:8080; server_name _; return 444; }\n");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.blocks.size() == 1);
  const Block& b = p.rs.blocks[0];
  CHECK(b.ports == std::vector<int>{443, 8080});
  CHECK(b.https);
  CHECK(b.default_server);
  CHECK(b.server_names == std::vector<std::string>{"_"});
  const Rule& r = only_rule(p);
  CHECK(r.action == Action::answer);
  CHECK(r.status == 444);
  CHECK(r.scope.hosts.empty());
  CHECK(r.scope.schemes == std::vector<std::string>{"http", "https"});
}

TEST_CASE("server names keep wildcards and regexes, hosts only list exact names") {
  auto p = parse("server { server_name .Example.org *.a.com mail.* ~^(?<user>\\w+)\\.x\\.net$ b.com; return 410; }");
  const Block& b = p.rs.blocks[0];
  CHECK(b.server_names ==
        std::vector<std::string>{".example.org", "*.a.com", "mail.*", "~^(?<user>\\w+)\\.x\\.net$", "b.com"});
  CHECK(only_rule(p).scope.hosts == std::vector<std::string>{"b.com"});
}

TEST_CASE("every location modifier is modelled with its own match") {
  auto p = parse(
      "location = /exact { return 301 /e; }\n"
      "location /pre { return 301 /p; }\n"
      "location ^~ /img/ { return 301 /i; }\n"
      "location ~ \\.php$ { return 403; }\n"
      "location ~* \\.JPG$ { return 410; }\n"
      "location @named { return 302 /n; }\n"
      "location =/glued { return 301 /g; }\n");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.blocks.size() == 7);
  CHECK(p.rs.blocks[0].mod == LocationMod::exact);
  CHECK(p.rs.blocks[1].mod == LocationMod::none);
  CHECK(p.rs.blocks[2].mod == LocationMod::prefix_noregex);
  CHECK(p.rs.blocks[3].mod == LocationMod::regex);
  CHECK(p.rs.blocks[4].mod == LocationMod::regex_nocase);
  CHECK(p.rs.blocks[5].mod == LocationMod::named);
  CHECK(p.rs.blocks[6].mod == LocationMod::exact);
  CHECK(p.rs.blocks[6].path == "/glued");
  REQUIRE(p.rs.rules.size() == 7);
  CHECK(p.rs.rules[0].match.kind == MatchKind::exact);
  CHECK(p.rs.rules[0].match.text == "/exact");
  CHECK(p.rs.rules[1].match.text == "^/pre");
  CHECK(p.rs.rules[2].match.text == "^/img/");
  CHECK(p.rs.rules[3].match.text == "\\.php$");
  CHECK(p.rs.rules[4].match.ignore_case);
  CHECK(p.rs.rules[5].match.text == "@named");
  for (const Rule& r : p.rs.rules) {
    CHECK(r.scope.server == -1);
    CHECK(p.rs.blocks[static_cast<std::size_t>(r.scope.block)].kind == BlockKind::location);
  }
}

TEST_CASE("a prefix location with regex characters is escaped, not read as a regex") {
  auto p = parse("location /a.b(c) { return 301 /x; }");
  CHECK(only_rule(p).match.text == "^/a\\.b\\(c\\)");
}

TEST_CASE("nested locations scope a return to the innermost one") {
  auto p = parse("server { location /a/ { location ~ ^/a/(x)$ { return 301 /b/$1; } } }");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.blocks.size() == 3);
  CHECK(p.rs.blocks[2].parent == 1);
  CHECK(p.rs.blocks[1].parent == 0);
  const Rule& r = only_rule(p);
  CHECK(r.scope.block == 2);
  CHECK(r.scope.server == 0);
  CHECK(r.match.text == "^/a/(x)$");
  CHECK(r.target->url == "/b/$1");
}

TEST_CASE("return: codes, bare URLs, text bodies and the query string") {
  SUBCASE("a bare absolute URL is an implicit 302") {
    auto p = parse("return https://x.example/a;");
    const Rule& r = only_rule(p);
    CHECK(r.status == 302);
    CHECK(r.status_implicit);
    CHECK(r.action == Action::redirect);
  }
  SUBCASE("a bare $scheme URL is an implicit 302") {
    auto p = parse("return $scheme://x.example$request_uri;");
    CHECK(only_rule(p).target->url == "${scheme}://x.example${request_uri}");
    CHECK(only_rule(p).target->absolute);
  }
  SUBCASE("a bare relative URL is nginx's invalid return code") {
    auto p = parse("return /x;");
    CHECK(p.rs.rules.empty());
    CHECK(diags(p) == std::vector<std::string>{
                          "RL004 in.conf:1:8 invalid return code \"/x\": a URL without a code must start with \"http://\", "
                          "\"https://\" or \"$scheme\""});
  }
  SUBCASE("a code above 999 is refused") {
    auto p = parse("return 1000;");
    CHECK(count(p, "RL004") == 1);
  }
  SUBCASE("300 with a URL is an answer with a body, not a redirect") {
    auto p = parse("return 300 /t;");
    CHECK(only_rule(p).action == Action::answer);
    CHECK(!only_rule(p).target);
  }
  SUBCASE("200 with text is an answer") {
    auto p = parse("return 200 'hello world';");
    CHECK(only_rule(p).action == Action::answer);
    CHECK(only_rule(p).status == 200);
  }
  SUBCASE("return never keeps the query unless the URL ends with $is_args$args") {
    auto drop = parse("return 301 /t;");
    CHECK(only_rule(drop).target->query == QueryMode::drop);
    auto keep = parse("return 301 /t$is_args$args;");
    CHECK(only_rule(keep).target->url == "/t");
    CHECK(only_rule(keep).target->query == QueryMode::keep);
    auto keep2 = parse("return 308 /t?$query_string;");
    CHECK(only_rule(keep2).target->url == "/t");
    CHECK(only_rule(keep2).target->query == QueryMode::keep);
    CHECK(only_rule(keep2).target->query_mark_always);  // `?$args`: a '?' even without a query
    CHECK_FALSE(only_rule(keep).target->query_mark_always);
    auto ru = parse("return 301 https://n.example$request_uri;");
    CHECK(only_rule(ru).target->query == QueryMode::drop);
  }
  SUBCASE("a relative text target is kept as written") {
    auto p = parse("return 301 relative/path;");
    CHECK(only_rule(p).target->url == "relative/path");
    CHECK(!only_rule(p).target->absolute);
  }
  SUBCASE("too many arguments") {
    auto p = parse("return 301 /a /b;");
    CHECK(diags(p) == std::vector<std::string>{"RL001 in.conf:1:1 invalid number of arguments in \"return\" directive"});
  }
}

TEST_CASE("rewrite: flags, status, flow and query modes follow SEMANTICS 3.4") {
  struct Case {
    const char* text;
    Action action;
    int status;
    bool implicit;
    Flow flow;
    QueryMode query;
    const char* url;
  };
  const Case cases[] = {
      {"rewrite ^/p1$ /new permanent;", Action::redirect, 301, false, Flow::stop, QueryMode::keep, "/new"},
      {"rewrite ^/p2$ /new?a=1 permanent;", Action::redirect, 301, false, Flow::stop, QueryMode::append, "/new?a=1"},
      {"rewrite ^/p3$ /new? permanent;", Action::redirect, 301, false, Flow::stop, QueryMode::drop, "/new"},
      {"rewrite ^/p4$ /new?a=1? permanent;", Action::redirect, 301, false, Flow::stop, QueryMode::replace, "/new?a=1"},
      {"rewrite ^/p5$ http://other.example/new;", Action::redirect, 302, true, Flow::stop, QueryMode::keep,
       "http://other.example/new"},
      {"rewrite ^/p6$ /new redirect;", Action::redirect, 302, false, Flow::stop, QueryMode::keep, "/new"},
      {"rewrite ^/p7$ http://o.example/new? permanent;", Action::redirect, 301, false, Flow::stop, QueryMode::drop,
       "http://o.example/new"},
      {"rewrite ^/l/(.*)$ /b/$1 last;", Action::rewrite, 0, false, Flow::restart, QueryMode::keep, "/b/$1"},
      {"rewrite ^/b/(.*)$ /c/$1 break;", Action::rewrite, 0, false, Flow::end, QueryMode::keep, "/c/$1"},
      {"rewrite ^/n/(.*)$ /m/$1;", Action::rewrite, 0, false, Flow::next, QueryMode::keep, "/m/$1"},
      {"rewrite ^/s$ $scheme://h.example/s last;", Action::redirect, 302, true, Flow::stop, QueryMode::keep,
       "${scheme}://h.example/s"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto p = parse(c.text);
    CHECK(diags(p).empty());
    const Rule& r = only_rule(p);
    CHECK(r.action == c.action);
    CHECK(r.status == c.status);
    CHECK(r.status_implicit == c.implicit);
    CHECK(r.flow == c.flow);
    CHECK(r.target->query == c.query);
    CHECK(r.target->url == c.url);
    CHECK(r.match.kind == MatchKind::regex);
  }
}

TEST_CASE("rewrite with a quoted regex containing braces and semicolons") {
  auto p = parse("rewrite \"^/y/(\\d{4})$\" /year/$1 permanent;\nrewrite '^/semi/(a;b)$' /s permanent;");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(p.rs.rules[0].match.text == "^/y/(\\d{4})$");
  CHECK(p.rs.rules[0].match.original == "\"^/y/(\\d{4})$\"");
  CHECK(p.rs.rules[1].match.text == "^/semi/(a;b)$");
}

TEST_CASE("named captures become numbered back-references") {
  auto p = parse("rewrite ^/(?<slug>[a-z]+)/(\\d+)$ /posts/$slug-$2 permanent;");
  CHECK(only_rule(p).target->url == "/posts/$1-$2");
}

TEST_CASE("variables become the model's template names") {
  auto p = parse(
      "return 301 https://$host$uri?a=$arg_id&h=$http_x_forwarded_host&s=$server_name:$server_port"
      "&m=$request_method&d=$document_uri&o=$other&b=${host}x&p=100%;");
  CHECK(only_rule(p).target->url ==
        "https://${host}${uri}?a=${arg:id}&h=${http:x-forwarded-host}&s=${server_name}:${server_port}"
        "&m=${method}&d=${uri}&o=${var:other}&b=${host}x&p=100%%");
}

TEST_CASE("break is a rule that ends rewrite processing") {
  auto p = parse("location /a { break; }");
  const Rule& r = only_rule(p);
  CHECK(r.action == Action::none);
  CHECK(r.flow == Flow::end);
}

TEST_CASE("unknown directives are kept as unmodelled and ignored") {
  auto p = parse("server { root /var/www; frobnicate on; location / { index x; } }");
  CHECK(diags(p).empty());
  CHECK(p.rs.rules.empty());
  REQUIRE(p.rs.unmodelled.size() == 3);
  CHECK(p.rs.unmodelled[1].directive == "frobnicate");
  CHECK(p.rs.unmodelled[1].text == "frobnicate on;");
}

TEST_CASE("a whole nginx.conf with events and http blocks is read") {
  auto p = parse(
      "user www-data;\nworker_processes auto;\nevents { worker_connections 768; }\n"
      "http {\n  include mime.types; # types\n  server { listen 80; return 301 https://$host$request_uri; } # end\n}\n");
  CHECK(count(p, "RL001") == 0);
  CHECK(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].scope.server == 0);
}

TEST_CASE("absolute_redirect, port_in_redirect and server_name_in_redirect are recorded where they are set") {
  auto p = parse(
      "absolute_redirect off;\n"
      "server { port_in_redirect off; location / { server_name_in_redirect on; } }");
  CHECK(p.rs.absolute_redirect == false);
  CHECK(p.rs.blocks[0].port_in_redirect == false);
  CHECK(p.rs.blocks[1].server_name_in_redirect == true);
  CHECK(!p.rs.blocks[0].absolute_redirect);
}

TEST_CASE("comments are allowed anywhere a token may start, also after a closing brace") {
  auto p = parse("server { # a\n return 301 /x; # b\n} # c\n# d");
  CHECK(diags(p).empty());
  CHECK(p.rs.rules.size() == 1);
  auto q = parse("return 301 /a#b;");
  CHECK(only_rule(q).target->url == "/a#b");
}

TEST_CASE("a near miss of a redirect directive is RL002 with the intended name; real neighbours are not") {
  auto p = parse("retrun 301 /x;\nrewrite_log on;\nerror_log x;\nproxy_redirect off;\nserver_names_hash_max_size 512;\n");
  REQUIRE(p.rs.parse_diags.size() == 1);
  CHECK(p.rs.parse_diags[0].code == "RL002");
  CHECK(p.rs.parse_diags[0].message == "unknown directive \"retrun\"; did you mean \"return\"?");
}

TEST_CASE("a block redirlint does not interpret is kept whole, braces included, as one unmodelled entry") {
  auto p = parse("events {\n  worker_connections 768;\n}\nmap $a $b { x y; }\n");
  REQUIRE(p.rs.unmodelled.size() == 2);
  CHECK(p.rs.unmodelled[0].text == "events {\n  worker_connections 768;\n}");
  CHECK(p.rs.unmodelled[0].where.end_line == 3);
  CHECK(p.rs.unmodelled[1].text == "map $a $b { x y; }");
}
