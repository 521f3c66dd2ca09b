#pragma once
/// `.redirlint.yaml`: per-project settings for `redirlint check` (docs/configuration.md).
///
///   select: [RL201, redirect-loop]    # only these codes/slugs (default: all)
///   ignore: [RL104]                    # never these
///   severity: {RL101: error}           # override a code's severity
///   max-hops: 20                       # hop limit when following chains
///   today: 2025-06-30                  # date used for review deadlines (RL103); default: the real date
///   max-line-bytes: 1048576            # any limit of util/limits.hpp, by its name
///   exclude: [vendor/**, "*.bak"]      # files a directory walk (and a named path) leaves out
///   per-path:                          # settings for the files a glob matches
///     "legacy/**": {ignore: [RL104], format: apache, htaccess-dir: /old/}
///   per-file-ignores: {"conf.d/*.conf": [RL101]}   # ruff's spelling of per-path ignore
///
/// The file is found upward from each checked file (its directory, then the parents), unless
/// `--config FILE` names one. Unknown keys and bad values are errors with line:column.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "util/limits.hpp"

namespace rl {

/// Settings for the files one `per-path:` glob (or `per-file-ignores:` glob) matches. Globs are relative
/// to the config file's folder (util/glob.hpp glob_covers).
struct PathSettings {
  std::string glob;
  std::optional<Format> format;  ///< `format:` as --format (the command line wins)
  std::string htaccess_dir;      ///< `htaccess-dir:` as --htaccess-dir ("" = unset; the command line wins)
  std::vector<std::string> select, ignore;
  std::vector<std::pair<std::string, Severity>> severity;
};

struct Config {
  std::string path;  ///< where it was read from ("" = defaults)
  std::vector<std::string> select, ignore;
  std::vector<std::pair<std::string, Severity>> severity;
  std::optional<int> max_hops;
  std::optional<std::string> today;
  Limits limits;  ///< `max-file-bytes: N`, ... (util/limits.hpp); each unset unless the file gives it
  std::vector<std::string> exclude;    ///< `exclude:` globs, relative to the config's folder
  std::vector<PathSettings> per_path;  ///< `per-path:` then `per-file-ignores:` entries, in file order

  /// The folder `exclude` and `per-path` globs are relative to: the config file's own ("" = the current one).
  std::string base_dir() const;
  /// The `exclude:` glob that covers `file` (any path; compared relative to base_dir()), or nullptr.
  const std::string* excluded_by(const std::string& file) const;
  /// The `per-path:` entries whose glob covers `file`, in file order.
  std::vector<const PathSettings*> path_settings(const std::string& file) const;
};

/// A problem in a config file; line and column are 1-based (0 = whole file).
struct ConfigError {
  std::string path;
  std::uint32_t line = 0, column = 0;
  std::string message;
};

/// Parses config text. Returns false when there are errors (all of them are collected).
bool parse_config(std::string_view text, const std::string& path, Config& out, std::vector<ConfigError>& errors);

/// Reads and parses `path`.
bool load_config(const std::string& path, Config& out, std::vector<ConfigError>& errors);

/// The nearest `.redirlint.yaml` in the directory of `file` or above; "" when there is none.
std::string find_config(const std::string& file);


/// "path:line:col: error: message".
std::string to_string(const ConfigError& e);

}  // namespace rl
