#pragma once
/// One file per subcommand (STYLE.md layout): each adds itself to the app and sets `exit_code`
/// from its callback. Exit codes (DESIGN §7): 0 clean, 1 findings / inexact conversion,
/// 2 unreadable or unparseable input, 3 usage error.
#include <CLI/CLI.hpp>

namespace rl::cli {

constexpr int kExitClean = 0, kExitFindings = 1, kExitBadInput = 2, kExitUsage = 3;

void setup_check(CLI::App& app, int& exit_code);
void setup_dump(CLI::App& app, int& exit_code);
void setup_list_checks(CLI::App& app, int& exit_code);
void setup_explain(CLI::App& app, int& exit_code);
void setup_trace(CLI::App& app, int& exit_code);  ///< src/cli/trace.cpp
void setup_test(CLI::App& app, int& exit_code);   ///< src/cli/test_cmd.cpp
void setup_graph(CLI::App& app, int& exit_code);  ///< src/cli/graph.cpp
void setup_lsp(CLI::App& app, int& exit_code);    ///< src/cli/lsp.cpp
void setup_convert(CLI::App& app, int& exit_code);
void setup_logs(CLI::App& app, int& exit_code);     ///< src/cli/logs.cpp
void setup_site(CLI::App& app, int& exit_code);    ///< src/cli/site.cpp
void setup_export(CLI::App& app, int& exit_code);  ///< src/cli/export.cpp

}  // namespace rl::cli
