#pragma once
/// What the commands that report findings share (check, site): --select/--ignore codes and --fix.
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/source.hpp"

namespace rl::cli {

/// "RL101,RL102" arguments (possibly repeated) into one list of codes.
std::vector<std::string> split_codes(const std::vector<std::string>& args);
/// True when every code is a registered code or slug; else a message (with the nearest name) on stderr.
bool known_codes(const std::vector<std::string>& codes);
/// --fix / --unsafe-fixes (`unsafe`) / --diff: applies the fixes of `diags` to their files (or prints them
/// as a diff); the fixed diagnostics are removed from `diags`; `changed` when some file text changed.
/// Returns false when a file could not be written.
bool handle_fixes(bool unsafe, bool diff, std::vector<Diagnostic>& diags, const SourceFiles& files, bool& changed);

/// The exit code of a command that reported `diags` (DESIGN §7): 2 with unreadable input, else 1 when a
/// finding is at or above `fail` (never with `never_fail`), else 0.
int findings_exit(bool bad_input, bool never_fail, Severity fail, const std::vector<Diagnostic>& diags);

}  // namespace rl::cli
