#pragma once
/// Resource limits (issue 9): every bound redirlint puts on hostile input, in one table that drives the
/// command-line options (`--max-line-bytes N`), the `.redirlint.yaml` keys (`max-line-bytes: N`), the
/// docs (docs/configuration.md) and the hint every limit diagnostic ends with.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rl {

enum class LimitId {
  file_bytes,        ///< bytes per file (input or nginx include); larger files are not read
  line_bytes,        ///< bytes per line; a file with a longer line is not read
  rules,             ///< rules per file; rules after this many are not read
  nesting,           ///< block nesting (Apache sections, nginx blocks, YAML collections)
  include_depth,     ///< nginx `include` nesting
  regex_match,       ///< PCRE2 match limit per match (backtracking steps)
  regex_depth,       ///< PCRE2 depth limit per match (nested backtracking)
  automaton_states,  ///< states of one regex automaton; beyond it the regex is not analysed
  pattern_bytes,     ///< bytes of one regex the analysis translates; beyond it the regex is not analysed
};
inline constexpr std::size_t kLimitCount = 9;

/// One limit: its name (the option is `--NAME`, the config key `NAME`), default, accepted range and meaning.
struct LimitInfo {
  LimitId id;
  std::string_view name;
  std::uint64_t default_value, min, max;
  std::string_view what;
};

/// Every limit, in LimitId order.
std::span<const LimitInfo> limit_table();
const LimitInfo& limit_info(LimitId id);
/// The limit named `name` (without `--`), or nullptr.
const LimitInfo* find_limit(std::string_view name);

/// A set of limit values, each unset (= the default) or given.
struct Limits {
  std::array<std::optional<std::uint64_t>, kLimitCount> given{};
  /// The value in force: the given one, else the default.
  std::uint64_t get(LimitId id) const;
  void set(LimitId id, std::uint64_t v) { given[static_cast<std::size_t>(id)] = v; }
  /// Values of `this`, and of `fallback` where this has none.
  Limits or_else(const Limits& fallback) const;
};

/// "limit max-line-bytes is 1048576; raise it with --max-line-bytes or `max-line-bytes:` in .redirlint.yaml":
/// the tail of every diagnostic that reports a limit hit.
std::string limit_hint(LimitId id, std::uint64_t value);

}  // namespace rl
