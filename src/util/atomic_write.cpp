#include "util/atomic_write.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace rl {

namespace {

// The one piece of process state here: a signal handler can reach nothing else. It holds the name of
// the temp file while one exists; it is written only with SIGINT/SIGTERM/SIGHUP blocked.
char g_temp_name[PATH_MAX + 1];
volatile std::sig_atomic_t g_temp_live = 0;

extern "C" void remove_temp_and_exit(int sig) {
  if (g_temp_live) ::unlink(g_temp_name);
  ::_exit(128 + sig);
}

/// Blocks the cleanup signals for its lifetime, so the temp file's name and its existence change together.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, s);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~SignalsBlocked() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  sigset_t old_{};
};

/// Follows `path` through symbolic links to the file that is really written (at most 40 links, as
/// the kernel). A dangling link resolves to the path it names. Returns false with `error` on a loop.
bool resolve_links(const std::string& path, std::filesystem::path& out, std::string& error) {
  namespace fs = std::filesystem;
  fs::path p(path);
  for (int hops = 0; hops <= 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) {
      out = p;
      return true;
    }
    fs::path next = fs::read_symlink(p, ec);
    if (ec) {
      error = "cannot read the symbolic link " + p.string() + ": " + ec.message();
      return false;
    }
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  error = "cannot write " + path + ": too many levels of symbolic links";
  return false;
}

/// Why the existing file `real` (named `path` in the message) must not be replaced, or "" when it may be.
std::string refusal(const std::string& real, const std::string& path, const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return "refusing to write " + path + ": it is a directory";
  if (!S_ISREG(st.st_mode)) return "refusing to write " + path + ": it is not a regular file";
  // Root passes access(W_OK) on any file: the mode's write bits say what the owner meant.
  if ((st.st_mode & 0222) == 0 || ::access(real.c_str(), W_OK) != 0)
    return "refusing to write " + path + ": the file is read-only (make it writable first)";
  return "";
}

}  // namespace

void install_interrupt_cleanup() {
  struct sigaction sa {};
  sa.sa_handler = remove_temp_and_exit;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&sa.sa_mask, s);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    // A signal the caller ignores (nohup, a background job's SIGINT) stays ignored.
    if (::sigaction(s, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    ::sigaction(s, &sa, nullptr);
  }
}

bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  namespace fs = std::filesystem;
  fs::path target;
  if (!resolve_links(path, target, error)) return false;
  const std::string real = target.string();
  struct stat old {};
  const bool exists = ::stat(real.c_str(), &old) == 0;
  if (exists) {
    error = refusal(real, real == path ? path : path + " (-> " + real + ")", old);
    if (!error.empty()) return false;
  }
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".redirlint-XXXXXX")).string();
  if (tmpl.size() > PATH_MAX) {
    error = "cannot write " + path + ": the path is too long";
    return false;
  }
  int fd = -1;
  {
    SignalsBlocked blocked;
    std::memcpy(g_temp_name, tmpl.c_str(), tmpl.size() + 1);
    fd = ::mkstemp(g_temp_name);
    if (fd >= 0) g_temp_live = 1;
  }
  if (fd < 0) {
    error = "cannot create a temporary file next to " + path + ": " + std::strerror(errno);
    return false;
  }
  const std::string name = g_temp_name;
  bool ok = true;
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      if (n == 0) errno = EIO;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (ok && ::fsync(fd) != 0) ok = false;
  if (!ok) error = "cannot write " + path + ": " + std::strerror(errno);
  if (ok && exists) {
    // The replaced file keeps its owner and group (a --fix run as root on a user's file must not make
    // it root's); when they cannot be kept, the old file is left as it was.
    struct stat now {};
    if (::fstat(fd, &now) == 0 && (now.st_uid != old.st_uid || now.st_gid != old.st_gid) &&
        ::fchown(fd, old.st_uid, old.st_gid) != 0) {
      ok = false;
      error = "refusing to replace " + path + ": its owner and group (" + std::to_string(old.st_uid) + ":" +
              std::to_string(old.st_gid) + ") cannot be kept: " + std::strerror(errno);
    }
  }
  // The replaced file keeps its mode (after fchown, which may clear set-id bits); mkstemp's 0600 would
  // otherwise leak into a config.
  if (ok && ::fchmod(fd, exists ? (old.st_mode & 07777) : 0644) != 0) {
    ok = false;
    error = "cannot set the mode of " + path + ": " + std::strerror(errno);
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = "cannot write " + path + ": " + std::strerror(errno);
  }
  SignalsBlocked blocked;
  if (ok && ::rename(name.c_str(), real.c_str()) != 0) {
    ok = false;
    error = "cannot replace " + path + ": " + std::strerror(errno);
  }
  if (!ok) ::unlink(name.c_str());
  g_temp_live = 0;
  return ok;
}

}  // namespace rl
