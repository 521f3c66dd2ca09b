#pragma once
/// Shared by the subcommands: turning command-line paths into parsed RuleSets.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "checks/config.hpp"
#include "model/model.hpp"
#include "parse/parse.hpp"
#include "util/limits.hpp"

namespace rl::cli {

/// Options every command that reads rules accepts.
struct InputOptions {
  std::string format;        ///< --format ("" = detect)
  std::string htaccess_dir;  ///< --htaccess-dir ("" = "/")
  Limits limits;             ///< --max-file-bytes ... (util/limits.hpp); unset = the file's config, then the default
  std::string stdin_filename;  ///< --stdin-filename: the path stdin stands for ("" = "<stdin>")
  std::string include_root;    ///< --include-root: includes must resolve inside it ("" = the checked file's directory)
  std::string nginx_prefix;    ///< --nginx-prefix: local copy of nginx's conf directory for relative includes
  std::string config;        ///< the config file whose limits apply ("" = the nearest .redirlint.yaml of each file)
};

/// Adds --format, --htaccess-dir and the limit options to a subcommand.
void add_input_options(CLI::App& cmd, InputOptions& in);
/// Adds one `--NAME N` option per limit (util/limits.hpp), in a "Limits" group.
void add_limit_options(CLI::App& cmd, Limits& limits);

/// Converts InputOptions to ParseOptions; false (and a message on stderr) when --format is unknown.
/// The options' per_file hook applies, for each file, its limits: the command line's, else those of
/// the file's .redirlint.yaml (a config with errors gives none: `check` reports them), else the defaults;
/// it also sets the process-wide ones (apply_global_limits), so the last file read sets those.
bool make_parse_options(const InputOptions& in, ParseOptions& out);

/// Sets the limits of `l` that live in ParseOptions (file, line, rules, nesting, include depth).
void apply_parse_limits(const Limits& l, ParseOptions& out);
/// Sets the process-wide limits of `l`: PCRE2 match/depth (Regex::set_limits) and automaton size.
void apply_global_limits(const Limits& l);

struct Loaded {
  std::vector<RuleSet> sets;  ///< one per readable input file, in path order (empty from load_inputs_each)
  std::size_t files_read = 0;  ///< RuleSets made (sets.size() for load_inputs)
  bool unreadable = false;    ///< some named path could not be read (reported as RL001 in `unreadable_diags`)
  std::vector<Diagnostic> unreadable_diags;
  /// A .redirlint.yaml that applies to an input (or --config) and does not load: its errors. Commands
  /// report them and exit 3 (usage), as `check` does, instead of running with the defaults.
  std::vector<ConfigError> config_errors;
};

/// Prints `in.config_errors` on stderr; true when there were any (the command should exit kExitUsage).
bool report_config_errors(const Loaded& in);

/// Ends the life of `in` the way a command about to exit should: in normal builds its rules are
/// handed to the end of the process without being destroyed (freeing 10^6 rules one by one costs
/// ~15% of a run, and the process ends next); in sanitizer builds they are freed here, so that the
/// leak checker still runs on them. Declare one right after the Loaded: `DisposeAtExit keep{in};`.
class DisposeAtExit {
 public:
  explicit DisposeAtExit(Loaded& in) : in_(in) {}
  DisposeAtExit(const DisposeAtExit&) = delete;
  DisposeAtExit& operator=(const DisposeAtExit&) = delete;
  ~DisposeAtExit();

 private:
  Loaded& in_;
};

/// Expands directories (recognised names only, sorted, hidden folders skipped) and parses every file.
/// A path that cannot be read gives an RL001 diagnostic; the next file is still read.
Loaded load_inputs(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files);

/// What `each` gets: one file's rules, `last` = no file comes after it. `each` returns false to stop.
using EachRuleSet = std::function<bool(RuleSet& rs, bool last)>;

/// load_inputs() one file at a time: each file's RuleSet goes to `each` right after it is parsed and
/// is not kept (`sets` stays empty; `files_read` counts them), so a command that uses one file at a
/// time (check) holds one file's rules, indexes and simulator tables at a time: 10 files of 10^5
/// rules cost about what one does. The texts stay in `files` (diagnostics and fixes quote them).
Loaded load_inputs_each(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files,
                        const EachRuleSet& each);

}  // namespace rl::cli
