#include <doctest/doctest.h>

#include "checks/run.hpp"
#include "parse/parse.hpp"

using namespace rl;

namespace {

std::vector<Diagnostic> check_text(const std::string& name, const std::string& text, Selection sel = {}) {
  SourceFiles files;
  FileId id = files.add(name, text);
  RuleSet rs = parse_file(files, id, ParseOptions{});
  CheckOptions opts;
  opts.today = "2025-01-01";
  return run_checks(rs, files, opts, sel);
}

std::size_t count(const std::vector<Diagnostic>& ds, std::string_view code) {
  std::size_t n = 0;
  for (const Diagnostic& d : ds) n += d.code == code;
  return n;
}

}  // namespace

TEST_CASE("an unsuppressed implicit 302 is reported") {
  CHECK(count(check_text("a.htaccess", "Redirect /a /b\nRedirect /c /d\n"), "RL101") == 2);
}

TEST_CASE("a disable comment on the rule's own line suppresses that rule only") {
  // httpd has no end-of-line comments; _redirects has.
  auto ds = check_text("_redirects", "/a /b 302\n/c /d 302 # redirlint disable=RL104\n");
  REQUIRE(count(ds, "RL104") == 1);
  for (const Diagnostic& d : ds)
    if (d.code == "RL104") CHECK(d.range.line == 1);
}

TEST_CASE("a disable comment on the line before suppresses the next rule only") {
  auto ds = check_text("a.htaccess", "# redirlint disable=implicit-temporary\nRedirect /a /b\nRedirect /c /d\n");
  REQUIRE(count(ds, "RL101") == 1);
  for (const Diagnostic& d : ds)
    if (d.code == "RL101") CHECK(d.range.line == 3);
}

TEST_CASE("disable-file suppresses a code everywhere in the file") {
  auto ds = check_text("a.htaccess", "Redirect /a /b\n# redirlint disable-file=RL101\nRedirect /c /d\n");
  CHECK(count(ds, "RL101") == 0);
  CHECK(count(ds, "RL104") == 2);
}

TEST_CASE("an unknown code in a suppression comment is a warning and suppresses nothing") {
  auto ds = check_text("a.htaccess", "# redirlint disable=RL999\nRedirect /a /b\n");
  CHECK(count(ds, "RL101") == 1);
  bool warned = false;
  for (const Diagnostic& d : ds)
    if (d.code == "RL002" && d.message.find("RL999") != std::string::npos) {
      warned = true;
      CHECK(d.severity == Severity::warning);
      CHECK(d.range.line == 1);
    }
  CHECK(warned);
}

TEST_CASE("select, ignore and severity overrides apply to check findings") {
  Selection sel;
  sel.select = {"RL101", "RL104"};
  sel.ignore = {"temporary-without-review"};
  sel.severity = {{"RL101", Severity::error}};
  auto ds = check_text("a.htaccess", "Redirect /a /b\n", sel);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "RL101");
  CHECK(ds[0].severity == Severity::error);
}

TEST_CASE("review dates come from comments and are compared with the configured today") {
  auto ds = check_text("a.htaccess", "# redirlint: until=2024-12-31\nRedirect 302 /a /b\n# redirlint: until=2025-06-30\nRedirect 302 /c /d\n");
  REQUIRE(count(ds, "RL103") == 1);
  CHECK(count(ds, "RL104") == 0);
}

TEST_CASE("a review date above a RewriteCond block belongs to the RewriteRule that ends it") {
  const std::string cond = "RewriteCond %{HTTP_HOST} ^example\\.com$\nRewriteRule ^sale$ /summer [R=302,L]\n";
  auto dated = check_text("a.htaccess", "RewriteEngine On\n# redirlint: until=2024-12-31\n" + cond);
  CHECK(count(dated, "RL103") == 1);  // expired: the date was read
  CHECK(count(dated, "RL104") == 0);
  auto undated = check_text("a.htaccess", "RewriteEngine On\n# an ordinary comment\n" + cond);
  CHECK(count(undated, "RL103") == 0);
  // redirlint's own "not converted" comments in converted output are not annotations (no RL002).
  auto converted = check_text("_redirects", "# redirlint: not converted (RL301): conditions have no equivalent\n/a /b 301\n");
  CHECK(count(converted, "RL002") == 0);
}
