#pragma once
/// Turning the paths of a command line into the files to read: folders walked, git's ignore rules and
/// the exclude globs applied, each file once (docs/configuration.md "Walking a folder").
#include <map>
#include <string>
#include <vector>

#include "cli/inputs.hpp"

namespace rl::cli {

/// A directory that could not be listed during a walk, and why.
struct WalkError {
  std::string path, why;
};

struct Expanded {
  std::vector<std::string> files;  ///< in command-line order, each folder's files sorted; "-" kept as is
  std::vector<WalkError> errors;
  std::vector<std::string> notes;  ///< for stderr: a named file left out by an exclude, git not answering
  std::map<std::string, std::string> root_of;  ///< a file found by walking a folder -> that folder as named
};

/// Walks the folders of `paths` (recognised names only; hidden folders, node_modules and build skipped;
/// symlinked folders not followed). With `w.active`: a walked file git ignores is left out (not with
/// `w.no_ignore`; not when the walked folder itself is ignored: it was named), and a walked or named file
/// that an --exclude glob (relative to the current folder) or an `exclude:` glob of its config (relative to
/// the config's folder) covers is left out. A file reached twice (same real path) is kept once, first seen.
Expanded expand_paths(const std::vector<std::string>& paths, const WalkOptions& w, ConfigCache& configs);

}  // namespace rl::cli
