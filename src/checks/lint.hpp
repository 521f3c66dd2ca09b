#pragma once
/// lint(): the one way from a parsed RuleSet to its diagnostics, shared by `redirlint check` and the
/// language server (STYLE.md 14, ruff's server runs the same linter as its CLI). A Linter finds each
/// file's `.redirlint.yaml` (or the one named), merges the caller's overrides, and runs the checks.
#include <map>
#include <string>
#include <vector>

#include "checks/config.hpp"
#include "checks/run.hpp"
#include "model/model.hpp"
#include "parse/parse.hpp"

namespace rl {

/// What the caller chose, over the config file: command-line flags or an editor's settings.
struct LintOverrides {
  std::string config;                      ///< one settings file for every input ("" = found upward)
  std::vector<std::string> select;         ///< replaces the config's `select` when not empty
  std::vector<std::string> ignore;         ///< added to the config's `ignore`
  std::string today;                       ///< YYYY-MM-DD; "" = the config's `today`, else the real date
  int jobs = 0;                            ///< threads for one file's checks (0 = auto)
  bool no_config = false;                  ///< read no settings file at all (the built-in defaults)
};

/// Sets the limits of `l` that live in ParseOptions (file, line, rules, nesting, include depth).
void apply_parse_limits(const Limits& l, ParseOptions& out);
/// Sets the process-wide limits of `l`: PCRE2 match/depth (Regex::set_limits) and automaton size.
void apply_global_limits(const Limits& l);

/// Sets in `o` how config `c` says `file` is read: the limits (`given` wins, then the config's, then the
/// defaults; the process-wide ones too), and the `per-path:` format and htaccess-dir that cover the file
/// (the last entry that gives one), unless the caller gave them (`format_given`, `dir_given`). `check` and
/// the language server both read files through this.
void apply_file_settings(const Config& c, const std::string& file, const Limits& given, bool format_given,
                         bool dir_given, ParseOptions& o);

class Linter {
 public:
  explicit Linter(LintOverrides overrides = {}) : overrides_(std::move(overrides)) {}

  /// The config that applies to `file` (cached by config path). False with `errors` when it does not load.
  bool config_for(const std::string& file, Config& out, std::vector<ConfigError>& errors);

  /// Parse options for `file`: `o` with its config's limits and per-path settings (apply_file_settings;
  /// what `o.format` already holds is kept, and `dir_given` keeps `o.htaccess_dir`). A config that does
  /// not load changes nothing but the defaults (lint() reports it).
  void parse_options_for(const std::string& file, bool dir_given, ParseOptions& o);

  /// Selection and check options for `file`: its config merged with the overrides.
  bool settings_for(const std::string& file, Selection& sel, CheckOptions& opts, std::vector<ConfigError>& errors);

  /// Runs every selected check on `rs` (named `path` for config lookup) and returns its diagnostics with the
  /// parse diagnostics, suppressions and severities applied (unsorted). Adds RL006 notes for regexes too
  /// large for the automata when RL006 is selected. False with `errors` when the config does not load.
  bool lint(RuleSet& rs, const SourceFiles& files, const std::string& path, std::vector<Diagnostic>& out,
            std::vector<ConfigError>& errors);

 private:
  LintOverrides overrides_;
  std::map<std::string, Config> configs_;
};

}  // namespace rl
