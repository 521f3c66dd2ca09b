#include "util/atomic_write.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace rl {

bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".redirlint-XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = "cannot create a temporary file next to " + path + ": " + std::strerror(errno);
    return false;
  }
  bool ok = true;
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (ok && ::fsync(fd) != 0) ok = false;
  if (ok) {
    struct stat old {};
    // The file being replaced keeps its mode; mkstemp's 0600 would otherwise leak into a config.
    ::fchmod(fd, ::stat(path.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0644);
  }
  if (!ok) error = "cannot write " + path + ": " + std::strerror(errno);
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = "cannot write " + path + ": " + std::strerror(errno);
  }
  if (ok && ::rename(name.data(), path.c_str()) != 0) {
    ok = false;
    error = "cannot replace " + path + ": " + std::strerror(errno);
  }
  if (!ok) ::unlink(name.data());
  return ok;
}

}  // namespace rl
