#pragma once
/// Has the author said that a temporary redirect is meant to be temporary? (RL101, RL102, RL104)
#include "model/model.hpp"
#include "model/source.hpp"

namespace rl {

/// The status is written as a word that means temporary: `Redirect temp`, `RedirectTemp`, `[R=temp]`.
bool written_as_temp(const Rule& r);

/// A comment directly above the rule (the lines of comments touching it) whose first word is
/// `temporary`, `temporarily` or `temp` (any case, `:` or `,` may follow): `# Temporary: shop closed`.
bool temporary_comment(const SourceFiles& files, const Rule& r);

/// The redirect is deliberately temporary: a review date (`until`), the word `temp` as its status, or a
/// `# temporary ...` comment above it (docs/checks/RL102.md).
bool says_temporary(const SourceFiles& files, const Rule& r);

}  // namespace rl
