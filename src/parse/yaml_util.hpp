#pragma once
/// Helpers shared by the two file-rules parsers (YAML rule files and `_redirects`): both turn a
/// user-written path into the model's decoded match text and a user-written URL into a Target template.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace rl::file_rules {

/// A file-rules RuleSet for file `id` filled by `read(rs)`. An exception escaping `read` (memory
/// exhausted on hostile input: the readers themselves report errors as diagnostics) becomes RL001.
template <typename Read>
RuleSet read_rule_file(const SourceFiles& files, FileId id, Format format, Read&& read) {
  RuleSet rs;
  rs.format = format;
  rs.context = Context::file_rules;
  rs.file = id;
  rs.files.push_back(id);
  try {
    read(rs);
  } catch (const std::exception& e) {
    rs.parse_diags.push_back(make_diagnostic("RL001", files.range(id, 0, 0), std::string("cannot read the file: ") + e.what()));
  }
  return rs;
}

/// Decodes %XX escapes (hex either case). A '%' not followed by two hex digits is kept as written.
std::string percent_decode(std::string_view in);

/// Escapes `$` and `%` as `$$` / `%%` so that `text` reads literally in a Target template (model.hpp).
std::string template_literal(std::string_view text);

/// The known name nearest to `word` by edit distance (case-insensitive), or "" when none is close
/// enough to be a plausible misspelling (distance <= max(1, size/3)).
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& known);

/// True for a real calendar date written YYYY-MM-DD (leap years included).
bool valid_iso_date(std::string_view d);

/// Splits "http(s)://host[:port]/path" into scheme (lower-cased), host (lower-cased, port kept) and path
/// ("/" when empty). False when `url` does not start with http:// or https://.
bool split_url(std::string_view url, std::string& scheme, std::string& host, std::string& path);

/// How many times `needle` occurs in `text` (to reserve RuleSet::rules once: growing a vector of 1M
/// rules by doubling holds both copies at the peak).
std::size_t count_occurrences(std::string_view text, std::string_view needle);

/// Lower-cases ASCII letters.
std::string ascii_lower(std::string_view s);

}  // namespace rl::file_rules
