#include <iomanip>
#include <iostream>

#include "checks/docs.hpp"
#include "checks/registry.hpp"
#include "cli/commands.hpp"

namespace rl::cli {

void setup_list_checks(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("list-checks", "list every check code with its slug, severity and summary");
  cmd->callback([&exit_code] {
    for (const CheckInfo& c : all_checks())
      std::cout << c.code << "  " << std::left << std::setw(28) << c.slug << std::setw(8) << to_string(c.severity)
                << c.summary << "\n";
    exit_code = kExitClean;
  });
}

void setup_explain(CLI::App& app, int& exit_code) {
  auto code = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("explain", "print the documentation page of a check (code or slug)");
  cmd->add_option("code", *code, "RL201 or redirect-chain")->required();
  cmd->callback([code, &exit_code] {
    const CheckInfo* c = find_check(*code);
    if (!c) {
      std::cerr << "redirlint: unknown check \"" << *code << "\" (see redirlint list-checks)\n";
      exit_code = kExitUsage;
      return;
    }
    std::string_view page = check_doc(c->code);
    if (page.empty()) std::cout << c->code << " (" << c->slug << "): " << c->summary << "\n";
    else std::cout << page;
    exit_code = kExitClean;
  });
}

}  // namespace rl::cli
