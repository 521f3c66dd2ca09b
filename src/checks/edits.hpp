#pragma once
/// Text edits that fixes share: changing a rule's status code in its own syntax, replacing its
/// target, deleting it. Each returns nullopt when the source text is not in a shape we can edit
/// safely (then the diagnostic carries no fix).
#include <optional>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "model/source.hpp"

namespace rl {

/// Rewrites the rule's status as `status` in the rule's own syntax (`Redirect 301`, `[R=301]`,
/// `return 301`, `permanent`, `_redirects` status column, YAML `status:`).
std::optional<Edit> status_edit(const SourceFiles& files, const Rule& r, int status);

/// Replaces the rule's target text with `target` (written as-is); only when the target appears once,
/// literally, on the rule's first line.
std::optional<Edit> target_edit(const SourceFiles& files, const Rule& r, std::string_view old_target,
                                std::string_view target);

/// Deletes the rule's whole lines (and its conditions' lines); only when nothing else shares them.
std::optional<Edit> delete_rule_edit(const SourceFiles& files, const RuleSet& rs, const Rule& r);

/// The permanent code for a temporary one: 307 -> 308, others -> 301.
int permanent_counterpart(int status);

}  // namespace rl
