// redirlint's YAML rule files (docs/yaml-format.md): the model each entry becomes, the defaults, and
// every error at the line:column of the offending node.
#include <doctest/doctest.h>

#include "parse/parse.hpp"

using namespace rl;

namespace {

struct Parsed {
  SourceFiles files;
  RuleSet rs;
};

Parsed parse(const std::string& text) {
  Parsed p;
  FileId id = p.files.add("rules.yaml", text);
  p.rs = parse_yaml(p.files, id, ParseOptions{});
  return p;
}

std::string diags(const RuleSet& rs) {
  std::string out;
  for (const Diagnostic& d : rs.parse_diags)
    out += std::to_string(d.range.line) + ":" + std::to_string(d.range.column) + " " + d.code + ": " + d.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("a minimal rule file gives an exact 301 whose status is implicit") {
  Parsed p = parse("version: 1\nredirects:\n  - from: /old\n    to: /new\n");
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 1);
  const Rule& r = p.rs.rules[0];
  CHECK(p.rs.format == Format::yaml);
  CHECK(p.rs.context == Context::file_rules);
  CHECK(r.origin.format == Format::yaml);
  CHECK(r.origin.directive == "yaml");
  CHECK(r.match.kind == MatchKind::exact);
  CHECK(r.match.text == "/old");
  CHECK(r.status == 301);
  CHECK(r.status_implicit);
  CHECK(r.action == Action::redirect);
  REQUIRE(r.target);
  CHECK(r.target->url == "/new");
  CHECK(r.target->query == QueryMode::keep);
  CHECK(r.flow == Flow::stop);
  CHECK(r.where.line == 3);
  CHECK(r.where.column == 5);
  CHECK(r.where.end_line == 4);
  CHECK(r.where.end_column == 13);
  CHECK(r.original == "from: /old\n    to: /new");
}

TEST_CASE("a source ending in /* is a segment prefix without the star; an explicit match wins") {
  Parsed p = parse("version: 1\nredirects:\n"
                   "  - {from: /blog/*, to: /articles}\n"
                   "  - {from: /docs/, to: /d/, match: prefix}\n"
                   "  - {from: /lit/*, to: /x, match: exact}\n");
  REQUIRE(p.rs.parse_diags.empty());
  REQUIRE(p.rs.rules.size() == 3);
  CHECK(p.rs.rules[0].match.kind == MatchKind::prefix);
  CHECK(p.rs.rules[0].match.text == "/blog");
  CHECK(p.rs.rules[0].match.original == "/blog/*");
  CHECK(p.rs.rules[1].match.kind == MatchKind::prefix);
  CHECK(p.rs.rules[1].match.text == "/docs/");
  CHECK(p.rs.rules[2].match.kind == MatchKind::exact);
  CHECK(p.rs.rules[2].match.text == "/lit/*");
}

TEST_CASE("every key of an entry lands in the model") {
  Parsed p = parse("version: 1\n"
                   "redirects:\n"
                   "  - from: '^/p/(\\d+)$'\n"
                   "    match: regex\n"
                   "    ignore_case: true\n"
                   "    to: https://new.example/post/$1?ref=old\n"
                   "    status: 302\n"
                   "    query: append\n"
                   "    host: [Example.COM, www.example.com]\n"
                   "    until: 2026-01-31\n"
                   "    note: spring campaign\n"
                   "    force: yes\n");
  REQUIRE(p.rs.parse_diags.empty());
  const Rule& r = p.rs.rules.at(0);
  CHECK(r.match.kind == MatchKind::regex);
  CHECK(r.match.text == "^/p/(\\d+)$");
  CHECK(r.match.ignore_case);
  CHECK(r.target->url == "https://new.example/post/$1?ref=old");
  CHECK(r.target->absolute);
  CHECK(r.target->query == QueryMode::append);
  CHECK(r.status == 302);
  CHECK_FALSE(r.status_implicit);
  CHECK(r.scope.hosts == std::vector<std::string>{"example.com", "www.example.com"});
  CHECK(r.notes->until == "2026-01-31");
  CHECK(r.notes->note == "spring campaign");
  CHECK(r.force);
}

TEST_CASE("the query default follows the target: keep without `?`, replace with one") {
  Parsed p = parse("version: 1\nredirects:\n"
                   "  - {from: /a, to: /b}\n"
                   "  - {from: /c, to: '/d?x=1'}\n"
                   "  - {from: /e, to: /f, query: drop}\n"
                   "  - {from: /g, to: /h, query: replace}\n");
  REQUIRE(p.rs.parse_diags.empty());
  CHECK(p.rs.rules[0].target->query == QueryMode::keep);
  CHECK(p.rs.rules[1].target->query == QueryMode::replace);
  CHECK(p.rs.rules[2].target->query == QueryMode::drop);
  CHECK(p.rs.rules[3].target->query == QueryMode::drop);  // replacing with nothing is dropping
}

TEST_CASE("defaults apply to every entry that does not say otherwise, and a written default is not implicit") {
  Parsed p = parse("version: 1\n"
                   "defaults:\n  status: 308\n  host: example.com\n  query: drop\n"
                   "redirects:\n"
                   "  - {from: /a, to: /b}\n"
                   "  - {from: /c, to: /d, status: 302, host: [other.example]}\n");
  REQUIRE(p.rs.parse_diags.empty());
  CHECK(p.rs.rules[0].status == 308);
  CHECK_FALSE(p.rs.rules[0].status_implicit);
  CHECK(p.rs.rules[0].scope.hosts == std::vector<std::string>{"example.com"});
  CHECK(p.rs.rules[0].target->query == QueryMode::drop);
  CHECK(p.rs.rules[1].status == 302);
  CHECK(p.rs.rules[1].scope.hosts == std::vector<std::string>{"other.example"});
}

TEST_CASE("a 4xx entry is an answer without a target; paths are percent-decoded; URLs scope the host") {
  Parsed p = parse("version: 1\nredirects:\n"
                   "  - {from: /gone, status: 410}\n"
                   "  - {from: '/caf%C3%A9', to: '/a%20b'}\n"
                   "  - {from: 'https://Old.Example/x', to: 'https://new.example/x'}\n");
  REQUIRE(p.rs.parse_diags.empty());
  CHECK(p.rs.rules[0].action == Action::answer);
  CHECK(p.rs.rules[0].status == 410);
  CHECK_FALSE(p.rs.rules[0].target);
  CHECK(p.rs.rules[1].match.text == "/caf\xC3\xA9");
  CHECK(p.rs.rules[1].target->url == "/a%%20b");
  CHECK(p.rs.rules[2].match.text == "/x");
  CHECK(p.rs.rules[2].scope.hosts == std::vector<std::string>{"old.example"});
  CHECK(p.rs.rules[2].scope.schemes == std::vector<std::string>{"https"});
}

TEST_CASE("every error has the line and column of the offending node, and broken entries are not kept") {
  Parsed p = parse("version: 1\n"
                   "redirect_defaults: {}\n"
                   "redirects:\n"
                   "  - form: /typo\n"
                   "    to: /x\n"
                   "  - from: /bad\n"
                   "    to: /y\n"
                   "    status: 299\n"
                   "  - from: /date\n"
                   "    to: /z\n"
                   "    until: 2026-02-30\n"
                   "  - from: '^/(a'\n"
                   "    match: regex\n"
                   "    to: /q\n"
                   "  - {from: '^/(a)$', match: regex, to: /q/$2}\n"
                   "  - {from: /f, to: /g, force: maybe, match: exakt, query: keeep}\n"
                   "  - {from: [/a], to: /b}\n"
                   "  - {from: /nodest}\n"
                   "  - {from: /g, to: /h, status: permanent}\n"
                   "  - {from: /i, to: /j, status: 404}\n"
                   "  - /just /a-string\n"
                   "  - {from: relative, to: /k}\n"
                   "  - {from: /ok, to: /fine}\n");
  CHECK(diags(p.rs) ==
        "2:1 RL002: unknown key \"redirect_defaults\" at the top level; known: version, defaults, redirects\n"
        "4:5 RL002: unknown key \"form\" in a redirect (did you mean \"from\"?); known: from, to, status, match, host, query, until, note, force, ignore_case\n"
        "8:13 RL004: status 299 is not allowed in a rule file: use 301, 302, 303, 307, 308, or a 4xx/5xx answer\n"
        "11:12 RL001: bad date \"2026-02-30\" in `until`: expected a real date written YYYY-MM-DD\n"
        "12:16 RL003: invalid regex \"^/(a\" in `from`: missing closing parenthesis\n"
        "15:40 RL005: `to` uses $2 but `from` has 1 group\n"
        "16:45 RL001: `match` must be exact, prefix or regex, found \"exakt\" (did you mean \"exact\"?)\n"
        "16:59 RL001: `query` must be keep, drop, append or replace, found \"keeep\" (did you mean \"keep\"?)\n"
        "16:31 RL001: `force` must be true or false, found \"maybe\"\n"
        "17:12 RL001: `from` must be a single value, found a list\n"
        "18:12 RL001: the redirect from \"/nodest\" has no `to`\n"
        "19:32 RL004: `status` must be a number such as 301, found \"permanent\"\n"
        "20:20 RL001: a 404 answer has no target: remove `to`\n"
        "21:5 RL001: each redirect is a mapping with `from` and `to`, found a scalar\n"
        "22:12 RL001: `from` must be a path starting with '/' (or an http(s):// URL), found \"relative\"\n");
  REQUIRE(p.rs.rules.size() == 1);
  CHECK(p.rs.rules[0].match.text == "/ok");
}

TEST_CASE("YAML that is not a redirlint rule file gives one clear diagnostic, not a cascade") {
  Parsed a = parse("\"/team/\":\n  redirect_url: \"https://x.example/\"\n\"/b/\":\n  redirect_url: /c\n");
  CHECK(diags(a.rs) ==
        "1:1 RL001: not a redirlint rule file (expected `version: 1` and `redirects:`; see docs/yaml-format.md): "
        "top-level keys \"/team/\", \"/b/\"; add `version: 1` if this is meant to be one\n");
  CHECK(a.rs.rules.empty());
  Parsed b = parse("# comment\n- /1.0/ /\n- /2.0/ /\n");
  CHECK(diags(b.rs) == "2:1 RL001: not a redirlint rule file (expected `version: 1` and `redirects:`; see docs/yaml-format.md): the file holds a list\n");
  Parsed c = parse("redirects:\n  - from: /a\n    to: /b\n  - frm: /c\n");
  CHECK(c.rs.parse_diags.size() == 1);
  CHECK(c.rs.rules.empty());
  Parsed compose = parse("version: \"3.8\"\nservices:\n  web:\n    image: nginx\n");
  CHECK(diags(compose.rs) ==
        "1:1 RL001: not a redirlint rule file (expected `version: 1` and `redirects:`; see docs/yaml-format.md): "
        "top-level keys \"version\", \"services\"; add `version: 1` if this is meant to be one\n");
  Parsed d = parse("");
  CHECK(diags(d.rs) == "1:1 RL001: not a redirlint rule file (expected `version: 1` and `redirects:`; see docs/yaml-format.md): the file is empty\n");
}

TEST_CASE("malformed YAML is one RL001 with libyaml's message and position") {
  Parsed p = parse("version: 1\nredirects:\n  - from: /a\n    to: [unclosed\n  - from: /b\n");
  REQUIRE(p.rs.parse_diags.size() == 1);
  CHECK(p.rs.parse_diags[0].code == "RL001");
  CHECK(p.rs.parse_diags[0].message.rfind("YAML syntax error: ", 0) == 0);
  CHECK(p.rs.parse_diags[0].range.line == 5);
  Parsed q = parse("version: 1\nredirects:\n  - from: /a\n    to: /b\n  - from: \"/c\n");
  CHECK(q.rs.rules.size() == 1);  // the entries before the error are kept
  CHECK(q.rs.parse_diags.size() == 1);
}

TEST_CASE("versions, defaults order, aliases and second documents are reported") {
  Parsed p = parse("version: 2\nredirects:\n  - &a {from: /a, to: /b}\n  - *a\n"
                   "defaults: {status: 302}\n---\nversion: 1\n");
  CHECK(diags(p.rs) ==
        "4:5 RL001: each redirect is a mapping with `from` and `to`, found an alias\n"
        "5:1 RL001: `defaults:` must come before `redirects:` (the file is read in one pass)\n"
        "6:1 RL001: a rule file holds one YAML document; this second one is not read\n"
        "1:10 RL001: unsupported rule file version \"2\": this redirlint reads version 1\n");
  Parsed q = parse("version: 1\n");
  CHECK(diags(q.rs) == "1:1 RL001: the rule file has no `redirects:` list\n");
}

TEST_CASE("hostile YAML: deep nesting, binary bytes and a billion-laughs attempt end in diagnostics") {
  Parsed deep = parse("version: 1\nredirects: " + std::string(100000, '[') + "\n");
  REQUIRE(deep.rs.parse_diags.size() == 1);
  CHECK(deep.rs.parse_diags[0].message == "YAML nesting deeper than 256 levels; the file is not read further (limit max-nesting is 256; raise it "
        "with --max-nesting or `max-nesting:` in .redirlint.yaml)");
  std::string bin = "version: 1\nredirects:\n  - from: /a\n    to: /b\n";
  for (int i = 1; i < 256; ++i) bin += static_cast<char>(i);
  Parsed b = parse(bin);
  CHECK_FALSE(b.rs.parse_diags.empty());
  Parsed laughs = parse("version: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nredirects: [*c]\n");
  CHECK_FALSE(laughs.rs.parse_diags.empty());
  CHECK(laughs.rs.rules.empty());
}

TEST_CASE("a line scan tells rule files from other YAML without parsing") {
  CHECK(looks_like_rule_file("version: 1\nredirects:\n  - {from: /a, to: /b}\n"));
  CHECK(looks_like_rule_file("# rules\r\nversion: \"1\"  # the format\r\n"));
  CHECK(looks_like_rule_file("redirects: []\nversion: 2\n"));
  CHECK_FALSE(looks_like_rule_file("version: \"3.8\"\nservices:\n  web: {}\n"));
  CHECK_FALSE(looks_like_rule_file("redirects:\n  - from: /a\n    to: /b\n"));
  CHECK_FALSE(looks_like_rule_file("rules: x.htaccess\ncases: []\n  version: 1\n"));
  CHECK_FALSE(looks_like_rule_file(""));
}
