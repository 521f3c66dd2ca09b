// redirlint: a linter and converter for web-server redirect configuration.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "parse/yaml_util.hpp"
#include "report/report.hpp"
#include "util/atomic_write.hpp"

#ifndef REDIRLINT_VERSION
#define REDIRLINT_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  rl::cli::StdoutChecker stdout_check;
  rl::install_interrupt_cleanup();
  CLI::App app{"redirlint: lint, trace and convert web-server redirect rules (Apache, nginx, YAML, _redirects)"};
  app.set_version_flag("--version", "redirlint " REDIRLINT_VERSION);
  app.require_subcommand(1);
  int exit_code = rl::cli::kExitClean;
  rl::cli::setup_check(app, exit_code);
  rl::cli::setup_dump(app, exit_code);
  rl::cli::setup_list_checks(app, exit_code);
  rl::cli::setup_explain(app, exit_code);
  rl::cli::setup_trace(app, exit_code);
  rl::cli::setup_test(app, exit_code);
  rl::cli::setup_graph(app, exit_code);
  rl::cli::setup_lsp(app, exit_code);
  rl::cli::setup_convert(app, exit_code);
  rl::cli::setup_logs(app, exit_code);
  rl::cli::setup_site(app, exit_code);
  rl::cli::setup_export(app, exit_code);
  // An unknown word where the subcommand goes: say which word, and the nearest subcommand.
  if (argc > 1 && argv[1][0] != '-') {
    std::string word = argv[1];
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
    bool known = false;
    for (const std::string& n : names) known = known || n == word;
    if (!known) {
      std::vector<std::string_view> views(names.begin(), names.end());
      std::string near = rl::file_rules::did_you_mean(word, views);
      std::cerr << "redirlint: unknown subcommand \"" << word << "\"";
      if (!near.empty()) std::cerr << "; did you mean \"" << near << "\"?";
      std::cerr << "\nsubcommands:";
      for (const std::string& n : names) std::cerr << " " << n;
      std::cerr << "\nRun redirlint --help for more information.\n";
      return stdout_check.finish(rl::cli::kExitUsage);
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return stdout_check.finish(rc == 0 ? 0 : rl::cli::kExitUsage);
  }
  return stdout_check.finish(exit_code);
}
