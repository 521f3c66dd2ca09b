#include "model/diagnostic.hpp"

#include <algorithm>
#include <tuple>

#include "checks/registry.hpp"

namespace rl {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
  }
  return "?";
}

bool parse_severity(std::string_view t, Severity& out) {
  if (t == "error") out = Severity::error;
  else if (t == "warning") out = Severity::warning;
  else if (t == "info") out = Severity::info;
  else return false;
  return true;
}

Diagnostic make_diagnostic(std::string_view code, SourceRange range, std::string message) {
  Diagnostic d;
  d.code = std::string(code);
  const CheckInfo* info = find_check(code);
  d.severity = info ? info->severity : Severity::error;
  d.range = range;
  d.message = std::move(message);
  return d;
}

void sort_diagnostics(std::vector<Diagnostic>& diags, const SourceFiles& files) {
  static const std::string kNoFile;
  auto key = [&](const Diagnostic& d) {
    const std::string& p = d.range.file < files.size() ? files.path(d.range.file) : kNoFile;
    return std::tie(p, d.range.line, d.range.column, d.code, d.message);
  };
  std::stable_sort(diags.begin(), diags.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  diags.erase(std::unique(diags.begin(), diags.end(),
                          [&](const Diagnostic& a, const Diagnostic& b) {
                            return key(a) == key(b) && a.range == b.range;
                          }),
              diags.end());
}

}  // namespace rl
