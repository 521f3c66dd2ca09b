// The Apache / .htaccess parser: lexical rules, sections, mod_alias and mod_rewrite into the model.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "parse/parse.hpp"

using namespace rl;

namespace {

struct Parsed {
  SourceFiles files;
  RuleSet rs;
  std::string diags;  // "line:col CODE message" per line
  bool has(const std::string& code) const { return diags.find(" " + code + " ") != std::string::npos; }
};

Parsed parse(const std::string& text, Format format = Format::apache, const std::string& dir = "/") {
  Parsed p;
  FileId id = p.files.add(format == Format::htaccess ? ".htaccess" : "t.conf", text);
  ParseOptions opts;
  opts.htaccess_dir = dir;
  p.rs = parse_apache(p.files, id, format, opts);
  for (const Diagnostic& d : p.rs.parse_diags)
    p.diags += std::to_string(d.range.line) + ":" + std::to_string(d.range.column) + " " + d.code + " " + d.message + "\n";
  return p;
}

const Rule& only_rule(const Parsed& p) {
  REQUIRE_MESSAGE(p.rs.rules.size() == 1, p.diags);
  return p.rs.rules.front();
}

}  // namespace

TEST_CASE("a bare Redirect is a segment-prefix 302 marked implicit that keeps the query") {
  auto p = parse("Redirect /old http://example.com/new\n");
  const Rule& r = only_rule(p);
  CHECK(r.match.kind == MatchKind::prefix);
  CHECK(r.match.text == "/old");
  CHECK(r.action == Action::redirect);
  CHECK(r.status == 302);
  CHECK(r.status_implicit);
  REQUIRE(r.target);
  CHECK(r.target->url == "http://example.com/new");
  CHECK(r.target->absolute);
  CHECK(r.target->query == QueryMode::keep);
  CHECK(r.flow == Flow::stop);
  CHECK(r.origin.directive == "Redirect");
  CHECK(p.diags.empty());
}

TEST_CASE("Redirect status keywords and numbers give explicit codes; gone takes no URL") {
  auto p = parse(
      "Redirect permanent /a /b\nRedirect temp /c /d\nRedirect seeother /e /f\nRedirect gone /g\n"
      "Redirect 308 /h /i?x=1\nRedirectPermanent /j /k\nRedirectTemp /l /m\nRedirect 410 /n\n");
  REQUIRE_MESSAGE(p.rs.rules.size() == 8, p.diags);
  int expected[] = {301, 302, 303, 410, 308, 301, 302, 410};
  for (int i = 0; i < 8; ++i) {
    CHECK(p.rs.rules[i].status == expected[i]);
    CHECK_FALSE(p.rs.rules[i].status_implicit);
  }
  CHECK(p.rs.rules[3].action == Action::answer);
  CHECK_FALSE(p.rs.rules[3].target);
  CHECK(p.rs.rules[4].target->query == QueryMode::replace);
  CHECK(p.rs.rules[1].target->url == "/d");
  CHECK(p.diags.empty());
}

TEST_CASE("Redirect arguments httpd refuses at start-up are errors") {
  auto p = parse("Redirect 404 /x /y\nRedirect 301 /rel x\nRedirect 301 /nourl\nRedirect gone /g /h\nRedirect bogus /a /b\n");
  CHECK(p.diags.find("1:10 RL004 Redirect URL not valid for status 404") != std::string::npos);
  CHECK(p.diags.find("2:19 RL001 Redirect to non-URL \"x\"") != std::string::npos);
  CHECK(p.diags.find("3:1 RL001 Redirect: URL to redirect to is missing") != std::string::npos);
  CHECK(p.diags.find("4:10 RL004") != std::string::npos);
  CHECK(p.diags.find("5:10 RL001 Redirect: invalid first argument (of three)") != std::string::npos);
  CHECK(p.rs.rules.empty());
}

TEST_CASE("a status httpd does not know is reported but the rule is kept") {
  auto p = parse("Redirect 399 /r /t\n");
  CHECK(p.has("RL004"));
  CHECK(only_rule(p).status == 399);
}

TEST_CASE("RedirectMatch is a regex whose $N must name an existing group") {
  auto p = parse("RedirectMatch 301 ^/m/(.*)$ http://new.example/n/$1$2?id=$1\n");
  const Rule& r = only_rule(p);
  CHECK(r.match.kind == MatchKind::regex);
  CHECK(r.match.text == "^/m/(.*)$");
  CHECK(r.target->url == "http://new.example/n/$1$2?id=$1");
  CHECK(r.target->query == QueryMode::replace);
  CHECK(p.diags.find("1:52 RL005 $2 refers to group 2") != std::string::npos);
}

TEST_CASE("a literal $ or % in a target is doubled in the model's template") {
  auto p = parse("Redirect /a http://x.example/a%20b$c\n");
  CHECK(only_rule(p).target->url == "http://x.example/a%%20b$$c");
}

TEST_CASE("Redirect inside <Location> may leave out the URL-path") {
  auto p = parse("<Location /one>\n  Redirect permanent http://example.com/two\n</Location>\n");
  const Rule& r = only_rule(p);
  CHECK(r.match.kind == MatchKind::prefix);
  CHECK(r.match.text == "/one");
  CHECK(r.status == 301);
  CHECK(r.target->url == "http://example.com/two");
}

TEST_CASE("RewriteRule flags decide action, status, flow and query mode") {
  struct Case {
    const char* line;
    Action action;
    int status;
    bool implicit;
    Flow flow;
    QueryMode query;
    const char* url;
  };
  Case cases[] = {
      {"RewriteRule ^/plain$ /new [R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::keep, "/new"},
      {"RewriteRule ^/repl$ /new?a=1 [R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::replace, "/new?a=1"},
      {"RewriteRule ^/qsa$ /new?a=1 [QSA,R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::append, "/new?a=1"},
      {"RewriteRule ^/qsan$ /new [QSA,R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::keep, "/new"},
      {"RewriteRule ^/qsd$ /new [QSD,R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::drop, "/new"},
      {"RewriteRule ^/qsdq$ /new?a=1 [QSD,R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::replace, "/new?a=1"},
      {"RewriteRule ^/both$ /new?a=1 [QSA,QSD,R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::replace, "/new?a=1"},
      {"RewriteRule ^/trail$ /new? [R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::drop, "/new"},
      {"RewriteRule ^/trailqsa$ /new? [QSA,R=301,L]", Action::redirect, 301, false, Flow::stop, QueryMode::keep, "/new"},
      {"RewriteRule ^/r$ /new [R]", Action::redirect, 302, true, Flow::next, QueryMode::keep, "/new"},
      {"RewriteRule ^/perm$ /new [redirect=permanent,last]", Action::redirect, 301, false, Flow::stop, QueryMode::keep, "/new"},
      {"RewriteRule ^/abs$ http://other.example/new [L]", Action::redirect, 302, true, Flow::stop, QueryMode::keep, "http://other.example/new"},
      {"RewriteRule ^/int$ /internal", Action::rewrite, 0, false, Flow::next, QueryMode::keep, "/internal"},
      {"RewriteRule ^/end$ /internal [END]", Action::rewrite, 0, false, Flow::end, QueryMode::keep, "/internal"},
      {"RewriteRule ^/n$ /again [N]", Action::rewrite, 0, false, Flow::restart, QueryMode::keep, "/again"},
      {"RewriteRule ^/dash$ - [E=X:1]", Action::none, 0, false, Flow::next, QueryMode::keep, nullptr},
      {"RewriteRule ^/f$ - [F]", Action::answer, 403, false, Flow::stop, QueryMode::keep, nullptr},
      {"RewriteRule ^/g$ /somewhere [gone]", Action::answer, 410, false, Flow::stop, QueryMode::keep, nullptr},
      {"RewriteRule ^/r404$ /x [R=404]", Action::answer, 404, false, Flow::stop, QueryMode::keep, nullptr},
      {"RewriteRule ^/var$ https://%{HTTP_HOST}%{REQUEST_URI} [r=308,l]", Action::redirect, 308, false, Flow::stop, QueryMode::keep,
       "https://${http_host}${uri}"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    auto p = parse(std::string(c.line) + "\n");
    const Rule& r = only_rule(p);
    CHECK(p.diags.empty());
    CHECK(r.action == c.action);
    CHECK(r.status == c.status);
    CHECK(r.status_implicit == c.implicit);
    CHECK(r.flow == c.flow);
    if (c.url) {
      REQUIRE(r.target);
      CHECK(r.target->url == c.url);
      CHECK(r.target->query == c.query);
    } else {
      CHECK_FALSE(r.target);
    }
  }
}

TEST_CASE("every RewriteRule flag of httpd 2.4 is accepted, in short and long form, in any case") {
  auto p = parse(
      "RewriteRule ^/a$ /b [B,BNP,BCTLS,C,CO=n:v:.example.com,DPI,E=V:1,END,H=h,L,N=5,NC,NE,NS,PT,QSA,QSD,QSL,S=2,T=text/html,UnsafeAllow3F,UnsafePrefixStat]\n"
      "RewriteRule ^/a$ /b [backrefescaping=+,backrefnoplus,chain,cookie=n:v,discardpath,env=V,handler=h,last,next,nocase,noescape,nosubreq,passthrough,qsappend,qsdiscard,qslast,skip=1,type=x/y]\n"
      "RewriteRule ^/a$ /b [qsa,Nc,r=301,end]\n");
  CHECK_MESSAGE(p.rs.parse_diags.empty(), p.diags);
  REQUIRE(p.rs.rules.size() == 3);
  const RewriteFlags& f = *p.rs.rules[0].flags;
  CHECK((f.b && f.bnp && f.bctls && f.chain && f.dpi && f.end && f.nocase && f.ne && f.nosubreq && f.pt && f.qsa && f.qsd &&
         f.qsl && f.unsafe_allow_3f && f.unsafe_prefix_stat));
  CHECK(f.skip == 2);
  CHECK(f.next_max == 5);
  CHECK(f.other.size() == 4);
  CHECK(p.rs.rules[1].flags->b_chars == "+");
  CHECK(p.rs.rules[2].match.ignore_case);
  CHECK(p.rs.rules[2].status == 301);
}

TEST_CASE("an unknown or malformed RewriteRule flag is reported with a suggestion") {
  auto p = parse("RewriteRule ^/a$ /b [R=301,QSX,L]\nRewriteRule ^/a$ /b [R301]\nRewriteRule ^/a$ /b R=301\nRewriteRule ^/a$ /b [R=399]\n");
  CHECK(p.diags.find("1:28 RL002 unknown RewriteRule flag \"QSX\"; did you mean \"QSA\"?") != std::string::npos);
  CHECK(p.diags.find("2:22 RL002 unknown RewriteRule flag \"R301\"; did you mean \"R=301\"?") != std::string::npos);
  CHECK(p.diags.find("3:21 RL001 RewriteRule: bad flag delimiters") != std::string::npos);
  CHECK(p.diags.find("4:22 RL004 invalid HTTP response code \"399\"") != std::string::npos);
}

TEST_CASE("[P] and RewriteMap are unmodelled constructs") {
  auto p = parse("RewriteMap m txt:/etc/m.txt\nRewriteRule ^/p/(.*)$ http://backend/$1 [P]\nRewriteRule ^/m/(.*)$ /x/${m:$1|none} [R=301,L]\n");
  CHECK(p.diags.find("1:1 RL006 RewriteMap") != std::string::npos);
  CHECK(p.diags.find("2:1 RL006 RewriteRule [P]") != std::string::npos);
  CHECK(p.diags.find("1:1 RL006 RewriteMap \"m\": the map file \"/etc/m.txt\" is outside") != std::string::npos);
  CHECK(p.diags.find("3:26") == std::string::npos);  // the map is defined in this file: said once there
  REQUIRE(p.rs.unmodelled.size() == 1);
  CHECK(p.rs.unmodelled[0].relevant);
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(p.rs.rules[0].action == Action::rewrite);
  CHECK(p.rs.rules[0].flags->proxy);
}

TEST_CASE("a RewriteMap lookup of a map defined elsewhere is reported where it is used") {
  auto p = parse("RewriteRule ^(.*)$ ${lc:$1} [R=301,L]\n", Format::htaccess);
  CHECK(p.diags.find("1:20 RL006 RewriteMap lookup \"${lc:$1}\" is not modelled") != std::string::npos);
  CHECK(only_rule(p).target->url == "/${map:0}");  // relative: the directory is added
  REQUIRE(p.rs.map_lookups.size() == 1);
  CHECK(p.rs.map_lookups[0].map == "lc");
  CHECK(p.rs.map_lookups[0].key == "$1");
}

TEST_CASE("an absolute substitution naming its own virtual host is an internal rewrite unless [R]") {
  auto p = parse(
      "<VirtualHost *:80>\nServerName example.org:80\nServerAlias www.example.org\n"
      "RewriteRule ^/a$ http://www.example.org/self [L]\n"
      "RewriteRule ^/b$ http://www.example.org:8080/self [L]\n"
      "RewriteRule ^/c$ http://www.example.org/self [R,L]\n"
      "RewriteRule ^/d$ http://other.example/x [L]\n"
      "RewriteRule ^/e$ https://www.example.org/self [L]\n</VirtualHost>\n");
  REQUIRE(p.rs.rules.size() == 5);
  CHECK(p.rs.blocks[0].servername_port == 80);
  CHECK(p.rs.rules[0].action == Action::rewrite);
  CHECK(p.rs.rules[0].target->url == "/self");
  CHECK(p.rs.rules[1].action == Action::redirect);
  CHECK(p.rs.rules[2].action == Action::redirect);
  CHECK(p.rs.rules[3].action == Action::redirect);
  CHECK(p.rs.rules[3].status_implicit);
  CHECK(p.rs.rules[4].action == Action::redirect);  // another scheme than the vhost's
}

TEST_CASE("a vhost whose ServerName has no port is never named by an absolute substitution (httpd s->port is 0)") {
  auto p = parse(
      "<VirtualHost *:8000>\nServerName example.org\n"
      "RewriteRule ^/a$ http://example.org/self [L]\n"
      "RewriteRule ^/b$ http://example.org:8000/self [L]\n</VirtualHost>\n"
      "<VirtualHost *:8000>\nServerName p.example:8081\n"
      "RewriteRule ^/c$ http://p.example:8081/self [L]\n"
      "RewriteRule ^/d$ http://p.example:8000/self [L]\n</VirtualHost>\n");
  REQUIRE(p.rs.rules.size() == 4);
  CHECK(p.rs.rules[0].action == Action::redirect);
  CHECK(p.rs.rules[1].action == Action::redirect);  // the listen port does not count
  CHECK(p.rs.rules[2].action == Action::rewrite);
  CHECK(p.rs.rules[3].action == Action::redirect);
}

TEST_CASE("RewriteCond test strings become templates and patterns get their operator") {
  auto p = parse(
      "RewriteCond %{HTTP_HOST} ^www\\.(.+)$ [NC,OR]\n"
      "RewriteCond %{HTTPS} !=on\n"
      "RewriteCond %{REQUEST_FILENAME} !-f\n"
      "RewriteCond %{REQUEST_FILENAME} -d\n"
      "RewriteCond %{HTTP:X-Forwarded-Proto} <=https\n"
      "RewriteCond %{ENV:REDIRECT_STATUS} -eq200\n"
      "RewriteCond %{QUERY_STRING}%{THE_REQUEST}%{REQUEST_METHOD}%{REQUEST_SCHEME}%{SERVER_PORT}%{SERVER_NAME}%{REMOTE_ADDR} =\"\"\n"
      "RewriteCond %{REQUEST_URI} !-ne5 [novary]\n"
      "RewriteRule ^/(.*)$ http://%1/$1 [R=301,L]\n");
  CHECK_MESSAGE(p.rs.parse_diags.empty(), p.diags);
  const Rule& r = only_rule(p);
  REQUIRE(r.conds.size() == 8);
  CHECK(r.conds[0].test == "${http_host}");
  CHECK(r.conds[0].op == CondOp::regex);
  CHECK(r.conds[0].pattern.text == "^www\\.(.+)$");
  CHECK(r.conds[0].pattern.ignore_case);
  CHECK(r.conds[0].or_next);
  CHECK(r.conds[1].test == "${https}");
  CHECK(r.conds[1].op == CondOp::equal);
  CHECK(r.conds[1].pattern.negated);
  CHECK(r.conds[1].pattern.text == "on");
  CHECK(r.conds[2].test == "${var:REQUEST_FILENAME}");
  CHECK(r.conds[2].op == CondOp::file_exists);
  CHECK(r.conds[2].pattern.negated);
  CHECK(r.conds[3].op == CondOp::dir_exists);
  CHECK(r.conds[4].test == "${http:X-Forwarded-Proto}");
  CHECK(r.conds[4].op == CondOp::le);
  CHECK(r.conds[5].test == "${env:REDIRECT_STATUS}");
  CHECK(r.conds[5].op == CondOp::int_eq);
  CHECK(r.conds[5].pattern.text == "200");
  CHECK(r.conds[6].test == "${query}${the_request}${method}${scheme}${server_port}${server_name}${var:REMOTE_ADDR}");
  CHECK(r.conds[6].op == CondOp::equal);
  CHECK(r.conds[6].pattern.text.empty());
  CHECK(r.conds[7].op == CondOp::int_eq);  // !-ne is -eq
  CHECK_FALSE(r.conds[7].pattern.negated);
  CHECK(r.target->url == "http://%1/$1");
}

TEST_CASE("%N needs a condition with that many groups; $N in a condition needs the rule's groups") {
  auto p = parse(
      "RewriteCond %{QUERY_STRING} id=(\\d+)\n"
      "RewriteCond %{HTTP_HOST}$2 ^x\n"
      "RewriteRule ^/item/(\\w+)$ /p/$1/%1/%2 [R=301,L]\n"
      "RewriteRule ^/rw-enc$ http://new.example/a%20b [R=301,L]\n");
  CHECK(p.diags.find("2:25 RL005 $2 in a RewriteCond refers to group 2") != std::string::npos);
  CHECK(p.diags.find("3:36 RL005 %2 refers to a RewriteCond group, but its conditions have at most 1 group\n") != std::string::npos);
  CHECK(p.diags.find("4:43 RL005 %2 refers to a RewriteCond group, but no RewriteCond before this rule matches a regex (a literal %-escape must be written \\%)") != std::string::npos);
}

TEST_CASE("an invalid regex is reported at the failing byte in the file, with PCRE2's message") {
  auto p = parse("RewriteEngine on\n  RewriteRule \"^/a(b\" /x\nRewriteCond %{HTTP_HOST} !^a[b\nRewriteRule ^ /y\nRedirectMatch 301 ^/x)y /z\n");
  CHECK(p.diags.find("2:20 RL003 invalid regex \"^/a(b\": missing closing parenthesis at offset 5") != std::string::npos);
  CHECK(p.diags.find("3:30 RL003 invalid regex \"^a[b\": missing terminating ] for character class at offset 4") != std::string::npos);
  CHECK(p.diags.find("5:22 RL003 invalid regex \"^/x)y\"") != std::string::npos);
}

TEST_CASE("a .htaccess RewriteRule pattern is rebased onto the full path, keeping its capture numbers") {
  auto p = parse(
      "RewriteEngine On\n"
      "RewriteRule ^old/(.*)$ /new/$1 [R=301,L]\n"
      "RewriteRule (.*)\\.php$ $1.html [L]\n"
      "RewriteRule ^a|^b(c) x/%1$1 [L]\n"
      "RewriteRule ^/never$ /x [L]\n"
      "RewriteRule ^$ index.html [L]\n",
      Format::htaccess, "/blog");
  REQUIRE(p.rs.rules.size() == 5);
  CHECK(p.rs.context == Context::per_directory);
  CHECK(p.rs.dir == "/blog/");
  CHECK(p.rs.rewrite_engine == true);
  CHECK(p.rs.rules[0].match.text == "^/blog/old/(.*)$");
  CHECK(p.rs.rules[0].match.original == "^old/(.*)$");
  CHECK(p.rs.rules[0].scope.dir == "/blog/");
  CHECK(p.rs.rules[0].target->url == "/new/$1");
  CHECK(p.rs.rules[1].match.text == "^/blog/.*?(.*)\\.php$");
  CHECK(p.rs.rules[1].target->url == "/blog/$1.html");
  CHECK(p.rs.rules[2].match.text == "^/blog/(?:a|b(c))");
  CHECK(p.rs.rules[3].match.text == "^/blog//never$");
  CHECK(p.rs.rules[4].match.text == "^/blog/$");
}

TEST_CASE("RewriteBase replaces the directory prefix of relative substitutions, wherever it is written") {
  auto p = parse("RewriteRule ^x/(.*)$ y/$1 [R=301,L]\nRewriteRule ^z$ /abs [L]\nRewriteBase /base/\n", Format::htaccess, "/sub/");
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(p.rs.rules[0].target->url == "/base/y/$1");
  CHECK(p.rs.rules[1].target->url == "/abs");
  CHECK(p.rs.rewrite_base == "/base/");
}

TEST_CASE("Redirect in .htaccess keeps the full path") {
  auto p = parse("Redirect 301 /alias-in-htaccess /alias-target\n", Format::htaccess, "/sub/");
  CHECK(only_rule(p).match.text == "/alias-in-htaccess");
  CHECK(only_rule(p).scope.dir == "/sub/");
}

TEST_CASE("rules in a <Directory> are per-directory relative to the DocumentRoot") {
  auto p = parse(
      "DocumentRoot /srv/site\n<Directory \"/srv/site/blog\">\n  RewriteEngine On\n  RewriteRule ^old$ new [L]\n</Directory>\n");
  const Rule& r = only_rule(p);
  CHECK(r.match.text == "^/blog/old$");
  CHECK(r.scope.dir == "/blog/");
  CHECK(r.target->url == "/blog/new");
  CHECK(p.rs.blocks[0].rewrite_engine == true);
}

TEST_CASE("a VirtualHost gives its rules hosts and scheme") {
  auto p = parse(
      "<VirtualHost *:443>\n  ServerName https://WWW.Example.com:443\n  ServerAlias example.com *.example.org\n"
      "  RewriteEngine On\n  RewriteRule ^/a$ /b [R=301,L]\n</VirtualHost>\n"
      "<VirtualHost 10.0.0.1:80 [::1]:8080>\n  RewriteRule ^/c$ /d [R=301,L]\n  ServerName plain.example\n</VirtualHost>\n"
      "<VirtualHost *>\n  SSLEngine on\n  RewriteRule ^/e$ /f [R=301,L]\n</VirtualHost>\n");
  REQUIRE_MESSAGE(p.rs.rules.size() == 3, p.diags);
  CHECK(p.rs.blocks[0].kind == BlockKind::server);
  CHECK(p.rs.blocks[0].ports == std::vector<int>{443});
  CHECK(p.rs.blocks[0].https);
  CHECK(p.rs.rules[0].scope.hosts == std::vector<std::string>{"www.example.com", "example.com", "*.example.org"});
  CHECK(p.rs.rules[0].scope.schemes == std::vector<std::string>{"https"});
  CHECK(p.rs.rules[0].scope.server == 0);
  CHECK(p.rs.blocks[1].ports == std::vector<int>{80, 8080});
  CHECK(p.rs.rules[1].scope.hosts == std::vector<std::string>{"plain.example"});
  CHECK(p.rs.rules[1].scope.schemes == std::vector<std::string>{"http"});
  CHECK(p.rs.rules[2].scope.schemes == std::vector<std::string>{"https"});
}

TEST_CASE("sections of every kind become blocks with the right kind and parent") {
  auto p = parse(
      "<IfModule !mod_rewrite.c>\n<IfDefine X>\n<Location /a>\n<LocationMatch ^/b>\n<Files x>\n<FilesMatch y>\n"
      "<If \"%{HTTP_HOST} == 'a'\">\n</If>\n<ElseIf \"true\">\n</ElseIf>\n<Else>\n</Else>\n<Custom z>\n</Custom>\n"
      "</FilesMatch>\n</Files>\n</LocationMatch>\n</Location>\n</IfDefine>\n</IfModule>\n");
  CHECK_MESSAGE(p.rs.parse_diags.empty(), p.diags);
  REQUIRE(p.rs.blocks.size() == 10);
  CHECK(p.rs.blocks[0].kind == BlockKind::condition);
  CHECK(p.rs.blocks[0].argument == "!mod_rewrite.c");
  CHECK(p.rs.blocks[2].kind == BlockKind::location);
  CHECK(p.rs.blocks[2].path == "/a");
  CHECK(p.rs.blocks[2].parent == 1);
  CHECK(p.rs.blocks[4].kind == BlockKind::files);
  CHECK(p.rs.blocks[6].kind == BlockKind::condition);
  CHECK(p.rs.blocks[6].argument == "\"%{HTTP_HOST} == 'a'\"");
  CHECK(p.rs.blocks[9].kind == BlockKind::other);
  CHECK(p.rs.blocks[9].parent == 5);
  CHECK(p.rs.blocks[0].end.line == 20);
}

TEST_CASE("an unclosed conditional section that holds is read to the end of the file, as httpd 2.4 does") {
  auto p = parse("<IfModule mod_rewrite.c>\nRewriteEngine On\nRewriteRule ^/a$ /b [R=301,L]\n");
  CHECK(p.diags.find("never closed") == std::string::npos);
  CHECK(p.rs.rules.size() == 1);
  auto q = parse("<IfModule !mod_rewrite.c>\nRedirect /a /b\n");
  CHECK(q.diags.find("1:1 RL001 <IfModule> section is never closed") != std::string::npos);
}

TEST_CASE("unbalanced and mismatched tags are errors at the line where they happen, and all are reported") {
  auto p = parse("<IfModule x>\n<Directory /a>\n</IfModule>\n</Directory>\n</Files>\n<VirtualHost *:80\n<Location /z>\n");
  CHECK(p.diags.find("3:1 RL001 expected </Directory> but saw </IfModule>") != std::string::npos);
  CHECK(p.diags.find("4:1 RL001 </Directory> without matching <Directory> section") != std::string::npos);
  CHECK(p.diags.find("5:1 RL001 </Files> without matching <Files> section") != std::string::npos);
  CHECK(p.diags.find("6:17 RL001 <VirtualHost> section tag is missing its closing '>'") != std::string::npos);
  CHECK(p.diags.find("7:1 RL001 <Location> section is never closed") != std::string::npos);
}

TEST_CASE("line continuation, quotes, tabs, CRLF, a BOM and no final newline are read as httpd does") {
  auto p = parse("\xEF\xBB\xBFRewriteRule \\\r\n\t^/a\\ b$ \\\r\n  \"/x y\" [R=301,L]\r\nredirect\t'/q r' \"/s\\\"t\"");
  REQUIRE_MESSAGE(p.rs.rules.size() == 2, p.diags);
  const Rule& r = p.rs.rules[0];
  CHECK(r.match.text == "^/a\\ b$");
  CHECK(r.target->url == "/x y");
  CHECK(r.where.line == 1);
  CHECK(r.where.column == 4);
  CHECK(r.where.end_line == 3);
  CHECK(r.where.end_column == 19);
  CHECK(r.original == "RewriteRule \t^/a\\ b$   \"/x y\" [R=301,L]");
  CHECK(p.rs.rules[1].match.text == "/q r");
  CHECK(p.rs.rules[1].target->url == "/s\"t");
  CHECK(p.rs.rules[1].where.line == 4);
}

TEST_CASE("# starts a comment only at the start of a line; an end-of-line comment is an argument") {
  auto p = parse("  # Redirect /a /b\nRedirect /a /b # old\nRewriteRule ^/x$ /y [L] # note\n");
  CHECK(p.diags.find("2:1 RL001 Redirect takes one, two or three arguments, got 4 (httpd has no end-of-line comments)") != std::string::npos);
  CHECK(p.diags.find("3:1 RL001 RewriteRule: bad argument line") != std::string::npos);
}

TEST_CASE("a misspelt redirect directive is RL002 with a suggestion; other directives are known and ignored") {
  auto p = parse("RedirectMach 301 /a /b\nrewriterul ^/a /b\nOptions +FollowSymLinks\nHeader set X y\nFooBarBaz 1\nRewriteLog x\n");
  CHECK(p.diags.find("1:1 RL002 unknown directive \"RedirectMach\"; did you mean \"RedirectMatch\"?") != std::string::npos);
  CHECK(p.diags.find("2:1 RL002 unknown directive \"rewriterul\"; did you mean \"RewriteRule\"?") != std::string::npos);
  CHECK(p.rs.parse_diags.size() == 2);
  CHECK(p.rs.unmodelled.size() == 6);
}

TEST_CASE("directive names are case-insensitive") {
  auto p = parse("REWRITEENGINE on\nrewriterule ^/a$ /b [r=301,l]\nREDIRECTMATCH ^/c /d\n");
  CHECK(p.rs.rewrite_engine == true);
  CHECK(p.rs.rules.size() == 2);
}

TEST_CASE("hostile input gives diagnostics, never a crash or a hang") {
  SUBCASE("binary junk") {
    std::string junk;
    for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
    auto p = parse(junk);
    CHECK(p.has("RL001"));
  }
  SUBCASE("NUL bytes") {
    auto p = parse(std::string("Redirect /a\0 /b\n", 16));
    CHECK(p.diags.find("1:12 RL001 NUL byte") != std::string::npos);
  }
  SUBCASE("a 1 MB line") {
    auto start = std::chrono::steady_clock::now();
    std::string line = "RewriteRule ^/" + std::string(1 << 20, 'a') + " %{" + std::string(1 << 19, '%') + "{\n";
    line += "<" + std::string(1 << 20, ' ') + "\n" + "<If " + std::string(1 << 20, '>') + "\n";
    auto p = parse(line);
    CHECK(p.diags.find("1:1048590 RL003 invalid regex") != std::string::npos);
    CHECK(p.diags.find("2:") != std::string::npos);
    CHECK(p.diags.find("3:") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  }
  SUBCASE("10,000 nested sections") {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += "<IfModule m>\n";
    text += "Redirect /deep /x\n";
    for (int i = 0; i < 10000; ++i) text += "</IfModule>\n";
    auto p = parse(text);
    CHECK(p.diags.find("257:1 RL001 sections nested deeper than 256 levels") != std::string::npos);
    CHECK(p.rs.parse_diags.size() == 1);
    CHECK(p.rs.blocks.size() == 256);
  }
  SUBCASE("invalid UTF-8") {
    auto p = parse("Redirect /caf\xC3\xA9 /x\n\xFF\xFE bad\nRedirect /\xC3\x28 /y\n");
    CHECK(p.diags.find("2:1 RL001") != std::string::npos);
    CHECK(p.diags.find("\\xff") != std::string::npos);
    CHECK(p.rs.rules.size() == 2);
  }
}

TEST_CASE("user values in messages keep valid UTF-8 and show other bytes as \\xNN") {
  auto p = parse("RedirectMatch 301 ^/caf\xC3\xA9/(\xFF /x\n");
  CHECK(p.diags.find("invalid regex \"^/caf\xC3\xA9/(\\xff\"") != std::string::npos);
}

TEST_CASE("RewriteConds belong to the next RewriteRule of their own context, across <IfModule>") {
  auto p = parse(
      "RewriteCond %{HTTPS} off\n<IfModule mod_rewrite.c>\nRewriteRule ^/a$ /b [R=301,L]\n</IfModule>\n"
      "RewriteCond %{HTTP_HOST} ^x$\n<VirtualHost *:80>\nRewriteRule ^/c$ /d [R=301,L]\n</VirtualHost>\n"
      "RewriteRule ^/e$ /f [R=301,L]\nRewriteCond %{HTTP_HOST} ^dangling$\n");
  REQUIRE(p.rs.rules.size() == 3);
  CHECK(p.rs.rules[0].conds.size() == 1);
  CHECK(p.rs.rules[1].conds.empty());          // the vhost has its own rewrite configuration
  REQUIRE(p.rs.rules[2].conds.size() == 1);    // the main server's condition waits for its rule
  CHECK(p.rs.rules[2].conds[0].test == "${http_host}");
  REQUIRE(p.rs.unmodelled.size() == 1);
  CHECK(p.rs.unmodelled[0].directive == "RewriteCond");  // httpd ignores a condition no rule follows
}

TEST_CASE("RewriteOptions and RewriteBase are recorded on the context they are written in") {
  auto p = parse("<VirtualHost *:80>\nRewriteOptions Inherit MaxRedirects=5\n</VirtualHost>\nRewriteOptions InheritDown\n");
  CHECK(p.rs.blocks[0].rewrite_options == std::vector<std::string>{"Inherit", "MaxRedirects=5"});
  CHECK(p.rs.rewrite_options == std::vector<std::string>{"InheritDown"});
  CHECK(p.rs.parse_diags.empty());
}

TEST_CASE("a Rule keeps its source text and range for messages and emitters") {
  auto p = parse("  RedirectMatch  301  ^/x$  /y  \n");
  const Rule& r = only_rule(p);
  CHECK(r.original == "RedirectMatch  301  ^/x$  /y");
  CHECK(r.where.column == 3);
  CHECK(r.where.end_column == 31);
  CHECK(r.origin.directive == "RedirectMatch");
  CHECK(r.origin.format == Format::apache);
}
