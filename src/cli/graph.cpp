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
  bool problems_only = false;      ///< --problems-only: only the chains and loops
  std::vector<std::string> from;   ///< --from URL: the walk from these requests instead of every rule's
  TraceRequestOptions request;     ///< --host, --https ... for the --from requests
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
  Request base;
  SimOptions sim;
  std::string error;
  std::vector<Request> starts;
  if (!make_request_base(a.request, base, sim, error)) {
    std::cerr << "redirlint: " << error << "\n";
    return kExitUsage;
  }
  for (const std::string& f : a.from) {
    Request r;
    if (!parse_request(f, r, error, base)) {
      std::cerr << "redirlint: --from " << display_text(f) << ": " << error << "\n";
      return kExitUsage;
    }
    starts.push_back(r);
  }
  std::vector<Diagnostic> errors;
  std::vector<RedirectGraph> graphs;
  for (const RuleSet& rs : in.sets) {
    bool parsed = true;
    for (const Diagnostic& d : rs.parse_diags)
      if (d.code == "RL001") errors.push_back(d), parsed = false;
    if (!parsed) continue;
    int max_hops = configured_max_hops(files.path(rs.file), a.input.config);
    RedirectGraph g;
    g.name = files.path(rs.file);
    if (starts.empty()) g = build_graph(rs, g.name, max_hops);
    for (const Request& r : starts) add_walk_graph(g, rs, r, max_hops);
    graphs.push_back(a.problems_only ? problems_only(g) : std::move(g));
  }
  std::size_t edges = 0;
  for (const RedirectGraph& g : graphs) edges += g.edges.size();
  if (a.output == "mermaid" && edges > kMermaidMaxEdges)
    std::cerr << "redirlint: " << edges << " edges: Mermaid draws at most " << kMermaidMaxEdges
              << " by default (maxEdges); --problems-only or --from URL draws a part\n";
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
  cmd->add_flag("--problems-only", args->problems_only, "draw only the redirect chains and loops (RL201, RL202)");
  cmd->add_option("--from", args->from,
                  "draw the redirects a client follows from this request ('/path', a URL or 'METHOD URL'; repeatable)")
      ->allow_extra_args(false);
  add_request_options(*cmd, args->request);
  cmd->add_option("paths", args->paths, "rule files or directories")->required();
  cmd->callback([args, &exit_code] { exit_code = run_graph(*args); });
}

}  // namespace rl::cli
