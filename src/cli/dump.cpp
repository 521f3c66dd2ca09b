#include <iostream>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "model/model_json.hpp"
#include "report/report.hpp"
#include "report/json_text.hpp"

namespace rl::cli {

namespace {

struct DumpArgs {
  InputOptions input;
  std::string output = "json";
  std::vector<std::string> paths;
};

int run_dump(const DumpArgs& a) {
  ParseOptions popts;
  if (!make_parse_options(a.input, popts)) return kExitUsage;
  SourceFiles files;
  Loaded in = load_inputs(a.paths, popts, files, a.input);
  if (report_config_errors(in)) return kExitUsage;
  std::vector<Diagnostic> diags = in.unreadable_diags;
  bool bad = in.unreadable;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const RuleSet& rs : in.sets) {
    if (a.output == "text") std::cout << debug_string(rs);
    else all.push_back(to_json(rs, files));
    for (const Diagnostic& d : rs.parse_diags) {
      diags.push_back(d);
      if (d.code == "RL001") bad = true;
    }
  }
  if (a.output == "json")
    std::cout << json_text(all.size() == 1 ? all[0] : all) << "\n";
  sort_diagnostics(diags, files);
  std::cerr << render_gcc(diags, files);
  return bad ? kExitBadInput : kExitClean;
}

}  // namespace

void setup_dump(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DumpArgs>();
  CLI::App* cmd = app.add_subcommand("dump", "print the parsed model (for debugging and tests)");
  add_input_options(*cmd, args->input);
  add_walk_options(*cmd, args->input);
  cmd->add_option("--output", args->output, "json or text")->check(CLI::IsMember({"json", "text"}));
  cmd->add_option("paths", args->paths, "files")->required();
  cmd->callback([args, &exit_code] { exit_code = run_dump(*args); });
}

}  // namespace rl::cli
