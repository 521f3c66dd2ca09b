#include "checks/run.hpp"

#include "analysis/shared_facts.hpp"

#include <algorithm>
#include <map>

namespace rl {

namespace {

std::string canonical(std::string_view code) {
  const CheckInfo* c = find_check(code);
  return c ? std::string(c->code) : std::string(code);
}

bool contains(const std::vector<std::string>& v, std::string_view code) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return canonical(s) == code; });
}

}  // namespace

bool Selection::enabled(std::string_view code) const {
  if (!select.empty() && !contains(select, code)) return false;
  return !contains(ignore, code);
}

Severity Selection::severity_of(const Diagnostic& d) const {
  for (const auto& [code, sev] : severity)
    if (canonical(code) == d.code) return sev;
  return d.severity;
}

std::vector<Diagnostic> run_checks(const RuleSet& rs, const SourceFiles& files, const CheckOptions& opts,
                                   const Selection& sel) {
  Reporter out;
  for (const Diagnostic& d : rs.parse_diags) out.report(d);
  analysis::SharedFacts facts(rs);
  CheckContext ctx{rs, files, opts, &facts};
  for (const CheckInfo& info : all_checks()) {
    if (!info.factory || !sel.enabled(info.code)) continue;
    info.factory()->run(ctx, out);
  }
  // Inline suppressions: by the rule whose first line the diagnostic starts on.
  std::map<std::pair<FileId, std::uint32_t>, const std::vector<std::string>*> by_line;
  for (const Rule& r : rs.rules)
    if (!r.notes->disabled.empty()) by_line[{r.where.file, r.where.line}] = &r.notes->disabled;
  std::vector<Diagnostic> result;
  for (Diagnostic& d : out.diagnostics()) {
    if (!sel.enabled(d.code) || contains(rs.file_disabled, d.code)) continue;
    auto it = by_line.find({d.range.file, d.range.line});
    if (it != by_line.end() && contains(*it->second, d.code)) continue;
    d.severity = sel.severity_of(d);
    result.push_back(std::move(d));
  }
  return result;
}

}  // namespace rl
