#pragma once
/// PCRE2 wrapper: the engine Apache and nginx use. Never std::regex.
/// Matching is bounded (match and depth limits): a catastrophic pattern reports `limit`, never hangs.
/// Case-sensitive patterns of one simple shape (`^literal`, then optionally one repeated class
/// `.` `\d` `\w` `[0-9]` `[^/]` with `*` or `+`, optionally captured, optionally `$`) are matched by a
/// literal test without compiling them (issue 8: most redirect patterns; compiling 100k of them took
/// a fifth of `check`); tests/unit/regex_simple.cpp compares that test with PCRE2 itself.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rl {

struct RegexError {
  std::string message;  ///< PCRE2's own text
  std::size_t offset = 0;  ///< byte offset in the pattern where PCRE2 stopped
};

enum class MatchStatus { match, no_match, limit, error };

/// A successful match: group i is captures[i] (nullopt when the group did not take part).
struct Captures {
  std::vector<std::optional<std::string>> groups;
  std::string group(std::size_t i) const { return i < groups.size() && groups[i] ? *groups[i] : std::string(); }
};

class Regex {
 public:
  /// Compiles `pattern`; on failure returns nullopt and fills `err`. Thread-safe to use once built.
  static std::optional<Regex> compile(std::string_view pattern, bool ignore_case, RegexError* err = nullptr);

  /// Matches `subject` (unanchored unless the pattern anchors itself). Fills `caps` on a match.
  MatchStatus match(std::string_view subject, Captures* caps = nullptr) const;
  bool matches(std::string_view subject) const { return match(subject) == MatchStatus::match; }

  std::uint32_t capture_count() const;
  /// Named groups: (name, number).
  std::vector<std::pair<std::string, int>> names() const;
  const std::string& pattern() const { return pattern_; }

  /// Limits applied to every match (defaults are generous for real configs, tiny for hostile ones).
  static void set_limits(std::uint32_t match_limit, std::uint32_t depth_limit);
  /// The limits in force (as last set).
  static std::uint32_t match_limit();
  static std::uint32_t depth_limit();

 private:
  struct Code;
  struct Simple;
  std::shared_ptr<Code> code_;  ///< pcre2 code, or the simple shape (then no pcre2 code)
  std::string pattern_;
};

/// Escapes `text` so that it matches literally in a PCRE2 pattern.
std::string regex_escape(std::string_view text);

}  // namespace rl
