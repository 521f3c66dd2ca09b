#pragma once
/// Shared by the subcommands: turning command-line paths into parsed RuleSets.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "parse/parse.hpp"

namespace rl::cli {

/// Options every command that reads rules accepts.
struct InputOptions {
  std::string format;        ///< --format ("" = detect)
  std::string htaccess_dir;  ///< --htaccess-dir ("" = "/")
};

/// Adds --format and --htaccess-dir to a subcommand.
void add_input_options(CLI::App& cmd, InputOptions& in);

/// Converts InputOptions to ParseOptions; false (and a message on stderr) when --format is unknown.
bool make_parse_options(const InputOptions& in, ParseOptions& out);

struct Loaded {
  std::vector<RuleSet> sets;  ///< one per readable input file, in path order
  bool unreadable = false;    ///< some named path could not be read (reported as RL001 in `unreadable_diags`)
  std::vector<Diagnostic> unreadable_diags;
};

/// Expands directories (recognised names only, sorted, hidden folders skipped) and parses every file.
/// A path that cannot be read gives an RL001 diagnostic; the next file is still read.
Loaded load_inputs(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files);

}  // namespace rl::cli
