#include "checks/lint.hpp"

#include "analysis/automaton.hpp"
#include "analysis/facts.hpp"

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
