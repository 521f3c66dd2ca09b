#pragma once
/// Shared by the subcommands: turning command-line paths into parsed RuleSets.
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "checks/config.hpp"
#include "model/model.hpp"
#include "parse/parse.hpp"
#include "util/limits.hpp"

namespace rl::cli {

/// How a directory walk chooses files (check, graph, dump; docs/configuration.md "Walking a folder").
struct WalkOptions {
  bool active = false;               ///< false: paths are read as named (trace, convert, test read one rules file)
  std::vector<std::string> exclude;  ///< --exclude globs (util/glob.hpp), relative to the current folder
  bool no_ignore = false;            ///< --no-ignore: .gitignore (and git's other excludes) not applied
};

/// Options every command that reads rules accepts.
struct InputOptions {
  std::string format;        ///< --format ("" = detect)
  std::string htaccess_dir;  ///< --htaccess-dir ("" = "/")
  Limits limits;             ///< --max-file-bytes ... (util/limits.hpp); unset = the file's config, then the default
  std::string stdin_filename;  ///< --stdin-filename: the path stdin stands for ("" = "<stdin>")
  std::string include_root;    ///< --include-root: includes must resolve inside it ("" = the checked file's directory)
  std::string nginx_prefix;    ///< --nginx-prefix: local copy of nginx's conf directory for relative includes
  std::string config;        ///< the config file whose limits apply ("" = the nearest .redirlint.yaml of each file)
  WalkOptions walk;          ///< set by add_walk_options
};

/// The settings file of each input, each read once: --config when given, else the nearest .redirlint.yaml.
class ConfigCache {
 public:
  explicit ConfigCache(std::string config) : config_(std::move(config)) {}
  /// The config of `path` ("-" = stdin, looked up from the current folder); the defaults when there is none
  /// or it does not load (its errors then reach Loaded::config_errors of the next load_inputs).
  const Config& for_file(const std::string& path);

 private:
  std::string config_;
  std::map<std::string, Config> cache_;
  Config defaults_;
};

/// "{apache,htaccess,...}": the formats the help lists as an option's values (the shell completions read
/// the braces); `writable` leaves out the formats convert cannot write.
std::string format_choices(bool writable = false);
/// True for the formats `convert --to` writes.
bool writable_format(Format f);

/// Adds --format, --htaccess-dir and the limit options to a subcommand.
void add_input_options(CLI::App& cmd, InputOptions& in);
/// Adds --exclude GLOB (repeatable) and --no-ignore, and makes load_inputs walk with them.
void add_walk_options(CLI::App& cmd, InputOptions& in);
/// Adds one `--NAME N` option per limit (util/limits.hpp), in a "Limits" group.
void add_limit_options(CLI::App& cmd, Limits& limits);

/// Converts InputOptions to ParseOptions; false (and a message on stderr) when --format is unknown.
/// The options' per_file hook applies, for each file, its limits: the command line's, else those of
/// the file's .redirlint.yaml (a config with errors gives none: `check` reports them), else the defaults;
/// it also sets the process-wide ones (apply_global_limits), so the last file read sets those.
bool make_parse_options(const InputOptions& in, ParseOptions& out);


struct Loaded {
  std::vector<RuleSet> sets;  ///< one per readable input file, in path order (empty from load_inputs_each)
  std::size_t files_read = 0;  ///< files read: RuleSets made, plus each netlify.toml merged into one
  bool unreadable = false;    ///< some named path could not be read (reported as RL001 in `unreadable_diags`)
  std::vector<Diagnostic> unreadable_diags;
  std::size_t unreadable_files = 0;  ///< named or walked files that could not be read (for the summary's count)
  /// Files in the summary's "in N files": those read (a netlify.toml merged into the `_redirects` set
  /// beside it counts) and those that could not be read.
  std::size_t files_counted() const { return files_read + unreadable_files; }
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

/// Expands directories (recognised names only, sorted; hidden folders, node_modules and build skipped)
/// and parses every file. With `in.walk.active`: files git ignores are left out of a walk (unless
/// --no-ignore; a named file is always read), and --exclude / `exclude:` globs leave out walked and named
/// files alike. The same file reached twice (named twice, through two paths or a symlink) is read once.
/// A path that cannot be read gives an RL001 diagnostic; the next file is still read.
Loaded load_inputs(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files,
                   const InputOptions& in = InputOptions{});

/// What `each` gets: one file's rules, `last` = no file comes after it. `each` returns false to stop.
using EachRuleSet = std::function<bool(RuleSet& rs, bool last)>;

/// load_inputs() one file at a time: each file's RuleSet goes to `each` right after it is parsed and
/// is not kept (`sets` stays empty; `files_read` counts them), so a command that uses one file at a
/// time (check) holds one file's rules, indexes and simulator tables at a time: 10 files of 10^5
/// rules cost about what one does. The texts stay in `files` (diagnostics and fixes quote them).
/// A netlify.toml and the _redirects of its folder are read together and handed over as one set.
Loaded load_inputs_each(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files,
                        const InputOptions& in, const EachRuleSet& each);

}  // namespace rl::cli
