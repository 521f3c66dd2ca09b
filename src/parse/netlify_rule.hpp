#pragma once
/// The Netlify rule builder shared by the two files Netlify reads its redirects from: `_redirects`
/// lines (parse/netlify.cpp) and netlify.toml `[[redirects]]` tables (parse/netlify_toml.cpp). Both
/// have the same semantics (Netlify docs "Redirects and rewrites"): each front end gathers the
/// written fields with their ranges, this builds the model rule (or reports why not).
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "parse/parse.hpp"

namespace rl::netlify_rule {

/// One written value and where it is.
struct Field {
  std::string text;
  SourceRange where;
};

struct Fields {
  Field from;                  ///< path or domain-level URL
  std::vector<Field> query;    ///< `key=value` query matches (`id=:id` or `id=literal`)
  std::optional<Field> to;     ///< destination; nullopt = not written
  SourceRange after_from;      ///< where a missing destination is reported
  std::optional<Field> status; ///< digits as written, `!` (force) included in `_redirects`
  bool force = false;          ///< netlify.toml `force = true`
  std::vector<Field> conds;    ///< `Key=v1,v2` conditions (Country, Language, Role, Cookie)
  SourceRange where;           ///< the whole rule
  std::string original;        ///< its source text
  std::vector<std::string> comments;  ///< comment lines directly above
  std::string note;            ///< trailing comment text (not a redirlint annotation)
  bool junk = false;           ///< the front end reported unexpected tokens (no "missing destination" then)
};

/// Cloudflare Pages' per-file counts (RL007 is reported once, at the first rule past a limit).
struct Counters {
  std::size_t static_rules = 0, dynamic_rules = 0;
};

/// Adds the rule `f` describes to `rs` (Origin{format, directive}), or its RL0xx diagnostics only.
/// `ok` = false: the front end already found an error in this rule; it is reported, not added.
/// The Cloudflare Pages limits (RL007) are checked for Format::netlify only (Pages reads no netlify.toml).
void add_rule(const Fields& f, Format format, std::string_view directive, const ParseOptions& opts, Counters& counters,
              RuleSet& rs, bool ok = true);

}  // namespace rl::netlify_rule
