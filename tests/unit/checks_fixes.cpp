#include <doctest/doctest.h>

#include "checks/fixes.hpp"
#include "checks/run.hpp"
#include "parse/parse.hpp"

using namespace rl;

namespace {

// Runs every check on `text` and returns the file with the fixes applied.
std::string fixed(const std::string& name, const std::string& text, bool unsafe) {
  SourceFiles files;
  FileId id = files.add(name, text);
  RuleSet rs = parse_file(files, id, ParseOptions{});
  CheckOptions opts;
  opts.today = "2025-01-01";
  auto ds = run_checks(rs, files, opts, Selection{});
  sort_diagnostics(ds, files);
  FixResult r = apply_fixes(ds, files, unsafe);
  return r.texts.count(id) ? r.texts[id] : text;
}

}  // namespace

TEST_CASE("safe fixes make implicit 302s explicit in Apache and nginx syntax") {
  CHECK(fixed("a.htaccess", "Redirect /a /b\nRewriteEngine On\nRewriteRule ^x$ /y [R,L]\n", false) ==
        "Redirect 302 /a /b\nRewriteEngine On\nRewriteRule ^x$ /y [R=302,L]\n");
  CHECK(fixed("n.conf", "server {\n  location = /a { return https://example.com/b; }\n}\n", false) ==
        "server {\n  location = /a { return 302 https://example.com/b; }\n}\n");
}

TEST_CASE("safe fixes flatten a literal chain and drop an exact duplicate") {
  CHECK(fixed("_redirects", "/a /b 301\n/b /c 301\n/d /e 301\n/d /e 301\n", false) == "/a /c 301\n/b /c 301\n/d /e 301\n");
}

TEST_CASE("unsafe fixes turn temporary codes permanent where RL102 or RL103 found them") {
  std::string in = "# redirlint: until=2024-01-01\nRedirect 307 /promo /sale\nRedirect 302 / https://new.example/\n";
  CHECK(fixed("a.htaccess", in, false) == in);
  CHECK(fixed("a.htaccess", in, true) == "# redirlint: until=2024-01-01\nRedirect 308 /promo /sale\nRedirect 301 / https://new.example/\n");
}

TEST_CASE("a unified diff shows changed lines with context and positions") {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
  CHECK(unified_diff("f", a, b) == "--- f\n+++ f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  CHECK(unified_diff("f", a, a).empty());
  CHECK(unified_diff("f", "x\n", "") == "--- f\n+++ f\n@@ -1,1 +0,0 @@\n-x\n");
}
