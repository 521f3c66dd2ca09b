#pragma once
/// `check --against REV` (issue 22): what a change to the rules does to URLs that redirected before.
/// The same requests (witnesses of every redirect rule of the old rules) are simulated on the rules at
/// REV and on the new rules; a difference is reported only when both answers are known (no proof, no finding).
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"

namespace rl::history {

/// RL501 (permanent redirect removed), RL502 (permanent redirect changed), RL503 (temporary made
/// permanent, info) and RL504 (temporary redirect removed) for `old_rs` (the file at `rev`, its text in
/// `files` under its own FileId) against `new_rs` (the file now; an empty RuleSet when it was deleted).
/// A finding about an old rule points into the old file; one about a new rule, into the new file.
std::vector<Diagnostic> compare_rule_sets(const RuleSet& old_rs, const RuleSet& new_rs, std::string_view rev);

}  // namespace rl::history
