#pragma once
/// Applying the fixes carried by diagnostics (`redirlint check --fix / --unsafe-fixes / --diff`).
#include <map>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/source.hpp"
#include "util/atomic_write.hpp"  // write_atomically, used with apply_fixes

namespace rl {

struct FixResult {
  std::map<FileId, std::string> texts;  ///< new content of every changed file
  std::vector<bool> applied;            ///< per diagnostic: its fix was applied
};

/// Applies safe fixes (and unsafe ones when `unsafe`) to the loaded texts. A fix whose edits overlap
/// an edit already taken is skipped (unsafe fixes are taken first: they are the stronger ones).
FixResult apply_fixes(const std::vector<Diagnostic>& diags, const SourceFiles& files, bool unsafe);

/// A unified diff (3 lines of context) between two texts of `path`; "" when equal.
std::string unified_diff(const std::string& path, const std::string& before, const std::string& after);

}  // namespace rl
