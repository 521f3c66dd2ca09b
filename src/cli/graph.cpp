#include <iostream>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/trace_support.hpp"
#include "report/graph.hpp"
#include "report/report.hpp"

namespace rl::cli {

namespace {

struct GraphArgs {
  InputOptions input;
  std::vector<std::string> paths;
  std::string output = "dot";
};

int run_graph(const GraphArgs& a) {
  ParseOptions popts;
  if (!make_parse_options(a.input, popts)) return kExitUsage;
  SourceFiles files;
  Loaded in = load_inputs(a.paths, popts, files, a.input);
  if (report_config_errors(in)) return kExitUsage;
  for (const Diagnostic& d : in.unreadable_diags)
    std::cerr << "redirlint: " << display_text(files.path(d.range.file) + ": " + d.message) << "\n";
  // A file that does not parse has no graph to draw: its errors (gcc lines on stderr), exit 2, and
  // only the graphs of the files that parsed (an empty graph would read as "no redirects").
  std::vector<Diagnostic> errors;
  std::vector<RedirectGraph> graphs;
  for (const RuleSet& rs : in.sets) {
    bool parsed = true;
    for (const Diagnostic& d : rs.parse_diags)
      if (d.code == "RL001") errors.push_back(d), parsed = false;
    if (parsed)
      graphs.push_back(build_graph(rs, files.path(rs.file), configured_max_hops(files.path(rs.file), a.input.config)));
  }
  sort_diagnostics(errors, files);
  std::cerr << render_gcc(errors, files);
  std::cout << (a.output == "mermaid" ? render_mermaid(graphs) : render_dot(graphs));
  return in.unreadable || !errors.empty() ? kExitBadInput : kExitClean;
}

}  // namespace

void setup_graph(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<GraphArgs>();
  CLI::App* cmd = app.add_subcommand("graph", "draw the redirect graph (chains and loops highlighted) as DOT or Mermaid");
  add_input_options(*cmd, args->input);
  add_walk_options(*cmd, args->input);
  cmd->add_option("--output", args->output, "dot (Graphviz) or mermaid")->check(CLI::IsMember({"dot", "mermaid"}));
  cmd->add_option("paths", args->paths, "rule files or directories")->required();
  cmd->callback([args, &exit_code] { exit_code = run_graph(*args); });
}

}  // namespace rl::cli
