#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "lsp/server.hpp"

namespace rl::cli {

void setup_lsp(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("lsp", "language server on stdio (see docs/editors.md)");
  // Many clients start servers with --stdio; stdio is the only transport, so the flag changes nothing.
  auto stdio = std::make_shared<bool>(false);
  cmd->add_flag("--stdio", *stdio, "talk LSP on stdin/stdout (the default and only transport)");
  cmd->callback([&exit_code, stdio] {
    std::ios::sync_with_stdio(false);
    exit_code = lsp::run(std::cin, std::cout, std::cerr);
  });
}

}  // namespace rl::cli
