// redirlint: a linter and converter for web-server redirect configuration.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"

#ifndef REDIRLINT_VERSION
#define REDIRLINT_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : rl::cli::kExitUsage;
  }
  return exit_code;
}
