#pragma once
/// Diagnostics are data (STYLE.md 4): every stage returns them, only cli/ prints them.
#include <optional>
#include <string>
#include <vector>

#include "model/source.hpp"

namespace rl {

enum class Severity { error, warning, info };
std::string_view to_string(Severity s);
/// Parses "error" / "warning" / "info"; false when unknown.
bool parse_severity(std::string_view text, Severity& out);

/// A place that belongs to a finding: each hop of a chain, the rule that shadows another.
struct Related {
  SourceRange range;
  std::string message;
};

struct Edit {
  SourceRange range;  ///< bytes to replace (end-exclusive); an empty range inserts
  std::string replacement;
};

struct Fix {
  std::string title;
  bool safe = true;  ///< safe fixes are applied by --fix; unsafe ones only with --unsafe-fixes
  std::vector<Edit> edits;
};

/// One response in an example request's path.
struct Hop {
  std::string url;  ///< the URL that was requested for this hop
  int status = 0;
  std::string location;  ///< "" when the response had no Location
};

/// The proof of a finding: a concrete request and what the simulator answered, hop by hop.
struct Example {
  std::string request;  ///< "GET http://example.com/a"
  std::vector<Hop> hops;
};

struct Diagnostic {
  std::string code;  ///< "RL201"; the registry gives slug and default severity
  Severity severity = Severity::warning;
  std::string message;  ///< one line; user values quoted
  SourceRange range;
  std::vector<Related> related;
  std::optional<Example> example;
  std::optional<Fix> fix;
};

/// Makes a diagnostic with the registry's default severity for `code`.
Diagnostic make_diagnostic(std::string_view code, SourceRange range, std::string message);

/// Sorts by (file path, line, column, code, message) and removes exact duplicates (STYLE.md 5).
void sort_diagnostics(std::vector<Diagnostic>& diags, const SourceFiles& files);

}  // namespace rl
