#include "cli/against.hpp"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "history/against.hpp"

extern char** environ;

namespace rl::cli {

namespace {

namespace fs = std::filesystem;

/// Runs `git -C dir ARGS...`; its stdout (at most `max_bytes`) in `out`, its stderr discarded.
/// Returns git's exit status (-1 when it could not be started or its output was too large).
int run_git(const std::string& dir, const std::vector<std::string>& args, std::string& out, std::size_t max_bytes) {
  out.clear();
  int pipefd[2];
  if (pipe(pipefd) != 0) return -1;
  posix_spawn_file_actions_t acts;
  posix_spawn_file_actions_init(&acts);
  posix_spawn_file_actions_adddup2(&acts, pipefd[1], 1);
  posix_spawn_file_actions_addclose(&acts, pipefd[0]);
  posix_spawn_file_actions_addclose(&acts, pipefd[1]);
  posix_spawn_file_actions_addopen(&acts, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> all = {"git", "-C", dir.empty() ? "." : dir};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &acts, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&acts);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    return -1;
  }
  bool too_large = false;
  char buf[65536];
  for (;;) {
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) too_large = true;
    if (!too_large) out.append(buf, static_cast<std::size_t>(n));
  }
  close(pipefd[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (too_large) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string dir_of(const std::string& path) {
  fs::path p(path);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

std::string base_of(const std::string& path) { return fs::path(path).filename().string(); }

/// The blob of `path` at `spec` ("REV:" or ":" for the index); false when git has no such file there.
bool git_blob(const std::string& spec, const std::string& path, std::string& text, std::size_t max_bytes) {
  return run_git(dir_of(path), {"show", spec + "./" + base_of(path)}, text, max_bytes) == 0;
}

RuleSet parse_text(SourceFiles& files, const std::string& shown, const std::string& real_path, std::string text,
                   const ParseOptions& popts, std::optional<Format> format) {
  ParseOptions o = popts;
  if (popts.per_file) popts.per_file(real_path, o);
  if (!o.format) {
    Format f;
    if (format) o.format = format;
    else if (detect_format(real_path, text, f)) o.format = f;
  }
  FileId id = files.add(shown, std::move(text));
  return parse_file(files, id, o);
}

/// Files at REV under a named folder (or a named file) that exist no more in the work tree.
std::vector<std::string> deleted_since(const std::string& rev, const std::string& path) {
  std::string listing;
  std::error_code ec;
  bool is_dir = fs::is_directory(path, ec);
  if (!is_dir && fs::exists(path, ec)) return {};
  const std::string dir = is_dir ? path : dir_of(path);
  const std::string what = is_dir ? "." : base_of(path);
  if (run_git(dir, {"ls-tree", "-r", "--name-only", rev, "--", what}, listing, 64u << 20) != 0) return {};
  std::vector<std::string> gone;
  std::size_t b = 0;
  while (b < listing.size()) {
    std::size_t e = listing.find('\n', b);
    if (e == std::string::npos) e = listing.size();
    std::string rel = listing.substr(b, e - b);
    b = e + 1;
    if (rel.empty()) continue;
    std::string full = (fs::path(dir) / rel).lexically_normal().string();
    if (fs::exists(full, ec)) continue;
    if (is_dir && !is_recognised_name(full)) continue;
    gone.push_back(full);
  }
  return gone;
}

}  // namespace

bool load_staged(Loaded& in, SourceFiles& files, const ParseOptions& popts, std::string& error) {
  for (RuleSet& rs : in.sets) {
    const std::string path = files.path(rs.file);
    std::string probe;
    if (run_git(dir_of(path), {"rev-parse", "--is-inside-work-tree"}, probe, 4096) != 0) {
      error = "--staged: \"" + path + "\" is not in a git work tree";
      return false;
    }
    std::string text;
    if (!git_blob(":", path, text, popts.max_file_bytes)) continue;  // not tracked: as it is on disk
    if (text == files.get(rs.file).text) continue;
    rs = parse_text(files, path, path, std::move(text), popts, rs.format);
  }
  return true;
}

bool against_diagnostics(const AgainstOptions& opts, const std::vector<std::string>& paths, const Loaded& in,
                         SourceFiles& files, const ParseOptions& popts, std::vector<Diagnostic>& out,
                         std::vector<std::string>& unknown, std::string& error) {
  std::set<std::string> checked_dirs;
  auto check_rev = [&](const std::string& dir) {
    if (!checked_dirs.insert(dir).second) return true;
    std::string probe;
    if (run_git(dir, {"rev-parse", "--verify", "--quiet", opts.rev + "^{commit}"}, probe, 4096) == 0) return true;
    error = "--against: \"" + opts.rev + "\" is not a commit of the git repository of \"" + dir + "\"";
    return false;
  };
  const std::string label = "@" + opts.rev;
  for (const RuleSet& now : in.sets) {
    const std::string path = files.path(now.file);
    if (path == "-" || path == "<stdin>" || !check_rev(dir_of(path))) {
      if (error.empty()) error = "--against: stdin has no history; name the file";
      return false;
    }
    std::string text;
    if (!git_blob(opts.rev + ":", path, text, popts.max_file_bytes)) continue;  // new since REV
    RuleSet then = parse_text(files, path + label, path, std::move(text), popts, now.format);
    std::vector<Diagnostic> ds = history::compare_rule_sets(then, now, opts.rev);
    out.insert(out.end(), ds.begin(), ds.end());
  }
  for (const std::string& p : paths) {
    if (p == "-") continue;
    std::error_code ec;
    std::vector<std::string> gone_files = deleted_since(opts.rev, p);
    if (gone_files.empty() && !fs::exists(p, ec)) unknown.push_back(p);
    for (const std::string& gone : gone_files) {
      if (!check_rev(dir_of(gone))) return false;
      std::string text;
      if (!git_blob(opts.rev + ":", gone, text, popts.max_file_bytes)) continue;
      RuleSet then = parse_text(files, gone + label, gone, std::move(text), popts, std::nullopt);
      RuleSet none;
      none.format = then.format;
      none.context = then.context;
      none.dir = then.dir;
      none.file = files.add(gone, "");
      none.files.push_back(none.file);
      std::vector<Diagnostic> ds = history::compare_rule_sets(then, none, opts.rev);
      out.insert(out.end(), ds.begin(), ds.end());
    }
  }
  return true;
}

void split_missing(std::vector<std::string>& paths, std::vector<std::string>& missing) {
  std::vector<std::string> kept;
  for (std::string& p : paths) {
    std::error_code ec;
    if (p == "-" || fs::exists(fs::symlink_status(p, ec))) kept.push_back(std::move(p));
    else missing.push_back(std::move(p));
  }
  paths = std::move(kept);
}

}  // namespace rl::cli
