#include <iostream>
#include <map>

#include "checks/fixes.hpp"
#include "checks/lint.hpp"
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
};

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
  if (!known_codes(a.select) || !known_codes(a.ignore)) return kExitUsage;
  if (!a.today.empty() && !file_rules::valid_iso_date(a.today)) {
    std::cerr << "redirlint: --today must be a real date written YYYY-MM-DD (got \"" << display_text(a.today) << "\")\n";
    return kExitUsage;
  }
  SourceFiles files;
  Loaded in = load_inputs(a.paths, popts, files, input);
  DisposeAtExit keep{in};
  std::vector<Diagnostic> diags = in.unreadable_diags;
  bool bad_input = in.unreadable;
  Linter linter({a.config, a.select, a.ignore, a.today, a.jobs});
  for (RuleSet& rs : in.sets) {
    for (const Diagnostic& d : rs.parse_diags)
      if (d.code == "RL001" && d.severity == Severity::error) bad_input = true;
    ParseOptions this_file = popts;  // sets this file's regex and automaton limits
    if (popts.per_file) popts.per_file(files.path(rs.file), this_file);
    std::vector<Diagnostic> ds;
    std::vector<ConfigError> errors;
    if (!linter.lint(rs, files, files.path(rs.file), ds, errors)) {
      for (const ConfigError& e : errors) std::cerr << to_string(e) << "\n";
      return kExitUsage;
    }
    diags.insert(diags.end(), ds.begin(), ds.end());
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
                  "lowest severity that makes the exit code 1 (error|warning|info), or never");
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
