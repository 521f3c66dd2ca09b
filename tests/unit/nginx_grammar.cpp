// grammar/nginx.hpp: analyze(), the token table, and the accept/reject table of tests/grammar/nginx_cases.txt
// (each case there was checked with the real `nginx -t`).
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <tao/pegtl/contrib/analyze.hpp>
#include <vector>

#include "grammar/nginx.hpp"
#include "parse/nginx_lex.hpp"
#include "parse/parse.hpp"

using namespace rl;

namespace {

std::string decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[i + 1];
      if (n == 'n' || n == 't' || n == 'r' || n == '\\') {
        out += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : '\\';
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

/// "w:value" for words (q: when quoted), ";" "{" "}" for punctuation.
std::string tokens(std::string_view text) {
  std::string out;
  for (const nginx::Token& t : nginx::lex(text).tokens) {
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case nginx::TokKind::word: out += (t.quoted ? "q:" : "w:") + t.value; break;
      case nginx::TokKind::semicolon: out += ';'; break;
      case nginx::TokKind::open: out += '{'; break;
      case nginx::TokKind::close: out += '}'; break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the nginx grammar has no rules that can loop without consuming input") {
  CHECK(tao::pegtl::analyze<grammar::nginx::config>(1) == 0);
}

TEST_CASE("the token table follows ngx_conf_read_token") {
  struct Case {
    const char* text;
    const char* tokens;
  };
  const Case cases[] = {
      {"return 301 /x;", "w:return w:301 w:/x ;"},
      {"a#b c; # comment ;{}\nd;", "w:a#b w:c ; w:d ;"},
      {"x }y;", "w:x } w:y ;"},
      {"x y};", "w:x w:y} ;"},
      {"a ${b}c;", "w:a w:${b}c ;"},
      {"a \\d{4};", "w:a w:\\d { w:4} ;"},
      {"a \"q;{}\" 'r s';", "w:a q:q;{} q:r s ;"},
      {"a \"\\\"\\\\\\n\\d\";", "w:a q:\"\\\n\\d ;"},
      {"a b\\ c\\;d;", "w:a w:b\\ c\\;d ;"},
      {"if ($a = \"x\") {}", "w:if w:($a w:= q:x w:) { }"},
      {"if (\"x\") {}", "w:if w:(\"x\") { }"},
      {"a\"b\"c;", "w:a\"b\"c ;"},
      {"a\t\r\nb;", "w:a w:b ;"},
      {"a $;", "w:a w:$ ;"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(tokens(c.text) == c.tokens);
  }
}

TEST_CASE("the lexer never fails: lexical errors come back with offsets") {
  auto lx = nginx::lex("a \"b");
  REQUIRE(lx.errors.size() == 1);
  CHECK(lx.errors[0].begin == 2);
  auto glued = nginx::lex("a 'b'c;");
  REQUIRE(glued.errors.size() == 1);
  CHECK(glued.errors[0].begin == 5);
  CHECK(nginx::lex(std::string_view("\0\0;", 3)).errors.size() == 1);
}

TEST_CASE("value offsets map characters after escapes back to file columns") {
  std::string text = "x \"a\\\"b(\";";
  auto lx = nginx::lex(text);
  REQUIRE(lx.tokens.size() == 3);
  const nginx::Token& t = lx.tokens[1];
  CHECK(t.value == "a\"b(");
  CHECK(nginx::value_offset(text, t, 0) == 3);
  CHECK(nginx::value_offset(text, t, 3) == 7);
}

TEST_CASE("every case of the accept/reject table gives RL001 exactly when nginx -t refuses it") {
  std::ifstream in("tests/grammar/nginx_cases.txt");
  REQUIRE(in);
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    std::string kind = line.substr(0, tab);
    std::string rest = line.substr(tab + 1);
    std::string text = decode(rest.substr(0, rest.find('\t')));
    SourceFiles files;
    FileId id = files.add("case.conf", text);
    RuleSet rs = parse_nginx(files, id, ParseOptions{});
    bool rejected = false;
    for (const Diagnostic& d : rs.parse_diags) rejected |= d.code == "RL001" || d.code == "RL003" || d.code == "RL004";
    CAPTURE(line);
    CHECK(rejected == (kind == "reject"));
    ++cases;
  }
  CHECK(cases >= 50);
}
