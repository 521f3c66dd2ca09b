#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "checks/docs.hpp"
#include "checks/registry.hpp"
#include "cli/commands.hpp"
#include "report/report.hpp"

namespace rl::cli {

void setup_list_checks(CLI::App& app, int& exit_code) {
  auto output = std::make_shared<std::string>("text");
  CLI::App* cmd = app.add_subcommand("list-checks", "list every check code with its slug, severity and summary");
  cmd->add_option("--output", *output, "text (a table) or json (for tools)")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([output, &exit_code] {
    if (*output == "json") {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const CheckInfo& c : all_checks())
        list.push_back({{"code", c.code}, {"slug", c.slug}, {"severity", to_string(c.severity)}, {"summary", c.summary},
                        {"url", doc_url(c.code)}});
      std::cout << list.dump(2) << "\n";
    } else {
      for (const CheckInfo& c : all_checks())
        std::cout << c.code << "  " << std::left << std::setw(28) << c.slug << std::setw(8) << to_string(c.severity)
                  << c.summary << "\n";
    }
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
    // The page is printed exactly as written (docs tests compare it); without one, the summary and its URL.
    if (page.empty()) std::cout << c->code << " (" << c->slug << "): " << c->summary << "\nSee " << doc_url(c->code) << "\n";
    else std::cout << page;
    exit_code = kExitClean;
  });
}

}  // namespace rl::cli
