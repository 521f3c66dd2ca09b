#include <iostream>

#include "cli/commands.hpp"
#include "lsp/server.hpp"

namespace rl::cli {

void setup_lsp(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("lsp", "language server on stdio (see docs/editors.md)");
  cmd->callback([&exit_code] {
    std::ios::sync_with_stdio(false);
    exit_code = lsp::run(std::cin, std::cout);
  });
}

}  // namespace rl::cli
