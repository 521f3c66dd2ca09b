// The Apache grammar (grammar/apache.hpp): analyze() is clean, accept/reject tables per rule, and
// the fixture folders tests/grammar/apache/pass (no error) and fail (the error named in line 1).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/apache.hpp"
#include "grammar/apache_errors.hpp"
#include "parse/parse.hpp"

namespace pegtl = tao::pegtl;
namespace g = rl::grammar::apache;

namespace {

/// True when `Rule` matches the whole of `text` (a must<> failure counts as a rejection).
template <typename Rule>
bool accepts(const std::string& text) {
  pegtl::memory_input in(text, "table");
  try {
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>, pegtl::nothing, g::control>(in);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

template <typename Rule>
void table(const std::vector<std::string>& good, const std::vector<std::string>& bad) {
  for (const std::string& t : good) {
    CAPTURE(t);
    CHECK(accepts<Rule>(t));
  }
  for (const std::string& t : bad) {
    CAPTURE(t);
    CHECK_FALSE(accepts<Rule>(t));
  }
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::filesystem::path> fixtures(const char* dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

rl::RuleSet parse_fixture(rl::SourceFiles& files, const std::filesystem::path& p) {
  rl::FileId id = files.add(p.string(), read(p));
  rl::ParseOptions opts;
  opts.format = p.extension() == ".conf" ? rl::Format::apache : rl::Format::htaccess;
  return rl::parse_file(files, id, opts);
}

}  // namespace

TEST_CASE("the Apache grammar has no rule that can loop without consuming input") {
  CHECK(pegtl::analyze<g::line>(1) == 0);
  CHECK(pegtl::analyze<rl::grammar::common::lines>(1) == 0);
  CHECK(pegtl::analyze<g::conf_args>(1) == 0);
  CHECK(pegtl::analyze<g::rw_args>(1) == 0);
  CHECK(pegtl::analyze<g::flag_list>(1) == 0);
  CHECK(pegtl::analyze<g::cond_pattern>(1) == 0);
  CHECK(pegtl::analyze<g::substitution>(1) == 0);
  CHECK(pegtl::analyze<g::alias_target>(1) == 0);
  CHECK(pegtl::analyze<g::redirect_status>(1) == 0);
}

TEST_CASE("a logical line is a comment, a section tag or a directive") {
  table<g::line>(
      {"", "   ", "# comment", "\t#Redirect /a /b", "<VirtualHost *:80>", "<IfModule !mod_rewrite.c>", "<Else>",
       "<If \"%{A} > 5\">", "  </VirtualHost>", "</If >", "Redirect /a /b", "RewriteEngine", "rewriterule ^ - [L]",
       "Header set X-Frame-Options DENY", "X-Y", "<Directory \"/var/www\" >  "},
      {"Redirect\"x\"", "1Redirect", "\"quoted\" directive", "<>", "</>", "<VirtualHost *:80", "</VirtualHost",
       "</IfModule> trailing", "<1abc>", "\xff\xfe", "RewriteRule^foo", "<Foo>bar"});
}

TEST_CASE("core arguments split like ap_getword_conf, quotes optional and unterminated quotes allowed") {
  table<g::conf_args>({"", "a b  c", "\"a b\" 'c d'", "\"a \\\" b\"", "\"unterminated", "x\"y\"z", "\t 301\t/a\t/b "}, {});
  table<g::conf_arg>({"\"a b\"", "'a'", "abc", "a\"b"}, {"", " a", "a b"});
}

TEST_CASE("mod_rewrite arguments split like parseargline, where a backslash keeps a blank") {
  table<g::rw_arg>({"^/a\\ b$", "\"^/a b$\"", "'x y'", "a\\", "[R=301,L]"}, {"", "a b", " a"});
  table<g::rw_args>({"^/a /b [L]", "\"^/a b\" '/c d' [R]", "^/a\\ b /c"}, {});
}

TEST_CASE("a flag list is comma-separated key=value items") {
  table<g::flag_list>({"", "L", "R=301,L", "E=VAR:a=b,CO=n:v:.example.com:1440:/", " NC , QSA ", ",,"}, {});
}

TEST_CASE("CondPattern operators need two characters; anything else is a regex") {
  table<g::cond_pattern>({"-f", "!-d", "-eq5", "=on", "!=\"\"", ">=b", "<a", "^www\\.", "=", "-", "!", "-fx"}, {});
  table<g::cond_file_test>({"-f", "-d", "-s", "-l", "-L", "-h", "-x", "-U", "-F"}, {"-e", "-ff", "f"});
  table<g::cond_int_test>({"-eq1", "-ne0", "-lt5", "-le5", "-gt5", "-ge5"}, {"-eq", "-xx1"});
}

TEST_CASE("substitutions know back-references, variables, map lookups and escapes") {
  table<g::sub_rule_ref>({"$0", "$9"}, {"$", "$a", "$10"});
  table<g::sub_cond_ref>({"%1"}, {"%{X}", "%"});
  table<g::sub_var>({"%{HTTP_HOST}", "%{HTTP:X-Forwarded-Proto}", "%{ENV:A}"}, {"%{}", "%{A", "%{A{B}"});
  table<g::sub_map>({"${m:$1}", "${lower:%{HTTP_HOST}|default}", "${m:}"}, {"${m}", "${:x}", "${m:x"});
  table<g::substitution>({"", "/a/$1?x=%1&h=%{HTTP_HOST}", "\\$1", "%{unterminated", "${m:x", "100%"}, {});
}

TEST_CASE("Redirect's status word is a keyword or a number") {
  table<g::redirect_status>({"permanent", "TEMP", "SeeOther", "gone", "301", "399"}, {"perm", "", "30x", "-301"});
}

TEST_CASE("every pass fixture parses without an error") {
  auto files_in = fixtures("tests/grammar/apache/pass");
  CHECK(files_in.size() >= 5);
  for (const auto& p : files_in) {
    CAPTURE(p.string());
    rl::SourceFiles files;
    rl::RuleSet rs = parse_fixture(files, p);
    for (const rl::Diagnostic& d : rs.parse_diags) {
      CAPTURE(d.message);
      CHECK(d.severity != rl::Severity::error);
    }
    CHECK(!rs.rules.empty());
  }
}

TEST_CASE("every fail fixture gives the error its first line announces") {
  // First line: `# expect: RL001 3:1` (code, line:column).
  auto files_in = fixtures("tests/grammar/apache/fail");
  CHECK(files_in.size() >= 5);
  for (const auto& p : files_in) {
    CAPTURE(p.string());
    std::string text = read(p);
    std::istringstream first(text.substr(0, text.find('\n')));
    std::string hash, tag, code, pos;
    first >> hash >> tag >> code >> pos;
    REQUIRE(tag == "expect:");
    rl::SourceFiles files;
    rl::RuleSet rs = parse_fixture(files, p);
    bool found = false;
    std::string got;
    for (const rl::Diagnostic& d : rs.parse_diags) {
      std::string at = std::to_string(d.range.line) + ":" + std::to_string(d.range.column);
      got += d.code + " " + at + " " + d.message + "\n";
      if (d.code == code && at == pos) found = true;
    }
    CAPTURE(got);
    CHECK(found);
  }
}
