#pragma once
/// Renderers of vector<Diagnostic>. Each returns the whole text; only cli/ prints it.
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/source.hpp"

namespace rl {

/// gcc style, one line per diagnostic plus `note:` lines: `file:line:col: severity: message [RL201]`.
std::string render_gcc(const std::vector<Diagnostic>& diags, const SourceFiles& files);

/// JSON of DESIGN §7 / docs/json-format.md (version 1). Pretty-printed, stable key order.
std::string render_json(const std::vector<Diagnostic>& diags, const SourceFiles& files);

/// One-line summary: "3 warnings, 1 error in 2 files" ("no problems found in N files").
std::string render_summary(const std::vector<Diagnostic>& diags, std::size_t files_checked);

}  // namespace rl
