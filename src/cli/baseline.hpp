#pragma once
/// Baseline files (`check --baseline FILE`): the findings a legacy configuration already had, so that
/// only new ones are reported. A finding is known by a fingerprint of its code, file, message and the
/// text of its first line (not the line number), so it stays known when lines above it move.
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/source.hpp"

namespace rl::cli {

/// The fingerprint of `d` (16 hex digits; the same on every machine).
std::string baseline_fingerprint(const Diagnostic& d, const SourceFiles& files);

/// The baseline file's text (JSON, docs/ci.md) for `diags`.
std::string baseline_text(const std::vector<Diagnostic>& diags, const SourceFiles& files);

/// Removes from `diags` the findings that `baseline_json` lists (each listed finding hides one finding with
/// its fingerprint). Returns how many were removed; false with `error` set when the text is not a baseline.
bool apply_baseline(const std::string& baseline_json, std::vector<Diagnostic>& diags, const SourceFiles& files,
                    std::size_t& removed, std::string& error);

}  // namespace rl::cli
