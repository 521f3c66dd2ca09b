#include <filesystem>
#include <iostream>
#include <map>

#include "checks/fixes.hpp"
#include "checks/lint.hpp"
#include "cli/against.hpp"
#include "cli/baseline.hpp"
#include "cli/commands.hpp"
#include "cli/findings.hpp"
#include "cli/inputs.hpp"
#include "parse/yaml_util.hpp"
#include "report/report.hpp"
#include "util/atomic_write.hpp"

namespace rl::cli {

namespace {

struct CheckArgs {
  InputOptions input;
  std::vector<std::string> paths;
  std::string output = "text";
  std::string fail_level = "warning";
  std::vector<std::string> select, ignore;
  std::string config;  ///< --config: one file for every input ("" = find .redirlint.yaml upward)
  std::string today;   ///< --today YYYY-MM-DD (overrides the config's `today`)
  bool fix = false, unsafe_fixes = false, diff = false;
  int jobs = 0;  ///< --jobs: threads for one file's checks (0 = auto)
  std::string output_file;  ///< --output-file: the report goes there (written atomically), not to stdout
  bool exit_zero = false;   ///< --exit-zero: findings do not fail (bad input and usage errors still do)
  bool quiet = false;       ///< --quiet: the findings only, no summary line
  bool statistics = false;  ///< --statistics: counts per code instead of the findings
  std::string baseline;     ///< --baseline: findings listed there are not reported
  bool update_baseline = false;  ///< --update-baseline: (re)write --baseline with today's findings
  AgainstOptions against;        ///< --against REV / --staged (cli/against.hpp)
};

/// --select / --ignore for findings that do not come from lint() (the --against comparison).
bool selected(const Diagnostic& d, const std::vector<std::string>& select, const std::vector<std::string>& ignore) {
  auto names = [&](const std::vector<std::string>& list) {
    for (const std::string& c : list)
      if (const CheckInfo* info = find_check(c); info && info->code == d.code) return true;
    return false;
  };
  return (select.empty() || names(select)) && !names(ignore);
}

/// `--select RL201 RL202 .` reads RL202 as a path (each --select takes one value): a path that does not
/// exist and names a check is a usage error that shows the two ways to write the list.
bool no_code_as_path(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p == "-" || std::filesystem::symlink_status(p, ec).type() != std::filesystem::file_type::not_found ||
        !find_check(p))
      continue;
    std::cerr << "redirlint: \"" << display_text(p) << "\" is a check, not a file: --select and --ignore take one value"
              << " each; write --select RL201,RL202 or --select RL201 --select RL202\n";
    return false;
  }
  return true;
}

int run_check(const CheckArgs& a) {
  ParseOptions popts;
  InputOptions input = a.input;
  input.config = a.config;
  if (!make_parse_options(input, popts)) return kExitUsage;
  Severity fail = Severity::info;
  bool never_fail = a.exit_zero || a.fail_level == "never";
  if (!never_fail && !parse_severity(a.fail_level, fail)) {
    std::cerr << "redirlint: --fail-level must be error, warning, info or never\n";
    return kExitUsage;
  }
  if (!known_codes(a.select) || !known_codes(a.ignore) || !no_code_as_path(a.paths)) return kExitUsage;
  if (!a.today.empty() && !file_rules::valid_iso_date(a.today)) {
    std::cerr << "redirlint: --today must be a real date written YYYY-MM-DD (got \"" << display_text(a.today) << "\")\n";
    return kExitUsage;
  }
  SourceFiles files;
  std::vector<Diagnostic> diags;
  bool bad_input = false, config_failed = false;
  Linter linter({a.config, a.select, a.ignore, a.today, a.jobs});
  auto lint_one = [&](RuleSet& rs) {
    for (const Diagnostic& d : rs.parse_diags)
      if (d.code == "RL001" && d.severity == Severity::error) bad_input = true;
    ParseOptions this_file = popts;  // sets this file's regex and automaton limits
    if (popts.per_file) popts.per_file(files.path(rs.file), this_file);
    std::vector<Diagnostic> ds;
    std::vector<ConfigError> errors;
    if (!linter.lint(rs, files, files.path(rs.file), ds, errors)) {
      for (const ConfigError& e : errors) std::cerr << to_string(e) << "\n";
      config_failed = true;
      return false;
    }
    diags.insert(diags.end(), std::make_move_iterator(ds.begin()), std::make_move_iterator(ds.end()));
    return true;
  };
  Loaded last;  // the rules kept to the end of the process (DisposeAtExit): the last file's, or all with --against
  DisposeAtExit keep{last};
  Loaded in;
  if (a.against.rev.empty()) {
    // One file at a time: each file's rules and analyses are freed before the next file is read.
    in = load_inputs_each(a.paths, popts, files, input, [&](RuleSet& rs, bool is_last) {
      if (!lint_one(rs)) return false;
      if (is_last) last.sets.push_back(std::move(rs));
      return true;
    });
  } else {
    // --against compares every file with REV, so all are kept. A named file that is gone from the work
    // tree is compared with REV (all its rules removed), not reported as unreadable.
    std::vector<std::string> present = a.paths, gone;
    split_missing(present, gone);
    in = load_inputs(present, popts, files, input);
    if (std::string error; a.against.staged && !load_staged(in, files, popts, error)) {
      std::cerr << "redirlint: " << error << "\n";
      return kExitUsage;
    }
    for (RuleSet& rs : in.sets)
      if (!lint_one(rs)) break;
  }
  if (config_failed) return kExitUsage;
  diags.insert(diags.begin(), in.unreadable_diags.begin(), in.unreadable_diags.end());
  bad_input = bad_input || in.unreadable;
  if (!a.against.rev.empty()) {
    std::vector<Diagnostic> ds;
    std::vector<std::string> unknown;
    if (std::string error; !against_diagnostics(a.against, a.paths, in, files, popts, ds, unknown, error)) {
      std::cerr << "redirlint: " << error << "\n";
      return kExitUsage;
    }
    for (Diagnostic& d : ds)
      if (selected(d, a.select, a.ignore)) diags.push_back(std::move(d));
    for (const std::string& u : unknown) {
      bad_input = true;
      diags.push_back(make_diagnostic("RL001", SourceRange{files.add(u, ""), 0, 0, 0, 0},
                                      "cannot read file: it is neither in the work tree nor at " + a.against.rev));
    }
    last.sets = std::move(in.sets);
  }
  sort_diagnostics(diags, files);
  if (!a.baseline.empty()) {
    if (a.update_baseline) {
      std::string error;
      if (!write_atomically(a.baseline, baseline_text(diags, files), error)) {
        std::cerr << "redirlint: --baseline: " << error << "\n";
        return kExitBadInput;
      }
      std::cerr << "redirlint: wrote " << diags.size() << " finding" << (diags.size() == 1 ? "" : "s") << " to "
                << a.baseline << "\n";
      return bad_input ? kExitBadInput : kExitClean;
    }
    // Read the way every input is read (bounded, regular files only).
    std::string text, error;
    std::size_t removed = 0;
    constexpr std::size_t kMaxBaselineBytes = std::size_t{256} << 20;  // far more than any real baseline
    ReadStatus read = read_bounded(a.baseline, kMaxBaselineBytes, text, error);
    if (read == ReadStatus::too_large) error = "larger than 256 MiB";
    if (read != ReadStatus::ok || !apply_baseline(text, diags, files, removed, error)) {
      std::cerr << "redirlint: --baseline " << a.baseline << ": " << error << "\n";
      return kExitUsage;
    }
    if (removed && !a.quiet)
      std::cerr << "redirlint: " << removed << " finding" << (removed == 1 ? "" : "s") << " of the baseline not shown\n";
  }
  if (a.fix || a.unsafe_fixes || a.diff) {
    bool changed = false;
    if (!handle_fixes(a.unsafe_fixes, a.diff, diags, files, changed)) return kExitBadInput;
    // --diff prints the fixes and still says whether findings remain: exit 1 with findings at or above
    // --fail-level (fixed or not), as a plain check would.
    if (a.diff) {
      if (bad_input) return kExitBadInput;
      if (never_fail) return kExitClean;
      for (const Diagnostic& d : diags)
        if (static_cast<int>(d.severity) <= static_cast<int>(fail)) return kExitFindings;
      return changed ? kExitFindings : kExitClean;
    }
    if (changed) {
      // Report on the files as they are now (lines moved), without fixing again.
      CheckArgs again = a;
      again.fix = again.unsafe_fixes = false;
      return run_check(again);
    }
  }
  if (a.statistics || !a.output_file.empty()) {
    std::string text = a.statistics ? render_statistics(diags, in.files_counted())
                                    : diagnostics_text(a.output, diags, files, in.files_counted(), !a.quiet);
    if (a.output_file.empty()) {
      std::cout << text;
    } else if (std::string error; !write_atomically(a.output_file, text, error)) {
      std::cerr << "redirlint: --output-file: " << error << "\n";
      return kExitBadInput;
    } else if (!a.quiet && !a.statistics) {
      std::cerr << render_summary(diags, in.files_counted()) << " (report in " << a.output_file << ")\n";
    }
  } else {
    print_diagnostics(a.output, diags, files, in.files_counted(), !a.quiet);
  }
  return findings_exit(bad_input, never_fail, fail, diags);
}

}  // namespace

void setup_check(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand("check", "lint redirect rules (files or directories)");
  add_input_options(*cmd, args->input);
  add_walk_options(*cmd, args->input);
  add_output_options(*cmd, args->output);
  cmd->add_option("--fail-level", args->fail_level,
                  "{error,warning,info,never}: lowest severity that makes the exit code 1 (never: findings do not fail)");
  cmd->add_flag("--exit-zero", args->exit_zero,
                "exit 0 even with findings (2 and 3 still mean unreadable input and usage errors)");
  cmd->add_option("--output-file", args->output_file, "write the report to this file (atomically) instead of stdout");
  cmd->add_flag("-q,--quiet", args->quiet, "print the findings only: no summary line");
  cmd->add_flag("--statistics", args->statistics, "print how many findings of each code, instead of the findings");
  cmd->add_option("--baseline", args->baseline, "do not report the findings listed in this file (see --update-baseline)");
  cmd->add_flag("--update-baseline", args->update_baseline,
                "write today's findings to the --baseline file instead of reporting them");
  cmd->add_option("--select", args->select, "only these codes or slugs")->allow_extra_args(false);
  cmd->add_option("--ignore", args->ignore, "skip these codes or slugs")->allow_extra_args(false);
  cmd->add_option("--config", args->config, "settings file (default: .redirlint.yaml found upward from each file)");
  cmd->add_option("--today", args->today, "date for review deadlines, YYYY-MM-DD (default: config `today`, else the real date)");
  cmd->add_option("--jobs", args->jobs,
                  "threads for one file's checks: 1 = one; default: 2 when the machine has two cores")
      ->check(CLI::Range(0, 64));
  cmd->add_option("--against", args->against.rev,
                  "also compare with the rules at this git revision: removed or changed redirects (RL501-RL504)");
  cmd->add_flag("--staged", args->against.staged, "check the staged version of each file (git add), for a pre-commit hook")
      ->needs(cmd->get_option("--against"));
  cmd->add_flag("--fix", args->fix, "apply safe fixes in place");
  cmd->add_flag("--unsafe-fixes", args->unsafe_fixes, "also apply unsafe fixes (temporary codes made permanent)");
  cmd->add_flag("--diff", args->diff, "print the fixes as a unified diff instead of writing them");
  cmd->add_option("paths", args->paths, "files or directories")->required();
  cmd->callback([args, &exit_code] {
    args->select = split_codes(args->select);
    args->ignore = split_codes(args->ignore);
    exit_code = run_check(*args);
  });
}

}  // namespace rl::cli
