#pragma once
// Atomic file replacement for `convert -o` and `check --fix` (issue 9).

#include <string>

namespace rl {

/// Writes `text` to `path` atomically: a temp file in the same directory (mkstemp), fsync, then
/// rename over `path`. The destination is always either the old file or the complete new one, even
/// when the process is killed; an existing file keeps its permissions (a new one gets 0644). On failure
/// returns false with `error` set and leaves no temp file behind.
bool write_atomically(const std::string& path, const std::string& text, std::string& error);

}  // namespace rl
