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
  cmd.add_option("--output", output, "text (pretty on a terminal), gcc, json, sarif, or for CI: github, checkstyle, gitlab, junit")->check(CLI::IsMember(formats));
  cmd.add_option("--color", *color, "colours and source snippets in text output: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  // Runs after every option of `cmd` is parsed and before its callback, whatever the option order.
  cmd.parse_complete_callback([&output, color] {
    if (output == "text") output += ":" + *color;
  });
}

namespace {

/// Splits "text:auto" into the format and the colour choice.
RenderOptions options_for(std::string_view output, bool to_tty, std::string_view& format) {
  std::string_view color = "auto";
  format = output;
  if (auto colon = output.find(':'); colon != std::string_view::npos) {
    format = output.substr(0, colon);
    color = output.substr(colon + 1);
  }
  const char* no_color = std::getenv("NO_COLOR");
  return text_render_options(color, to_tty, no_color && *no_color);
}

}  // namespace

void print_diagnostics(std::string_view output, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                       std::size_t files_checked, bool summary) {
  std::string_view format;
  RenderOptions opts = options_for(output, isatty(STDOUT_FILENO) == 1, format);
  opts.files_checked = files_checked;
  opts.summary = summary;
  std::cout << render(format, diags, files, opts);
  if (summary && format == "text" && !opts.pretty) std::cerr << render_summary(diags, files_checked) << "\n";
}

std::string diagnostics_text(std::string_view output, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                             std::size_t files_checked, bool summary) {
  std::string_view format;
  RenderOptions opts = options_for(output, false, format);
  opts.files_checked = files_checked;
  opts.summary = summary;
  return render(format, diags, files, opts);
}

}  // namespace rl::cli
