#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "checks/config.hpp"
#include "parse/yaml_util.hpp"

using namespace rl;

TEST_CASE("a full config file is read with codes canonicalised") {
  Config c;
  std::vector<ConfigError> errors;
  std::string text =
      "select: [RL201, redirect-loop]\nignore: RL104\nseverity:\n  implicit-temporary: error\nmax-hops: 7\ntoday: 2025-06-30\n";
  REQUIRE(parse_config(text, ".redirlint.yaml", c, errors));
  CHECK(errors.empty());
  CHECK(c.select == std::vector<std::string>{"RL201", "RL202"});
  CHECK(c.ignore == std::vector<std::string>{"RL104"});
  REQUIRE(c.severity.size() == 1);
  CHECK(c.severity[0].first == "RL101");
  CHECK(c.severity[0].second == Severity::error);
  CHECK(c.max_hops == 7);
  CHECK(c.today == "2025-06-30");
}

TEST_CASE("an empty config file is valid and changes nothing") {
  Config c;
  std::vector<ConfigError> errors;
  CHECK(parse_config("", "c.yaml", c, errors));
  CHECK(c.select.empty());
  CHECK_FALSE(c.max_hops);
}

TEST_CASE("unknown keys, codes and bad values are errors at their line and column") {
  Config c;
  std::vector<ConfigError> errors;
  std::string text = "select: [RL201]\n  \nignroe: [RL104]\nseverity: {RL999: error, RL101: loud}\nmax-hops: 0\ntoday: tomorrow\n";
  CHECK_FALSE(parse_config(text, "c.yaml", c, errors));
  REQUIRE(errors.size() == 5);
  CHECK(errors[0].line == 3);
  CHECK(errors[0].column == 1);
  CHECK(errors[0].message.find("unknown key \"ignroe\"") != std::string::npos);
  CHECK(errors[1].message.find("RL999") != std::string::npos);
  CHECK(errors[2].message.find("severity must be") != std::string::npos);
  CHECK(errors[3].line == 5);
  CHECK(errors[4].line == 6);
  CHECK(to_string(errors[0]) ==
        "c.yaml:3:1: error: unknown key \"ignroe\" (known: select, ignore, severity, max-hops, today, exclude, per-path, "
        "per-file-ignores, max-file-bytes, "
        "max-line-bytes, max-rules, max-nesting, max-include-depth, regex-match-limit, regex-depth-limit, "
        "max-automaton-states, max-pattern-bytes)");
}

TEST_CASE("broken YAML is an error with a position, not an exception") {
  Config c;
  std::vector<ConfigError> errors;
  CHECK_FALSE(parse_config("select: [RL201\n", "c.yaml", c, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line >= 1);
  CHECK_FALSE(parse_config("- just\n- a list\n", "c.yaml", c, errors));
}

TEST_CASE("the config is found in the file's directory or the nearest parent") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "redirlint-config-test";
  fs::remove_all(root);
  fs::create_directories(root / "site" / "deep");
  std::ofstream(root / ".redirlint.yaml") << "ignore: [RL104]\n";
  std::ofstream(root / "site" / "deep" / "_redirects") << "/a /b\n";
  CHECK(find_config((root / "site" / "deep" / "_redirects").string()) == (root / ".redirlint.yaml").string());
  std::ofstream(root / "site" / ".redirlint.yaml") << "ignore: [RL101]\n";
  CHECK(find_config((root / "site" / "deep" / "_redirects").string()) == (root / "site" / ".redirlint.yaml").string());
  fs::remove_all(root);
}

TEST_CASE("limit keys are read by name and bad values are errors with a position") {
  Config c;
  std::vector<ConfigError> errors;
  CHECK(parse_config("max-line-bytes: 4096\nregex-match-limit: 5000\n", "c.yaml", c, errors));
  CHECK(c.limits.get(LimitId::line_bytes) == 4096);
  CHECK(c.limits.get(LimitId::regex_match) == 5000);
  CHECK(c.limits.get(LimitId::rules) == limit_info(LimitId::rules).default_value);
  CHECK_FALSE(parse_config("max-rules: 0\nmax-nesting: lots\n", "c.yaml", c, errors));
  REQUIRE(errors.size() == 2);
  CHECK(to_string(errors[0]) == "c.yaml:1:12: error: max-rules must be a number from 1 to 100000000");
  CHECK(errors[1].line == 2);
}

TEST_CASE("exclude, per-path and per-file-ignores are read relative to the config's folder") {
  Config c;
  std::vector<ConfigError> errors;
  std::string text =
      "exclude: [vendor/, \"*.bak.conf\"]\n"
      "per-path:\n"
      "  \"legacy/**\": {ignore: [RL104], format: nginx, htaccess-dir: /old, severity: {RL101: error}}\n"
      "  \"legacy/keep.conf\": {select: [redirect-loop]}\n"
      "per-file-ignores:\n"
      "  \"conf.d/*.conf\": [implicit-temporary]\n";
  REQUIRE(parse_config(text, "/repo/.redirlint.yaml", c, errors));
  CHECK(c.base_dir() == "/repo");
  REQUIRE(c.excluded_by("/repo/vendor/x/site.conf"));
  CHECK(*c.excluded_by("/repo/vendor/x/site.conf") == "vendor/");
  CHECK(c.excluded_by("/repo/a/b/old.bak.conf"));
  CHECK_FALSE(c.excluded_by("/repo/vendor.conf"));  // `vendor/` is a folder only
  CHECK_FALSE(c.excluded_by("/repo/site.conf"));
  auto ps = c.path_settings("/repo/legacy/keep.conf");
  REQUIRE(ps.size() == 2);
  CHECK(ps[0]->ignore == std::vector<std::string>{"RL104"});
  CHECK(ps[0]->format == Format::nginx);
  CHECK(ps[0]->htaccess_dir == "/old");
  CHECK(ps[1]->select == std::vector<std::string>{"RL202"});
  auto fi = c.path_settings("/repo/conf.d/a.conf");
  REQUIRE(fi.size() == 1);
  CHECK(fi[0]->ignore == std::vector<std::string>{"RL101"});
  CHECK(c.path_settings("/repo/conf.d/deeper/a.conf").empty());  // `*` stays in one folder
  CHECK(c.path_settings("/elsewhere/legacy/keep.conf").empty());
}

TEST_CASE("bad exclude and per-path values are errors with a position") {
  Config c;
  std::vector<ConfigError> errors;
  std::string text = "exclude: {a: b}\nper-path:\n  \"x/**\": {format: lighttpd, colour: red, ignore: [RL999]}\nper-file-ignores: [a]\n";
  CHECK_FALSE(parse_config(text, "c.yaml", c, errors));
  REQUIRE(errors.size() == 5);
  CHECK(to_string(errors[0]) == "c.yaml:1:10: error: expected a list of path globs");
  CHECK(errors[1].message.find("format must be") != std::string::npos);
  CHECK(errors[2].message.find("unknown per-path key \"colour\"") != std::string::npos);
  CHECK(errors[3].message.find("RL999") != std::string::npos);
  CHECK(to_string(errors[4]) == "c.yaml:4:19: error: expected a mapping GLOB: [codes]");
}

TEST_CASE("valid_date accepts real calendar dates only") {
  CHECK(file_rules::valid_iso_date("2024-02-29"));
  CHECK(file_rules::valid_iso_date("2025-12-31"));
  CHECK_FALSE(file_rules::valid_iso_date("2025-02-29"));
  CHECK_FALSE(file_rules::valid_iso_date("2025-13-45"));
  CHECK_FALSE(file_rules::valid_iso_date("2025-04-31"));
  CHECK_FALSE(file_rules::valid_iso_date("1900-02-29"));
  CHECK(file_rules::valid_iso_date("2000-02-29"));
  CHECK_FALSE(file_rules::valid_iso_date("2025-1-01"));
}
