#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "report/report.hpp"

namespace rl::cli {

void add_output_options(CLI::App& cmd, std::string& output) {
  auto color = std::make_shared<std::string>("auto");
  std::vector<std::string> formats(std::begin(kOutputFormats), std::end(kOutputFormats));
  cmd.add_option("--output", output, "text (pretty on a terminal), gcc, json or sarif")->check(CLI::IsMember(formats));
  cmd.add_option("--color", *color, "colours and source snippets in text output: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  // Runs after every option of `cmd` is parsed and before its callback, whatever the option order.
  cmd.parse_complete_callback([&output, color] {
    if (output == "text") output += ":" + *color;
  });
}

void print_diagnostics(std::string_view output, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                       std::size_t files_checked) {
  std::string_view format = output, color = "auto";
  if (auto colon = output.find(':'); colon != std::string_view::npos) {
    format = output.substr(0, colon);
    color = output.substr(colon + 1);
  }
  const char* no_color = std::getenv("NO_COLOR");
  RenderOptions opts = text_render_options(color, isatty(STDOUT_FILENO) == 1, no_color && *no_color);
  opts.files_checked = files_checked;
  std::cout << render(format, diags, files, opts);
  if (format == "text" && !opts.pretty) std::cerr << render_summary(diags, files_checked) << "\n";
}

}  // namespace rl::cli
