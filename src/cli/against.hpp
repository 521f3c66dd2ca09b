#pragma once
/// `check --against REV [--staged]` (issue 22, docs/history.md): the rules of each checked file at a git
/// revision, read with the `git` binary (`git show REV:./file`), compared with the rules now
/// (history/against.hpp).
#include <string>
#include <vector>

#include "cli/inputs.hpp"

namespace rl::cli {

struct AgainstOptions {
  std::string rev;      ///< --against: any revision git understands ("" = not asked)
  bool staged = false;  ///< --staged: the new side is the index (git add), not the working tree
};

/// With `opts.staged`, replaces every loaded file by its staged version (a file git does not track is
/// kept as it is), so that both lint and comparison see what is about to be committed.
/// False + `error` when a file's folder is not in a git work tree.
bool load_staged(Loaded& in, SourceFiles& files, const ParseOptions& popts, std::string& error);

/// The RL5xx diagnostics of every loaded file against its version at `opts.rev`, and of every file that
/// existed at REV under a named path or folder and exists no more (all its rules removed). A file new
/// since REV has nothing to compare. False + `error` when REV is not a commit or a path is outside git.
/// `unknown`: named paths that exist neither in the work tree nor at REV.
bool against_diagnostics(const AgainstOptions& opts, const std::vector<std::string>& paths, const Loaded& in,
                         SourceFiles& files, const ParseOptions& popts, std::vector<Diagnostic>& out,
                         std::vector<std::string>& unknown, std::string& error);

/// Moves the paths of `paths` that do not exist on disk to `missing` ("-" stays).
void split_missing(std::vector<std::string>& paths, std::vector<std::string>& missing);

}  // namespace rl::cli
