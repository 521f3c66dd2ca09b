#include "model/source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace rl {

FileId SourceFiles::add(std::string path, std::string text) {
  SourceFile f;
  f.path = std::move(path);
  f.text = std::move(text);
  f.line_starts.reserve(static_cast<std::size_t>(std::count(f.text.begin(), f.text.end(), '\n')) + 2);
  f.line_starts.push_back(0);
  for (std::size_t i = 0; i < f.text.size(); ++i) {
    // A lone CR ends a line too (old Mac files); CRLF counts once.
    if (f.text[i] == '\n' || (f.text[i] == '\r' && (i + 1 == f.text.size() || f.text[i + 1] != '\n')))
      f.line_starts.push_back(static_cast<std::uint32_t>(i + 1));
  }
  files_.push_back(std::move(f));
  return static_cast<FileId>(files_.size() - 1);
}

ReadStatus read_fd_bounded(int fd, std::size_t max_bytes, std::string& text, std::string& error) {
  text.clear();
  struct stat st{};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
      error = std::to_string(st.st_size) + " bytes";
      return ReadStatus::too_large;
    }
    text.reserve(static_cast<std::size_t>(st.st_size));
  }
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      text.clear();
      return ReadStatus::error;
    }
    if (n == 0) return ReadStatus::ok;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes) {  // checked while reading: never more than the bound + one chunk
      error = "more than " + std::to_string(max_bytes) + " bytes";
      text.clear();
      text.shrink_to_fit();
      return ReadStatus::too_large;
    }
    text.append(chunk, static_cast<std::size_t>(n));
  }
}

ReadStatus read_bounded(const std::string& path, std::size_t max_bytes, std::string& text, std::string& error) {
  text.clear();
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) {
    error = std::strerror(errno);
    return ReadStatus::error;
  }
  // Only regular files and pipes hold a configuration; a device (/dev/zero, a tty), a directory or a
  // socket is refused before it is opened (opening some devices has effects of its own).
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
    error = S_ISDIR(st.st_mode)   ? "is a directory"
            : S_ISCHR(st.st_mode) ? "is a character device, not a regular file"
            : S_ISBLK(st.st_mode) ? "is a block device, not a regular file"
                                  : "is not a regular file";
    return ReadStatus::not_regular;
  }
  // A FIFO is opened without waiting (open() blocks until a writer comes, maybe never), then given
  // kFifoWriterWaitMs for a writer to send something or close; with none it is refused. Once a writer is
  // there it is read blocking and bounded, like stdin.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (S_ISFIFO(st.st_mode) ? O_NONBLOCK : 0));
  if (fd < 0) {
    error = std::strerror(errno);
    return ReadStatus::error;
  }
  if (S_ISFIFO(st.st_mode)) {
    constexpr int kFifoWriterWaitMs = 2000;
    struct pollfd p{fd, POLLIN, 0};
    int ready;
    do ready = ::poll(&p, 1, kFifoWriterWaitMs);
    while (ready < 0 && errno == EINTR);
    int flags = ::fcntl(fd, F_GETFL);
    if (ready <= 0 || flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
      ::close(fd);
      error = ready == 0 ? "is a named pipe (FIFO) that no program wrote to within " +
                               std::to_string(kFifoWriterWaitMs / 1000) + " s; not read"
                         : "is a named pipe (FIFO) that cannot be read";
      return ReadStatus::not_regular;
    }
  }
  ReadStatus r = read_fd_bounded(fd, max_bytes, text, error);
  ::close(fd);
  return r;
}

ReadStatus SourceFiles::load(const std::string& path, FileId& id, std::string& error, std::size_t max_bytes) {
  std::string text;
  ReadStatus r = read_bounded(path, max_bytes, text, error);
  if (r == ReadStatus::ok) id = add(path, std::move(text));
  return r;
}

std::string_view SourceFiles::line_text(FileId id, std::uint32_t line) const {
  const auto& f = get(id);
  if (line == 0 || line > f.line_starts.size()) return {};
  std::size_t b = f.line_starts[line - 1];
  std::size_t e = line < f.line_starts.size() ? f.line_starts[line] : f.text.size();
  std::string_view s(f.text.data() + b, e - b);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void SourceFiles::position(FileId id, std::size_t offset, std::uint32_t& line, std::uint32_t& column) const {
  const auto& ls = get(id).line_starts;
  auto it = std::upper_bound(ls.begin(), ls.end(), static_cast<std::uint32_t>(offset));
  std::size_t idx = static_cast<std::size_t>(it - ls.begin());  // >= 1
  line = static_cast<std::uint32_t>(idx);
  column = static_cast<std::uint32_t>(offset - ls[idx - 1] + 1);
}

SourceRange SourceFiles::range(FileId id, std::size_t begin, std::size_t end) const {
  SourceRange r;
  r.file = id;
  position(id, begin, r.line, r.column);
  position(id, end, r.end_line, r.end_column);
  return r;
}

}  // namespace rl
