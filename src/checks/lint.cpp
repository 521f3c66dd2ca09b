#include "checks/lint.hpp"

#include "analysis/automaton.hpp"
#include "analysis/facts.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

// Regexes too large for the automata (max-pattern-bytes, max-automaton-states) get no shadowing or
// chain claims: say so (RL006, info) rather than stay silent. Other untranslatable regexes
// (back-references, look-around) are a known boundary of the analysis, not a limit hit.
void report_unanalysed(RuleSet& rs) {
  analysis::AutomatonLimits lim = analysis::AutomatonLimits::current();
  for (const Rule& r : rs.rules) {
    if (r.match.kind != MatchKind::regex) continue;
    std::string why;
    if (analysis::Language::from_pcre(r.match.text, r.match.ignore_case, &why, lim) ||
        (why != "pattern too long" && why != "automaton too large"))
      continue;
    bool too_long = why == "pattern too long";
    std::string shown = r.match.text.size() > 40 ? r.match.text.substr(0, 40) + "..." : r.match.text;
    rs.parse_diags.push_back(make_diagnostic(
        "RL006", r.where,
        "regex " + analysis::quoted(shown) + " is too " + (too_long ? "long" : "complex") +
            " to analyse: no shadowing, duplicate or chain finding covers this rule (" +
            (too_long ? limit_hint(LimitId::pattern_bytes, lim.max_pattern_bytes)
                      : limit_hint(LimitId::automaton_states, lim.max_states)) +
            ")"));
  }
}

}  // namespace

void apply_parse_limits(const Limits& l, ParseOptions& out) {
  out.max_file_bytes = l.get(LimitId::file_bytes);
  out.max_line_bytes = l.get(LimitId::line_bytes);
  out.max_rules = l.get(LimitId::rules);
  out.max_depth = static_cast<int>(l.get(LimitId::nesting));
  out.max_include_depth = static_cast<int>(l.get(LimitId::include_depth));
}

void apply_global_limits(const Limits& l) {
  Regex::set_limits(static_cast<std::uint32_t>(l.get(LimitId::regex_match)),
                    static_cast<std::uint32_t>(l.get(LimitId::regex_depth)));
  analysis::AutomatonLimits::set_current(l.get(LimitId::pattern_bytes), l.get(LimitId::automaton_states));
}

void apply_file_settings(const Config& c, const std::string& file, const Limits& given, bool format_given,
                         bool dir_given, ParseOptions& o) {
  Limits l = given.or_else(c.limits);
  apply_parse_limits(l, o);
  apply_global_limits(l);
  for (const PathSettings* ps : c.path_settings(file)) {
    if (ps->format && !format_given) o.format = ps->format;
    if (!ps->htaccess_dir.empty() && !dir_given) o.htaccess_dir = normalise_dir(ps->htaccess_dir);
  }
}

void Linter::parse_options_for(const std::string& file, bool dir_given, ParseOptions& o) {
  Config c;
  std::vector<ConfigError> errors;
  if (!config_for(file, c, errors)) c = Config{};
  apply_file_settings(c, file, Limits{}, o.format.has_value(), dir_given, o);
}

bool Linter::config_for(const std::string& file, Config& out, std::vector<ConfigError>& errors) {
  std::string path = overrides_.no_config ? std::string() : overrides_.config.empty() ? find_config(file) : overrides_.config;
  if (path.empty()) {
    out = Config{};
    return true;
  }
  if (auto it = configs_.find(path); it != configs_.end()) {
    out = it->second;
    return true;
  }
  Config c;
  if (!load_config(path, c, errors)) return false;
  out = configs_[path] = c;
  return true;
}

bool Linter::settings_for(const std::string& file, Selection& sel, CheckOptions& opts,
                          std::vector<ConfigError>& errors) {
  Config c;
  if (!config_for(file, c, errors)) return false;
  sel.select = overrides_.select.empty() ? c.select : overrides_.select;
  sel.ignore = c.ignore;
  sel.ignore.insert(sel.ignore.end(), overrides_.ignore.begin(), overrides_.ignore.end());
  sel.severity = c.severity;
  // `per-path:` entries that cover the file, in file order: a later entry's select and severity win; the
  // command line's --select wins over all of them.
  for (const PathSettings* ps : c.path_settings(file)) {
    if (!ps->select.empty() && overrides_.select.empty()) sel.select = ps->select;
    sel.ignore.insert(sel.ignore.end(), ps->ignore.begin(), ps->ignore.end());
    sel.severity.insert(sel.severity.begin(), ps->severity.begin(), ps->severity.end());
  }
  opts.today = !overrides_.today.empty() ? overrides_.today : c.today.value_or("");
  if (c.max_hops) opts.max_hops = *c.max_hops;
  opts.jobs = overrides_.jobs;
  return true;
}

bool Linter::lint(RuleSet& rs, const SourceFiles& files, const std::string& path, std::vector<Diagnostic>& out,
                  std::vector<ConfigError>& errors) {
  Selection sel;
  CheckOptions opts;
  if (!settings_for(path, sel, opts, errors)) return false;
  // Asks the automaton builder about every regex rule: only worth it when RL006 can be reported.
  if (sel.enabled("RL006")) report_unanalysed(rs);
  out = run_checks(rs, files, opts, sel);
  return true;
}

}  // namespace rl
