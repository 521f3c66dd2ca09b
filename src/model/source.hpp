#pragma once
/// Source files and positions. Every position in redirlint is 1-based, end-exclusive, in bytes.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace rl {

using FileId = std::uint32_t;

/// A range in one source file. Lines and columns are 1-based; `end_*` is exclusive; columns count bytes.
/// A default-constructed range (line 0) means "no position" (e.g. a whole-file diagnostic).
struct SourceRange {
  FileId file = 0;
  std::uint32_t line = 0, column = 0, end_line = 0, end_column = 0;

  bool valid() const { return line != 0; }
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

/// One loaded file: its path as the user named it and its bytes, unchanged.
struct SourceFile {
  std::string path;
  std::string text;
  std::vector<std::uint32_t> line_starts;  ///< byte offset of each line's first byte; [0] == 0
};

/// Why a bounded read did not return the file's text.
enum class ReadStatus { ok, error, not_regular, too_large };

/// Reads at most `max_bytes` bytes of `path` (a regular file, or a FIFO / pipe such as `<(...)`):
/// the bound holds while reading, so /dev/zero or an endless pipe never fills memory. Devices,
/// directories and sockets are refused (not_regular) without reading a byte; `error` says what it is
/// (or the strerror text). too_large: the stream has more than `max_bytes` bytes (`text` is cleared).
ReadStatus read_bounded(const std::string& path, std::size_t max_bytes, std::string& text, std::string& error);
/// The same for an open descriptor (stdin = 0), which is never closed here.
ReadStatus read_fd_bounded(int fd, std::size_t max_bytes, std::string& text, std::string& error);

/// Owns every file read in one run (inputs and nginx includes). FileIds index into it and stay valid.
class SourceFiles {
 public:
  /// Adds a file whose text is already in memory. Returns its id.
  FileId add(std::string path, std::string text);
  /// Reads `path` from disk (read_bounded, at most `max_bytes`); on failure returns the status and sets
  /// `error`; on ok, `id` is the new file.
  ReadStatus load(const std::string& path, FileId& id, std::string& error, std::size_t max_bytes);

  const SourceFile& get(FileId id) const { return files_.at(id); }
  const std::string& path(FileId id) const { return files_.at(id).path; }
  std::size_t size() const { return files_.size(); }

  /// The text of 1-based line `line` without its line terminator ("" when out of range).
  std::string_view line_text(FileId id, std::uint32_t line) const;
  /// Converts a byte offset into a 1-based line and column.
  void position(FileId id, std::size_t offset, std::uint32_t& line, std::uint32_t& column) const;
  /// A range from two byte offsets [begin, end).
  SourceRange range(FileId id, std::size_t begin, std::size_t end) const;

 private:
  std::deque<SourceFile> files_;  // deque: references stay valid while files are added (includes)
};

}  // namespace rl
