#include <iostream>

#include "checks/run.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "report/report.hpp"

namespace rl::cli {

namespace {

struct CheckArgs {
  InputOptions input;
  std::vector<std::string> paths;
  std::string output = "text";
  std::string fail_level = "warning";
  std::vector<std::string> select, ignore;
};

int run_check(const CheckArgs& a) {
  ParseOptions popts;
  if (!make_parse_options(a.input, popts)) return kExitUsage;
  Severity fail;
  if (!parse_severity(a.fail_level, fail)) {
    std::cerr << "redirlint: --fail-level must be error, warning or info\n";
    return kExitUsage;
  }
  Selection sel;
  for (const auto* list : {&a.select, &a.ignore})
    for (const std::string& c : *list)
      if (!find_check(c)) {
        std::cerr << "redirlint: unknown check \"" << c << "\" (see redirlint list-checks)\n";
        return kExitUsage;
      }
  sel.select = a.select;
  sel.ignore = a.ignore;
  CheckOptions copts;
  SourceFiles files;
  Loaded in = load_inputs(a.paths, popts, files);
  std::vector<Diagnostic> diags = in.unreadable_diags;
  bool bad_input = in.unreadable;
  for (const RuleSet& rs : in.sets) {
    for (const Diagnostic& d : rs.parse_diags)
      if (d.code == "RL001") bad_input = true;
    auto ds = run_checks(rs, files, copts, sel);
    diags.insert(diags.end(), ds.begin(), ds.end());
  }
  sort_diagnostics(diags, files);
  print_diagnostics(a.output, diags, files, in.sets.size());
  if (bad_input) return kExitBadInput;
  for (const Diagnostic& d : diags)
    if (static_cast<int>(d.severity) <= static_cast<int>(fail)) return kExitFindings;
  return kExitClean;
}

}  // namespace

void setup_check(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand("check", "lint redirect rules (files or directories)");
  add_input_options(*cmd, args->input);
  add_output_options(*cmd, args->output);
  cmd->add_option("--fail-level", args->fail_level, "lowest severity that makes the exit code 1 (error|warning|info)");
  cmd->add_option("--select", args->select, "only these codes or slugs")->delimiter(',');
  cmd->add_option("--ignore", args->ignore, "skip these codes or slugs")->delimiter(',');
  cmd->add_option("paths", args->paths, "files or directories")->required();
  cmd->callback([args, &exit_code] { exit_code = run_check(*args); });
}

}  // namespace rl::cli
