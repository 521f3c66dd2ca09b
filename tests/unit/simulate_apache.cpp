#include <doctest/doctest.h>

#include <string>

#include "parse/parse.hpp"
#include "simulate/simulate.hpp"

using namespace rl;

namespace {

struct Sim {
  SourceFiles files;
  RuleSet rs;
  SimOptions opts;
  Sim(const std::string& text, Format f, std::string dir = "/") {
    FileId id = files.add(f == Format::htaccess ? "t.htaccess" : "t.conf", text);
    ParseOptions po;
    po.format = f;
    po.htaccess_dir = dir;
    rs = parse_apache(files, id, f, po);
  }
  Outcome run(const std::string& request) {
    Request r;
    std::string error;
    REQUIRE(parse_request(request, r, error));
    return simulate(rs, r, opts);
  }
  std::string tsv(const std::string& request) {
    Outcome o = run(request);
    std::string status = o.kind == OutcomeKind::none ? "-" : o.kind == OutcomeKind::limit ? "limit" : o.kind == OutcomeKind::unknown ? "unknown" : std::to_string(o.status);
    return status + " " + (o.location.empty() ? "-" : o.location);
  }
};

}  // namespace

TEST_CASE("a hand-built Redirect rule matches whole segments and appends the re-escaped rest") {
  RuleSet rs;
  Rule r;
  r.origin.directive = "Redirect";
  r.match.kind = MatchKind::prefix;
  r.match.text = "/a";
  r.status = 302;
  r.target = Target{"http://new.example/b", QueryMode::keep, true};
  rs.rules.push_back(r);
  Request req;
  req.target = "/a/caf%C3%A9?q=1";
  Outcome o = simulate(rs, req);
  CHECK(o.kind == OutcomeKind::redirect);
  CHECK(o.location == "http://new.example/b/caf%c3%a9?q=1");
  req.target = "/ab";
  CHECK(simulate(rs, req).kind == OutcomeKind::none);
}

TEST_CASE("mod_rewrite runs before mod_alias whatever the order in the file") {
  Sim s("Redirect 301 /both /from-alias\nRewriteEngine On\nRewriteRule ^/both$ /from-rewrite [R=302,L]\n", Format::apache);
  CHECK(s.tsv("/both") == "302 http://example.com/from-rewrite");
  Outcome o = s.run("/both");
  REQUIRE(o.fired.size() == 1);
  CHECK(o.fired[0].where.line == 3);
}

TEST_CASE("rules without RewriteEngine On do nothing") {
  Sim s("RewriteRule ^/x$ /y [R=301,L]\n", Format::apache);
  CHECK(s.tsv("/x") == "- -");
}

TEST_CASE("an encoded slash is answered 404 before any rule and a bad escape 400") {
  Sim s("Redirect /a http://new.example/b\n", Format::apache);
  CHECK(s.tsv("/a%2Fb") == "404 -");
  CHECK(s.tsv("/a/%zz") == "400 -");
  CHECK(s.tsv("//a//x") == "302 http://new.example/b/x");
}

TEST_CASE("query modes of RewriteRule follow QSA, QSD and the trailing question mark") {
  Sim s("RewriteEngine On\n"
        "RewriteRule ^/qsa$ /new?a=1 [QSA,R=301,L]\n"
        "RewriteRule ^/trail$ /new? [R=301,L]\n"
        "RewriteRule ^/trail-qsa$ /new? [QSA,R=301,L]\n"
        "RewriteRule ^/qsd$ /new [QSD,R=301,L]\n",
        Format::apache);
  CHECK(s.tsv("/qsa?x=1") == "301 http://example.com/new?a=1&x=1");
  CHECK(s.tsv("/trail?x=1") == "301 http://example.com/new");
  CHECK(s.tsv("/trail-qsa?x=1") == "301 http://example.com/new?x=1");
  CHECK(s.tsv("/qsd?x=1") == "301 http://example.com/new");
}

TEST_CASE("an R without L goes on with the absolute URL and the last status wins") {
  Sim s("RewriteEngine On\nRewriteRule ^/nol$ /mid [R=301]\nRewriteRule ^/mid$ /after-mid [R=302,L]\n"
        "RewriteRule ^(.*)/mid$ $1/after-abs [R=302,L]\n",
        Format::apache);
  CHECK(s.tsv("/nol?q=1") == "302 http://example.com/after-abs?q=1");
  CHECK(s.run("/nol?q=1").fired.size() == 2);
}

TEST_CASE("a question mark brought in by a back-reference is refused with 403 unless UnsafeAllow3F") {
  Sim s("RewriteEngine On\nRewriteRule ^/esc/(.*)$ /new/$1 [R=301,L]\nRewriteRule ^/u/(.*)$ /new/$1 [UnsafeAllow3F,R=301,L]\n",
        Format::apache);
  CHECK(s.tsv("/esc/a%3Fb") == "403 -");
  CHECK(s.tsv("/u/a%3Fb") == "301 http://example.com/new/a?b");
  CHECK(s.tsv("/esc/a%20b") == "301 http://example.com/new/a%20b");
}

TEST_CASE("the Host's name and port make a relative target absolute") {
  Sim s("Redirect /rel /target\n", Format::apache);
  CHECK(s.tsv("http://Example.COM:8080/rel") == "302 http://example.com:8080/target");
  CHECK(s.tsv("http://example.com./rel") == "302 http://example.com/target");
}

TEST_CASE("the first vhost is the default and names match case-insensitively with wildcards") {
  Sim s("<VirtualHost *:80>\nServerName first.example\nRedirect /x http://first/\n</VirtualHost>\n"
        "<VirtualHost *:80>\nServerName example.org\nServerAlias *.wild.example\nRedirect /x http://org/\n</VirtualHost>\n",
        Format::apache);
  CHECK(s.tsv("http://WWW.wild.example/x") == "302 http://org/");
  CHECK(s.tsv("http://Example.ORG./x") == "302 http://org/");
  CHECK(s.tsv("http://example.org:8080/x") == "- -");  // nothing listens on 8080 but the main server
  CHECK(s.tsv("http://unknown.test/x") == "302 http://first/");
}

TEST_CASE("htaccess patterns see the path without the directory and relative targets get it back") {
  Sim s("RewriteEngine On\nRewriteRule ^x/(.*)$ y/$1 [R=301,L]\nRewriteRule ^/slash$ /never [R=301,L]\n", Format::htaccess,
        "/sub/");
  s.opts.document_root = "/srv/www";
  CHECK(s.tsv("/sub/x/1?q=1") == "301 http://example.com/srv/www/sub/y/1?q=1");
  CHECK(s.tsv("/sub/slash") == "- -");
  CHECK(s.tsv("/x/1") == "- -");
}

TEST_CASE("RewriteBase replaces the directory of relative redirects") {
  Sim s("RewriteEngine On\nRewriteBase /base/\nRewriteRule ^x/(.*)$ y/$1 [R=301,L]\n", Format::htaccess, "/sub/");
  CHECK(s.tsv("/sub/x/1?q=1") == "301 http://example.com/base/y/1?q=1");
}

TEST_CASE("an htaccess internal rewrite loop ends in 500 while END stops after one rewrite") {
  Sim s("RewriteEngine On\nRewriteRule ^loop/(.*)$ loop/x$1 [L]\nRewriteRule ^end/(.*)$ end/x$1 [END]\n", Format::htaccess);
  CHECK(s.tsv("/loop/a") == "500 -");
  Outcome o = s.run("/end/a");
  CHECK(o.kind == OutcomeKind::none);
  CHECK(o.final_path == "/end/xa");
}

TEST_CASE("file conditions see the document root and the files the caller says exist") {
  Sim s("RewriteEngine On\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteRule ^(.*)$ /index.php?p=$1 [R=302,L]\n", Format::htaccess);
  s.opts.existing_files = {"/real.txt"};
  CHECK(s.tsv("/real.txt") == "- -");
  CHECK(s.tsv("/virtual") == "302 http://example.com/index.php?p=virtual");
}

TEST_CASE("a catastrophic pattern reports the limit instead of hanging") {
  Sim s("RewriteEngine On\nRewriteRule ^(a+)+$ /x [R,L]\n", Format::apache);
  CHECK(s.tsv("/" + std::string(40, 'a') + "b") == "- -");  // anchored at '/', cheap
  Sim t("RewriteEngine On\nRewriteRule (a|aa)+$ /x [R,L]\n", Format::apache);
  Outcome o = t.run("/" + std::string(5000, 'a') + "b");
  CHECK((o.kind == OutcomeKind::limit || o.kind == OutcomeKind::none));
}

TEST_CASE("the same RuleSet is compiled once and answers many requests quickly") {
  std::string text = "RewriteEngine On\n";
  for (int i = 0; i < 200; ++i) text += "RewriteRule ^/p" + std::to_string(i) + "/(.*)$ /q" + std::to_string(i) + "/$1 [R=301,L]\n";
  Sim s(text, Format::apache);
  for (int i = 0; i < 2000; ++i) CHECK(s.tsv("/p199/x") == "301 http://example.com/q199/x");
}

TEST_CASE("an %{ENV:NAME} that SetEnvIf may set makes the answer unknown, not empty") {
  Sim s("RewriteEngine On\nSetEnvIf Host ^www proto=https\nRewriteRule ^/p$ %{ENV:proto}://example.org/x [R=301,L]\n"
        "RewriteRule ^/q$ /q/%{ENV:other} [R=301,L]\n",
        Format::apache);
  Outcome o = s.run("/p");
  CHECK(o.kind == OutcomeKind::unknown);
  CHECK(o.note.find("SetEnvIf at line 2") != std::string::npos);
  CHECK(s.tsv("/q") == "301 http://example.com/q/");
}

TEST_CASE("an <If> with a file test, a RewriteMap lookup and a RewriteRule in <Directory> are unknown where they apply") {
  Sim s("<VirtualHost *:80>\nServerName example.com\n<If \"-f %{REQUEST_FILENAME}\">\nRedirect 301 /f /g\n</If>\n"
        "<If \"%{HTTP_HOST} == 'example.com'\">\nRedirect 301 /h /i\n</If>\n"
        "<Directory /var/www/html>\nRewriteEngine On\nRewriteRule ^d$ /e [R=301,L]\n</Directory>\n</VirtualHost>\n",
        Format::apache);
  CHECK(s.tsv("http://example.com/f") == "unknown -");
  CHECK(s.run("http://example.com/h").note.find("RewriteRule inside a <Directory>") != std::string::npos);
  Sim f("<If \"-f %{REQUEST_FILENAME}\">\nRedirect 301 /f /g\n</If>\n<If \"%{QUERY_STRING} == 'x'\">\nRedirect 301 /h /i\n</If>\n",
        Format::apache);
  CHECK(f.run("/f").note.find("test -f") != std::string::npos);
  CHECK(f.tsv("/h?x") == "301 http://example.com/i?x");
  CHECK(f.tsv("/h") == "- -");
  Sim m("RewriteEngine On\nRewriteMap lc int:tolower\nRewriteRule ^/m/(.*)$ /n/${lc:$1} [R=301,L]\n", Format::apache);
  CHECK(m.tsv("/m/A") == "301 http://example.com/n/a");  // int:tolower is evaluated
  CHECK(m.tsv("/other") == "- -");
  Sim n("<VirtualHost *:80>\n<Location /loc>\nRewriteEngine On\nRewriteRule ^ /x [R=301,L]\n</Location>\n</VirtualHost>\n",
        Format::apache);
  CHECK(n.tsv("/loc/a") == "unknown -");
  CHECK(n.tsv("/elsewhere") == "- -");
}

TEST_CASE("<ElseIf> and <Else> apply only when the sections before them in the chain did not") {
  Sim s("<If \"%{QUERY_STRING} == 'a'\">\nRedirect 301 /x /from-if\n</If>\n<ElseIf \"%{QUERY_STRING} =~ /^b/\">\n"
        "Redirect 301 /x /from-elseif\n</ElseIf>\n<Else>\nRedirect 301 /x /from-else\n</Else>\n",
        Format::apache);
  CHECK(s.tsv("/x?a") == "301 http://example.com/from-if?a");
  CHECK(s.tsv("/x?bb") == "301 http://example.com/from-elseif?bb");
  CHECK(s.tsv("/x?c") == "301 http://example.com/from-else?c");
}
