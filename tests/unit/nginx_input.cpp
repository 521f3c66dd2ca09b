// The nginx reader on hostile input, syntax errors with their positions, include files and maps.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "nginx_support.hpp"

using namespace rl;
using namespace nginx_test;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("redirlint-nginx-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

double seconds_to_parse(const std::string& text, Parsed& out) {
  auto t0 = std::chrono::steady_clock::now();
  out = parse_text(text);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("syntax errors name the place nginx would name, and every recoverable error is reported") {
  auto p = parse_text(
      "server {\n"
      "  location /a { return 301 /b }\n"
      "  location /c { return 301 /d; }\n"
      "  ;\n"
      "  rewrite ^/x$ /y\n"
      "}\n"
      "}\n");
  CHECK(diags(p) == std::vector<std::string>{
                        "RL001 in.conf:2:30 unexpected \"}\": directive \"return\" is not terminated by \";\"",
                        "RL001 in.conf:4:3 unexpected \";\"",
                        "RL001 in.conf:5:18 unexpected \"}\": directive \"rewrite\" is not terminated by \";\"",
                        "RL001 in.conf:7:1 unexpected \"}\": no block is open",
                    });
  // Recovery keeps the rules that are whole.
  CHECK(p.rs.rules.size() == 3);
}

TEST_CASE("an unclosed block and an unfinished directive are reported at their start") {
  auto p = parse_text("server {\n  location / {\n    return 301 /x");
  CHECK(diags(p) == std::vector<std::string>{
                        "RL001 in.conf:1:1 unexpected end of file, expecting \"}\": block \"server\" is not closed",
                        "RL001 in.conf:2:3 unexpected end of file, expecting \"}\": block \"location\" is not closed",
                        "RL001 in.conf:3:5 unexpected end of file, expecting \";\" or \"}\" after directive \"return\"",
                    });
}

TEST_CASE("quoting errors: unterminated strings and text glued to a closing quote") {
  auto p = parse_text("return 301 \"/a\"b;\nrewrite '^/x /y;\n");
  CHECK(diags(p) == std::vector<std::string>{
                        "RL001 in.conf:1:16 unexpected \"b\" after a quoted string (a space, \";\" or \"{\" must follow)",
                        "RL001 in.conf:2:9 unexpected end of file: the string opened here with \"'\" is never closed",
                    });
}

TEST_CASE("a quoted string may be followed by a parenthesis in an if condition") {
  auto p = parse_text("if ($http_a = \"b\") { return 403; }");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].conds.at(0).pattern.text == "b");
}

TEST_CASE("an unquoted brace in a regex is one error on its line, the rest of the file is read") {
  auto p = parse_text(
      "rewrite ^/y/(\\d{4})$ /year/$1 permanent;\n"
      "location ~ ^/blog/(\\d{4})/(.*)$ {\n  return 301 /b/$1/$2;\n}\n"
      "return 301 /after;\n");
  CHECK(diags(p) ==
        std::vector<std::string>{
            "RL001 in.conf:1:16 unquoted \"{\" in an argument of \"rewrite\": nginx starts a block here; put the "
            "argument in quotes",
            "RL001 in.conf:2:22 unquoted \"{\" in an argument of \"location\": nginx starts a block here; put the "
            "argument in quotes",
        });
  CHECK(p.rs.rules.size() == 3);
}

TEST_CASE("a block directive without a brace and a simple directive with one are errors") {
  auto p = parse_text("server;\nreturn 301 /x {\n}\nlisten {{port}};\nreturn 410;\n");
  CHECK(count(p, "RL001") == 3);
  CHECK(p.rs.rules.size() == 1);
}

TEST_CASE("directives in the wrong context are refused like nginx does") {
  auto p = parse_text("http {\n location / { }\n rewrite ^ /x;\n}\nserver { server { } }\n");
  CHECK(count(p, "RL001") == 3);
}

TEST_CASE("if conditions: every operator, file tests and their negations") {
  auto p = parse_text(
      "if ($host = old.example) { return 301 https://new.example$request_uri; }\n"
      "if ($http_host != \"a.b\") { return 403; }\n"
      "if ($request_uri ~* ^/X) { return 403; }\n"
      "if ($uri !~ \\.php$) { return 403; }\n"
      "if ($arg_id !~* ^\\d+$) { return 403; }\n"
      "if (-d $request_filename) { return 403; }\n"
      "if (!-e $request_filename) { return 403; }\n"
      "if (-x /bin/sh) { return 403; }\n"
      "if ($https) { return 403; }\n"
      "if ( $request_method = POST ) { return 405; }\n");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.rules.size() == 10);
  auto cond = [&](std::size_t i) { return p.rs.rules[i].conds.at(0); };
  CHECK(cond(0).test == "${host}");
  CHECK(cond(0).op == CondOp::equal);
  CHECK(cond(1).test == "${http_host}");
  CHECK(cond(1).pattern.negated);
  CHECK(cond(2).test == "${request_uri}");
  CHECK(cond(2).pattern.ignore_case);
  CHECK(cond(3).test == "${uri}");
  CHECK((cond(3).op == CondOp::regex && cond(3).pattern.negated));
  CHECK(cond(4).test == "${arg:id}");
  CHECK((cond(4).pattern.negated && cond(4).pattern.ignore_case));
  CHECK(cond(5).op == CondOp::dir_exists);
  CHECK((cond(6).op == CondOp::exists && cond(6).pattern.negated));
  CHECK(cond(7).op == CondOp::executable);
  CHECK(cond(8).op == CondOp::truthy);
  CHECK(cond(8).test == "${https}");
  CHECK(cond(9).test == "${method}");
  CHECK(cond(9).pattern.text == "POST");
  for (const Rule& r : p.rs.rules)
    CHECK(p.rs.blocks[static_cast<std::size_t>(r.scope.block)].kind == BlockKind::condition);
}

TEST_CASE("invalid if conditions are syntax errors") {
  for (const char* text : {"if $a { }", "if ($a = ) { }", "if ($a == b) { }", "if (-q /x) { }", "if (a) { }"}) {
    CAPTURE(text);
    auto p = parse_text(text);
    CHECK(count(p, "RL001") == 1);
  }
}

TEST_CASE("a regex if condition's captures are the condition's (%N) in a return inside it") {
  auto p = parse_text("if ($args ~ \"(^|&)id=(\\d+)\") { return 301 /id/$2; }\nif ($uri ~ ^/(a)$) { return 301 /$3; }");
  REQUIRE(p.rs.rules.size() == 2);
  CHECK(p.rs.rules[0].target->url == "/id/%2");
  CHECK(count(p, "RL005") == 1);
}

TEST_CASE("regex errors carry PCRE2's message and the column in the file") {
  auto p = parse_text(
      "location ~ ^/(a { }\nif ($uri ~ \"x[\") { }\nserver { server_name ~^(www\\.)?(.+$; }\n"
      "map $uri $m { ~^/(x /y; }\nrewrite '^/a)' /b;\n");
  CHECK(diags(p) == std::vector<std::string>{
                        "RL003 in.conf:1:16 PCRE2 rejects \"^/(a\": missing closing parenthesis at offset 4",
                        "RL003 in.conf:2:15 PCRE2 rejects \"x[\": missing terminating ] for character class at offset 2",
                        "RL003 in.conf:3:36 PCRE2 rejects \"^(www\\.)?(.+$\": missing closing parenthesis at offset 13",
                        "RL003 in.conf:4:20 PCRE2 rejects \"^/(x\": missing closing parenthesis at offset 4",
                        "RL003 in.conf:5:13 PCRE2 rejects \"^/a)\": unmatched closing parenthesis at offset 3",
                    });
}

TEST_CASE("back-references beyond the group count are RL005 at the reference") {
  auto p = parse_text("rewrite ^/a/(.*)$ /b/$1/$2 permanent;\nlocation ~ ^/c/(x)$ { return 301 /d/$1$5; }");
  CHECK(diags(p) == std::vector<std::string>{
                        "RL005 in.conf:1:25 \"$2\" refers to group 2 but the regex has 1 group",
                        "RL005 in.conf:2:39 \"$5\" refers to group 5 but the regex has 1 group",
                    });
}

TEST_CASE("a map used as a redirect table becomes one literal rule per entry") {
  auto p = parse_text(
      "map $uri $new {\n"
      "  default \"\";\n"
      "  ~^/re/(.*) /x/$1;\n"
      "  /a /b;\n"
      "  \"/C\" https://c.example/;\n"
      "  /zero 0;\n"
      "}\n"
      "server { server_name s.example;\n"
      "  location / { if ($new) { return 301 $new; } }\n"
      "}\n");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.rules.size() == 3);
  // exact keys first (nginx looks strings up before it tries regexes), then regexes in order.
  CHECK(p.rs.rules[0].match.kind == MatchKind::exact);
  CHECK(p.rs.rules[0].match.text == "/a");
  CHECK(p.rs.rules[0].match.ignore_case);
  CHECK(p.rs.rules[0].target->url == "/b");
  CHECK(p.rs.rules[0].conds.empty());
  CHECK(p.rs.rules[1].match.text == "/C");
  CHECK(p.rs.rules[1].target->absolute);
  CHECK(p.rs.rules[2].match.kind == MatchKind::regex);
  CHECK(p.rs.rules[2].match.text == "^/re/(.*)");
  CHECK(p.rs.rules[2].target->url == "/x/$1");
  for (const Rule& r : p.rs.rules) {
    CHECK(r.scope.hosts == std::vector<std::string>{"s.example"});
    CHECK(p.rs.blocks[static_cast<std::size_t>(r.scope.block)].kind == BlockKind::condition);
  }
}

TEST_CASE("a map on another variable becomes a condition, and a non-empty default a last rule") {
  auto p = parse_text(
      "if ($target) { rewrite ^ $target redirect; }\n"
      "map $host $target { old.example https://new.example/; ~^(www\\.)?x\\.example$ https://x.example/%1; "
      "default https://fallback.example/; }\n");
  CHECK(diags(p).empty());
  REQUIRE(p.rs.rules.size() == 3);
  CHECK(p.rs.rules[0].conds.at(0).test == "${host}");
  CHECK(p.rs.rules[0].conds.at(0).op == CondOp::equal);
  CHECK(p.rs.rules[1].conds.at(0).op == CondOp::regex);
  CHECK(p.rs.rules[1].target->url == "https://x.example/%%1");
  CHECK(p.rs.rules[2].conds.empty());
  CHECK(p.rs.rules[2].target->url == "https://fallback.example/");
}

TEST_CASE("an unknown map variable stays a truthy condition on ${var:NAME}") {
  auto p = parse_text("if ($moin_rewrite) { rewrite ^ $moin_rewrite last; }");
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].conds.at(0).op == CondOp::truthy);
  CHECK(p.rs.rules[0].target->url == "${var:moin_rewrite}");
}

TEST_CASE("includes are read relative to the including file, globs in sorted order") {
  TempDir d;
  d.write("conf.d/b.conf", "location /b { return 301 /bb; }\n");
  d.write("conf.d/a.conf", "location /a { return 301 /aa; }\n");
  d.write("snippets/x.conf", "return 410;\n");
  fs::path main = d.write("site.conf", "server {\n  include conf.d/*.conf;\n  location /x { include snippets/x.conf; }\n}\n");
  auto p = parse_path(main.string());
  CHECK(diags(p).empty());
  REQUIRE(p.rs.rules.size() == 3);
  CHECK(p.rs.rules[0].target->url == "/aa");
  CHECK(p.rs.rules[1].target->url == "/bb");
  CHECK(p.rs.rules[2].status == 410);
  CHECK(p.files.path(p.rs.rules[0].where.file) == (d.path / "conf.d/a.conf").string());
  CHECK(p.rs.files.size() == 4);
  CHECK(p.rs.rules[2].scope.server == 0);
}

TEST_CASE("a missing include is RL006 at the include line, a glob matching nothing too") {
  TempDir d;
  fs::path main = d.write("site.conf", "server {\n  include missing.conf;\n  include none/*.conf;\n  return 301 /x;\n}\n");
  auto p = parse_path(main.string());
  REQUIRE(count(p, "RL006") == 2);
  CHECK(count(p, "RL001") == 0);
  CHECK(p.rs.parse_diags[0].range.line == 2);
  CHECK(p.rs.rules.size() == 1);
  CHECK(p.rs.unmodelled.at(0).relevant);
}

TEST_CASE("an include cycle is an error at the include line, not a hang") {
  TempDir d;
  d.write("a.conf", "include b.conf;\nreturn 301 /a;\n");
  d.write("b.conf", "include a.conf;\n");
  fs::path main = d.write("main.conf", "include a.conf;\n");
  auto p = parse_path(main.string());
  CHECK(count(p, "RL001") == 1);
  CHECK(p.rs.rules.size() == 1);
  auto self = parse_path(d.write("self.conf", "include self.conf;\n").string());
  CHECK(count(self, "RL001") == 1);
}

TEST_CASE("an included file with an unclosed block is reported in that file and does not swallow the includer") {
  TempDir d;
  d.write("bad.conf", "location /x {\n");
  fs::path main = d.write("main.conf", "server {\n  include bad.conf;\n  return 301 /y;\n}\n");
  auto p = parse_path(main.string());
  REQUIRE(count(p, "RL001") == 1);
  CHECK(p.files.path(p.rs.parse_diags[0].range.file) == (d.path / "bad.conf").string());
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].scope.block == 0);
}

TEST_CASE("hostile input: binary junk, NUL bytes, invalid UTF-8 never crash and give positioned RL001") {
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::string junk(4096, '\0');
    for (char& c : junk) c = static_cast<char>(rng() & 0xff);
    auto p = parse_text(junk);
    CHECK(count(p, "RL001") >= 1);
    for (const Diagnostic& d : p.rs.parse_diags) CHECK(d.range.line >= 1);
  }
  auto nul = parse_text(std::string("return 301 /a\0b;", 16));
  CHECK(count(nul, "RL001") == 1);
  auto utf = parse_text("location /caf\xc3\xa9\xff\xfe { return 301 /\xc0\xaf; }");
  CHECK(utf.rs.rules.size() == 1);
}

TEST_CASE("hostile input: 10,000 nested blocks are refused past the depth limit without recursion") {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "location / {\n";
  for (int i = 0; i < 10000; ++i) deep += "}\n";
  Parsed p;
  double s = seconds_to_parse(deep, p);
  CHECK(s < 5.0);
  CHECK(count(p, "RL001") == 1);
  CHECK(p.rs.blocks.size() <= 257);
  std::string opened;
  for (int i = 0; i < 10000; ++i) opened += "if ($a) {";
  auto q = parse_text(opened);
  CHECK(count(q, "RL001") >= 1);
  std::string closed(10000, '}');
  auto r = parse_text(closed);
  CHECK(count(r, "RL001") == 1);  // one per line
}

TEST_CASE("hostile input: a 1 MB line and a huge unterminated string are read in linear time") {
  std::string line = "return 301 /" + std::string(1 << 20, 'a') + ";";
  Parsed p;
  CHECK(seconds_to_parse(line, p) < 5.0);
  CHECK(p.rs.rules.size() == 1);
  std::string open = "rewrite \"" + std::string(1 << 20, 'b');
  CHECK(seconds_to_parse(open, p) < 5.0);
  CHECK(count(p, "RL001") == 1);
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "a ";
  CHECK(seconds_to_parse(many, p) < 5.0);
  CHECK(count(p, "RL001") == 1);
}

TEST_CASE("variables the model cannot follow are RL006 on the rule; request variables and captures are not") {
  auto p = parse_text(
      "server { server_name ~^(?<user>[a-z]+)\\.example\\.net$;\n"
      "  set $dest /new;\n"
      "  location = /a { return 301 $dest; }\n"
      "  location = /b { return 301 https://$user.example.org$request_uri?$args&$arg_x&$cookie_y; }\n"
      "  if ($elsewhere) { return 410; }\n"
      "  location = /c { return 301 $new; }\n"
      "}\nmap $uri $new { /c /d; }\n");
  CHECK(diags(p) ==
        std::vector<std::string>{
            "RL006 in.conf:5:21 variable \"$elsewhere\" is defined outside the files read (a map, set or module); the "
            "rule is analysed with an unknown value",
            "RL006 in.conf:6:19 map variable \"$new\" is only expanded inside \"if ($new) { return/rewrite }\"; the "
            "rule is analysed with an unknown value",
        });
}

TEST_CASE("hostile input: an error on every one of 200,000 lines stays fast and is capped") {
  std::string lines;
  for (int i = 0; i < 200000; ++i) lines += ";\n";
  Parsed p;
  CHECK(seconds_to_parse(lines, p) < 5.0);
  CHECK(count(p, "RL001") == 201);
  CHECK(p.rs.parse_diags.back().message == "199800 more syntax errors in this file are not shown");
}

TEST_CASE("map is only allowed at http level") {
  auto p = parse_text("server {\n  map $uri $x { /a /b; }\n}\n");
  CHECK(diags(p) == std::vector<std::string>{"RL001 in.conf:2:3 \"map\" directive is not allowed inside \"server\""});
}

TEST_CASE("error_page is kept on its block for the simulator: no RL006, nothing unmodelled") {
  auto p = parse_text("error_page 404 =301 /notfound.html;\nerror_page 500 https://status.example/;\nerror_page 404 /404.html;\n");
  CHECK(count(p, "RL006") == 0);
  CHECK(p.rs.unmodelled.empty());
  REQUIRE(p.rs.error_pages.size() == 3);
  CHECK(p.rs.error_pages[0] == "404 =301 /notfound.html");
}
