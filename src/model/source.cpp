#include "model/source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

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

bool SourceFiles::load(const std::string& path, FileId& id, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  // Read straight into the file's own string (no second copy of a large file); a stream whose size
  // cannot be told (a pipe) is read in chunks.
  std::string text;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0 && in) {
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), size);
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  in.clear();
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) text.append(chunk, static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    error = "read error";
    return false;
  }
  id = add(path, std::move(text));
  return true;
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
