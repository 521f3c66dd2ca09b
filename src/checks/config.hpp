#pragma once
/// `.redirlint.yaml`: per-project settings for `redirlint check` (docs/configuration.md).
///
///   select: [RL201, redirect-loop]    # only these codes/slugs (default: all)
///   ignore: [RL104]                    # never these
///   severity: {RL101: error}           # override a code's severity
///   max-hops: 20                       # hop limit when following chains
///   today: 2025-06-30                  # date used for review deadlines (RL103); default: the real date
///   max-line-bytes: 1048576            # any limit of util/limits.hpp, by its name
///
/// The file is found upward from each checked file (its directory, then the parents), unless
/// `--config FILE` names one. Unknown keys and bad values are errors with line:column.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/diagnostic.hpp"
#include "util/limits.hpp"

namespace rl {

struct Config {
  std::string path;  ///< where it was read from ("" = defaults)
  std::vector<std::string> select, ignore;
  std::vector<std::pair<std::string, Severity>> severity;
  std::optional<int> max_hops;
  std::optional<std::string> today;
  Limits limits;  ///< `max-file-bytes: N`, ... (util/limits.hpp); each unset unless the file gives it
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
