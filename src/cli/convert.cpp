// `redirlint convert --to F [--from F] [--htaccess-dir P] [-o OUT] INPUT` (DESIGN §7).

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "emit/emit.hpp"
#include "report/report.hpp"
#include "util/atomic_write.hpp"

#ifndef REDIRLINT_VERSION
#define REDIRLINT_VERSION "0.0.0"
#endif

namespace rl::cli {

namespace {

struct ConvertArgs {
  std::string to, from, htaccess_dir, output, input;
  bool pedantic = false;  ///< every rule's loss diagnostic, %-encoding notes included
  Limits limits;  ///< --max-file-bytes ... (cli/inputs.hpp add_limit_options)
};

int run_convert(const ConvertArgs& a) {
  Format to;
  if (!parse_format(a.to, to) || to == Format::vercel || to == Format::cloudflare_bulk || to == Format::page) {
    std::cerr << "redirlint: --to must be apache, htaccess, nginx, yaml, netlify or netlify-toml (got \"" << a.to << "\")\n";
    return kExitUsage;
  }
  if (to == Format::iis) {
    std::cerr << "redirlint: --to iis: web.config is read (check, trace, convert --from iis), not written\n";
    return kExitUsage;
  }
  InputOptions in;
  in.format = a.from;
  in.htaccess_dir = a.htaccess_dir;
  in.limits = a.limits;
  ParseOptions popts;
  if (!make_parse_options(in, popts)) return kExitUsage;
  std::error_code ec;
  if (a.input != "-" && std::filesystem::is_directory(a.input, ec)) {
    std::cerr << "redirlint: convert takes one file, \"" << a.input << "\" is a directory\n";
    return kExitUsage;
  }
  if (!a.output.empty() && a.input != "-") {
    // -o naming the input (the same file, also through a link) would replace the source.
    std::error_code e1, e2;
    if (std::filesystem::exists(a.output, e1) && std::filesystem::equivalent(a.output, a.input, e2)) {
      std::cerr << "redirlint: -o \"" << a.output << "\" is the input file; not overwritten\n";
      return kExitUsage;
    }
  }
  SourceFiles files;
  Loaded loaded = load_inputs({a.input}, popts, files);
  DisposeAtExit keep{loaded};
  if (report_config_errors(loaded)) return kExitUsage;
  std::vector<Diagnostic> diags = loaded.unreadable_diags;
  bool bad = loaded.unreadable || loaded.sets.empty();
  for (const RuleSet& rs : loaded.sets)
    for (const Diagnostic& d : rs.parse_diags) {
      diags.push_back(d);
      if (d.code == "RL001") bad = true;
    }
  if (bad) {
    sort_diagnostics(diags, files);
    std::cerr << render_gcc(diags, files);
    std::cerr << "redirlint: \"" << a.input << "\" was not converted: it cannot be read or parsed\n";
    return kExitBadInput;
  }
  const RuleSet& rs = loaded.sets.front();
  EmitOptions eo;
  eo.source_name = files.path(rs.file);
  eo.version = REDIRLINT_VERSION;
  eo.htaccess_dir = popts.htaccess_dir;
  Emitted out = emit(rs, to, eo, files);
  if (!a.output.empty()) {
    std::string err;
    if (!write_atomically(a.output, out.text, err)) {
      std::cerr << "redirlint: -o: " << err << "; nothing written\n";
      return kExitBadInput;
    }
  } else {
    std::cout << out.text << std::flush;
    if (!std::cout) {
      std::cerr << "redirlint: cannot write the converted text to standard output\n";
      return kExitBadInput;
    }
  }
  // Parse warnings first (the source's own problems), then what the conversion lost.
  std::vector<Diagnostic> losses = out.losses;
  sort_diagnostics(diags, files);
  sort_diagnostics(losses, files);
  std::cerr << render_gcc(diags, files) << render_gcc(loss_report(losses, a.pedantic), files);
  std::size_t approx = 0, refused = 0;
  for (Fidelity f : out.per_rule) {
    if (f == Fidelity::approximated) ++approx;
    if (f == Fidelity::not_converted) ++refused;
  }
  // Rules with %-encoding notes (Weight::encoding), by line.
  std::vector<std::pair<FileId, std::uint32_t>> noted;
  for (const Diagnostic& d : losses)
    if (d.severity == Severity::info) noted.emplace_back(d.range.file, d.range.line);
  std::sort(noted.begin(), noted.end());
  noted.erase(std::unique(noted.begin(), noted.end()), noted.end());
  bool lost = approx + refused > 0 || std::any_of(losses.begin(), losses.end(), [](const Diagnostic& d) {
                return d.severity != Severity::info;
              });
  if (lost || !noted.empty()) {
    std::cerr << "redirlint: " << out.per_rule.size() << " rules: " << out.per_rule.size() - approx - refused
              << " exact, " << approx << " approximated (RL302), " << refused << " not converted (RL301)";
    if (!noted.empty())
      std::cerr << "; " << noted.size() << (noted.size() == 1 ? " rule differs" : " rules differ") << " in %-encoding only"
                << (a.pedantic ? "" : " (--pedantic shows them)");
    std::cerr << "\n";
  }
  return lost ? kExitFindings : kExitClean;
}

}  // namespace

void setup_convert(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand("convert", "convert redirect rules to another format (loss report on stderr)");
  cmd->add_option("--to", args->to, "apache, htaccess, nginx, yaml, netlify or netlify-toml")->required();
  cmd->add_option("--from", args->from, "input format (default: detected)");
  cmd->add_option("--htaccess-dir", args->htaccess_dir, "URL path of the .htaccess directory (input and output)");
  cmd->add_option("-o,--output", args->output, "write here (atomically) instead of stdout");
  cmd->add_flag("--pedantic", args->pedantic,
                "report every rule's loss, not one line per kind, and the notes on differences in %-encoding only");
  cmd->add_option("input", args->input, "the rules file")->required();
  add_limit_options(*cmd, args->limits);
  cmd->callback([args, &exit_code] { exit_code = run_convert(*args); });
}

}  // namespace rl::cli
