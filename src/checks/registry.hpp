#pragma once
/// THE list of checks (STYLE.md 2). list-checks, explain, config validation, the README table test
/// and the docs-coverage test all read all_checks(); nothing else lists checks.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"

namespace rl {

namespace analysis {
class SharedFacts;
}

/// User settings that change what checks report (from .redirlint.yaml / the command line).
struct CheckOptions {
  std::string today;      ///< YYYY-MM-DD used for review deadlines (RL103); "" = the real date
  int max_hops = 20;      ///< hop limit when following chains
  int chain_min_hops = 2; ///< a request needing this many redirect hops is a chain
  /// Threads for one file's checks: 0 = two when the machine has two cores, 1 = one, 2+ = two.
  int jobs = 0;
};

/// What a check sees. Checks never print and never mutate the model.
struct CheckContext {
  const RuleSet& rules;
  const SourceFiles& files;
  const CheckOptions& options;
  /// Per-RuleSet analysis built once and shared by the checks (run_checks sets it); nullptr: a check
  /// builds its own.
  analysis::SharedFacts* facts = nullptr;
};

/// Collects diagnostics from checks.
class Reporter {
 public:
  void report(Diagnostic d) { diags_.push_back(std::move(d)); }
  std::vector<Diagnostic>& diagnostics() { return diags_; }

 private:
  std::vector<Diagnostic> diags_;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual void run(const CheckContext& ctx, Reporter& out) const = 0;
};

struct CheckInfo {
  std::string_view code;     ///< "RL201"; stable, never reused
  std::string_view slug;     ///< "redirect-chain"
  Severity severity;         ///< default severity
  std::string_view summary;  ///< one line, for list-checks and the README table
  std::unique_ptr<Check> (*factory)();  ///< nullptr for codes reported by parsers/emitters (RL0xx, RL3xx)
};

std::span<const CheckInfo> all_checks();
/// Finds a check by code ("RL201", case-insensitive) or slug ("redirect-chain"); nullptr if unknown.
const CheckInfo* find_check(std::string_view code_or_slug);

}  // namespace rl
