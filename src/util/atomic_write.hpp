#pragma once
// Atomic file replacement for `convert -o`, `check --fix`, `--baseline` and `--output-file` (issues 9, 20).

#include <string>

namespace rl {

/// Writes `text` to `path` atomically: a temp file in the same directory (mkstemp), fsync, then
/// rename over `path`. The destination is always either the old file or the complete new one, even
/// when the process is killed.
/// - A symbolic link is followed: its final target is replaced and the link stays a link.
/// - An existing file keeps its mode, owner and group (a new one gets 0644 and the caller's ids).
/// - Refused, with `error` naming the path and the reason, and nothing touched: a directory, a
///   file that is not a regular file, a read-only file (no write permission bit, or not writable by
///   the caller), a file whose owner or group cannot be kept.
/// On failure returns false with `error` set and leaves no temp file behind. While the temp file
/// exists, SIGINT / SIGTERM / SIGHUP remove it (see install_interrupt_cleanup()).
bool write_atomically(const std::string& path, const std::string& text, std::string& error);

/// Installs the SIGINT / SIGTERM / SIGHUP handlers (once, from main): a signal removes the temp file
/// write_atomically() has open (if any) and ends the process with 128 + the signal number (130, 143,
/// 129), the shell's convention, so a script sees the interruption and no hidden file is left.
void install_interrupt_cleanup();

}  // namespace rl
