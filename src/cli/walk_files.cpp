#include "cli/walk_files.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "parse/detect.hpp"
#include "parse/parse.hpp"
#include "util/glob.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace rl::cli {

namespace {

// One directory level at a time (not recursive_directory_iterator, which skips an unreadable
// subdirectory in silence or ends the whole walk): every directory that cannot be listed is reported.
void walk_dir(const fs::path& dir, std::vector<std::string>& found, std::vector<WalkError>& errors, int depth) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    errors.push_back({dir.string(), ec.message()});
    return;
  }
  std::vector<fs::path> subdirs;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    std::error_code e2;
    if (it->is_directory(e2)) {
      // Hidden folders, node_modules and build trees are not configuration; a symlinked folder is not
      // followed (it may lead back up the tree).
      bool skip = (name.size() > 1 && name[0] == '.') || name == "node_modules" || name == "build" || it->is_symlink(e2);
      if (!skip) subdirs.push_back(p);
      continue;
    }
    if (!it->is_regular_file(e2) || !is_recognised_name(p.string()) || name == ".redirlint.yaml") continue;
    // A walk meets YAML of every kind (CI workflows, test suites, other tools' maps): read only our rule
    // files. A YAML file named on the command line is always read (and told apart by the parser).
    bool csv = name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0;
    if (name_format(p.string()) == Format::yaml || csv) {
      std::string head;
      int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        head.resize(64 * 1024);
        ssize_t n = ::read(fd, head.data(), head.size());
        head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        ::close(fd);
      }
      // A CSV is read only when it is a Cloudflare Bulk Redirects list (other CSVs are data).
      if (fd >= 0 && !(csv ? looks_like_cloudflare_csv(head) : looks_like_rule_file(head))) continue;  // unreadable: kept, reported
    }
    found.push_back(p.string());
  }
  if (ec) errors.push_back({dir.string(), ec.message()});
  if (depth >= 256) {
    if (!subdirs.empty()) errors.push_back({dir.string(), "folders nested more than 256 deep; not walked"});
    return;
  }
  for (const fs::path& d : subdirs) walk_dir(d, found, errors, depth + 1);
}

/// Runs `git -C dir check-ignore --stdin -z` on `paths` (absolute). Sets `ignored` to those git ignores and
/// returns true; false when `dir` is not in a git work tree or git cannot be run (nothing is ignored then).
/// Tracked files are never ignored (git's rule). stdin is a temporary file: no pipe can fill up both ways.
bool git_ignored(const std::string& dir, const std::vector<std::string>& paths, std::set<std::string>& ignored,
                 std::string& why) {
  char in_name[] = "/tmp/redirlint-walk-XXXXXX";
  int in_fd = ::mkstemp(in_name);
  if (in_fd < 0) return why = "cannot create a temporary file", false;
  ::unlink(in_name);
  std::string list;
  for (const std::string& p : paths) list += p + '\0';
  for (std::size_t off = 0; off < list.size();) {
    ssize_t n = ::write(in_fd, list.data() + off, list.size() - off);
    if (n <= 0) return ::close(in_fd), why = "cannot write a temporary file", false;
    off += static_cast<std::size_t>(n);
  }
  ::lseek(in_fd, 0, SEEK_SET);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return ::close(in_fd), why = "cannot create a pipe", false;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {"git", "-C", dir, "check-ignore", "--stdin", "-z"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  ::close(in_fd);
  std::string text;
  if (rc == 0) {
    char buf[65536];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      text.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(out[0]);
  if (rc != 0) return why = "git cannot be run", false;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // 0: some paths ignored, 1: none; 128: not a work tree (or a path git will not answer for).
  if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1))
    return why = "not in a git work tree", false;
  for (std::size_t b = 0; b < text.size();) {
    std::size_t e = text.find('\0', b);
    if (e == std::string::npos) e = text.size();
    if (e > b) ignored.insert(text.substr(b, e - b));
    b = e + 1;
  }
  return true;
}

// Leaves out of `found` (walked below `root`) the files git ignores; walk errors of ignored folders too.
void drop_git_ignored(const std::string& root, std::vector<std::string>& found, std::vector<WalkError>& errors,
                      std::vector<std::string>& notes) {
  std::error_code ec;
  std::string abs_root = fs::absolute(root, ec).lexically_normal().string();
  std::vector<std::string> query = {abs_root};
  auto absolute = [&](const std::string& p) { return fs::absolute(p, ec).lexically_normal().string(); };
  for (const std::string& f : found) query.push_back(absolute(f));
  for (const WalkError& e : errors) query.push_back(absolute(e.path));
  std::set<std::string> ignored;
  std::string why;
  if (!git_ignored(abs_root, query, ignored, why)) {
    if (why != "not in a git work tree") notes.push_back(root + ": " + why + "; .gitignore not applied");
    return;
  }
  if (ignored.count(abs_root)) return;  // a folder git ignores, named on the command line: walked whole
  auto gone = [&](const std::string& p) { return ignored.count(absolute(p)) > 0; };
  found.erase(std::remove_if(found.begin(), found.end(), gone), found.end());
  errors.erase(std::remove_if(errors.begin(), errors.end(), [&](const WalkError& e) { return gone(e.path); }),
               errors.end());
}

// The glob that leaves `file` out: an --exclude glob, else an `exclude:` glob of its config; nullptr = none.
const std::string* exclude_glob(const std::string& file, const WalkOptions& w, ConfigCache& configs,
                                std::string& where) {
  for (const std::string& g : w.exclude)
    if (glob_covers_file(g, file, "")) return where = "--exclude", &g;
  const Config& c = configs.for_file(file);
  if (const std::string* g = c.excluded_by(file)) return where = "exclude: in " + c.path, g;
  return nullptr;
}

}  // namespace

Expanded expand_paths(const std::vector<std::string>& paths, const WalkOptions& w, ConfigCache& configs) {
  Expanded out;
  std::set<std::string> seen;  // real paths
  auto keep = [&](const std::string& p) {
    std::error_code ec;
    fs::path real = fs::weakly_canonical(p, ec);
    if (!seen.insert(ec ? p : real.string()).second) return;
    out.files.push_back(p);
  };
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p == "-") {
      out.files.push_back(p);
      continue;
    }
    if (!fs::is_directory(p, ec)) {
      std::string where;
      if (w.active)
        if (const std::string* g = exclude_glob(p, w, configs, where)) {
          out.notes.push_back(p + ": not checked: excluded by " + where + " \"" + *g + "\"");
          continue;
        }
      keep(p);
      continue;
    }
    std::vector<std::string> found;
    std::vector<WalkError> errors;
    walk_dir(p, found, errors, 0);
    if (w.active && !w.no_ignore) drop_git_ignored(p, found, errors, out.notes);
    std::sort(found.begin(), found.end());
    // A symlinked file whose target the walk reaches by its own name is that file: report the real name.
    std::set<std::string> real_files;
    for (const std::string& f : found)
      if (!fs::is_symlink(f, ec)) real_files.insert(fs::weakly_canonical(f, ec).string());
    for (const std::string& f : found) {
      if (fs::is_symlink(f, ec) && real_files.count(fs::weakly_canonical(f, ec).string())) continue;
      std::string where;
      if (!w.active || !exclude_glob(f, w, configs, where)) {
        keep(f);
        out.root_of.emplace(f, p);
      }
    }
    out.errors.insert(out.errors.end(), errors.begin(), errors.end());
  }
  return out;
}

}  // namespace rl::cli
