#include <doctest/doctest.h>

#include "util/glob.hpp"

using namespace rl;

TEST_CASE("a glob matches the whole path: * and ? stay in one folder, ** spans folders") {
  CHECK(glob_match("*.conf", "site.conf"));
  CHECK_FALSE(glob_match("*.conf", "a/site.conf"));
  CHECK(glob_match("a/?.conf", "a/b.conf"));
  CHECK_FALSE(glob_match("a?b", "a/b"));
  CHECK(glob_match("**/x.conf", "x.conf"));
  CHECK(glob_match("**/x.conf", "a/b/x.conf"));
  CHECK(glob_match("a/**/b", "a/b"));
  CHECK(glob_match("a/**/b", "a/x/y/b"));
  CHECK(glob_match("a/**", "a/x/y"));
  CHECK_FALSE(glob_match("a/**", "a"));
  CHECK(glob_match("a**b", "axxb"));  // not a whole segment: one `*`
  CHECK_FALSE(glob_match("a**b", "ax/xb"));
  CHECK(glob_match("site.[ch]onf", "site.conf"));
  CHECK(glob_match("[!a-c]x", "dx"));
  CHECK_FALSE(glob_match("[!a-c]x", "bx"));
  CHECK(glob_match("[x", "[x"));  // unclosed class: a literal '['
  CHECK(glob_match("\\*x", "*x"));
  CHECK_FALSE(glob_match("\\*x", "ax"));
}

TEST_CASE("glob_covers reads globs as .gitignore does: one segment anywhere, or anchored with a '/'") {
  CHECK(glob_covers("vendor", "vendor/a/site.conf"));
  CHECK(glob_covers("vendor", "x/vendor/site.conf"));
  CHECK(glob_covers("*.bak", "x/y.bak"));
  CHECK(glob_covers("vendor/", "vendor/site.conf"));
  CHECK_FALSE(glob_covers("vendor/", "vendor"));  // a file named vendor: the glob names folders
  CHECK(glob_covers("conf.d/*.conf", "conf.d/a.conf"));
  CHECK_FALSE(glob_covers("conf.d/*.conf", "x/conf.d/a.conf"));  // anchored at the base
  CHECK(glob_covers("/old", "old/a.conf"));
  CHECK_FALSE(glob_covers("/old", "x/old/a.conf"));
  CHECK(glob_covers("./legacy/**", "legacy/a/b.conf"));
  CHECK_FALSE(glob_covers("", "a"));
}

TEST_CASE("glob_covers_file compares a path relative to the base folder") {
  CHECK(glob_covers_file("conf.d/*.conf", "/repo/conf.d/a.conf", "/repo"));
  CHECK(glob_covers_file("conf.d/*.conf", "/repo/x/../conf.d/a.conf", "/repo"));
  CHECK_FALSE(glob_covers_file("conf.d/*.conf", "/other/conf.d/a.conf", "/repo"));
  CHECK(glob_covers_file("*.bak", "/other/a.bak", "/repo"));  // one segment: anywhere
}
