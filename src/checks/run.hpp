#pragma once
/// Running the registered checks over one RuleSet, with suppressions applied.
#include <vector>

#include "checks/registry.hpp"

namespace rl {

/// Selection of codes: empty `select` = all; `ignore` removes. Codes or slugs.
struct Selection {
  std::vector<std::string> select, ignore;
  /// Severity overrides: code -> severity.
  std::vector<std::pair<std::string, Severity>> severity;
  bool enabled(std::string_view code) const;
  Severity severity_of(const Diagnostic& d) const;
};

/// Runs every registered check on `rs` and returns its diagnostics plus the parse diagnostics,
/// with inline suppressions (`disable=` on the rule, `disable-file=`) and `sel` applied. Unsorted.
std::vector<Diagnostic> run_checks(const RuleSet& rs, const SourceFiles& files, const CheckOptions& opts,
                                   const Selection& sel);

}  // namespace rl
