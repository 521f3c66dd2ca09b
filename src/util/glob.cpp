#include "util/glob.hpp"

#include <filesystem>

namespace rl {

namespace {

// One `[...]` class at `g` (g[0] == '['): sets `end` past the ']' and whether `c` is in it.
// Returns false when the class is not closed (then '[' is an ordinary character).
bool match_class(std::string_view g, char c, std::size_t& end, bool& in) {
  std::size_t i = 1;
  bool negate = i < g.size() && (g[i] == '!' || g[i] == '^');
  if (negate) ++i;
  bool found = false;
  for (bool first = true; i < g.size() && (first || g[i] != ']'); first = false) {
    char lo = g[i];
    if (lo == '\\' && i + 1 < g.size()) lo = g[++i];
    char hi = lo;
    if (i + 2 < g.size() && g[i + 1] == '-' && g[i + 2] != ']') {
      hi = g[i + 2];
      if (hi == '\\' && i + 3 < g.size()) hi = g[i + 3], ++i;
      i += 2;
    }
    if (lo <= c && c <= hi) found = true;
    ++i;
  }
  if (i >= g.size()) return false;
  end = i + 1;
  in = found != negate && c != '/';
  return true;
}

// `at_start`: g begins a path segment (where `**` means any number of folders; elsewhere it is `*`).
bool match_from(std::string_view g, std::string_view s, bool at_start = true) {
  while (!g.empty()) {
    if (at_start && g.substr(0, 2) == "**" && (g.size() == 2 || g[2] == '/')) {
      if (g.size() == 2) return true;  // `x/**`: everything below
      std::string_view rest = g.substr(3);
      // `**/rest`: rest here, or after any '/' of s.
      for (std::size_t i = 0;; ++i) {
        if ((i == 0 || s[i - 1] == '/') && match_from(rest, s.substr(i))) return true;
        if (i >= s.size()) return false;
      }
    }
    char c = g.front();
    if (c == '*') {
      std::string_view rest = g.substr(1);
      for (std::size_t i = 0;; ++i) {
        if (match_from(rest, s.substr(i), false)) return true;
        if (i >= s.size() || s[i] == '/') return false;
      }
    }
    if (s.empty()) return false;
    if (c == '?') {
      if (s.front() == '/') return false;
      g.remove_prefix(1), s.remove_prefix(1);
      at_start = false;
      continue;
    }
    if (c == '[') {
      std::size_t end = 0;
      bool in = false;
      if (match_class(g, s.front(), end, in)) {
        if (!in) return false;
        g.remove_prefix(end), s.remove_prefix(1);
        at_start = false;
        continue;
      }
    }
    if (c == '\\' && g.size() > 1) g.remove_prefix(1), c = g.front();
    if (c != s.front()) return false;
    at_start = c == '/';
    g.remove_prefix(1), s.remove_prefix(1);
  }
  return s.empty();
}

}  // namespace

bool glob_match(std::string_view glob, std::string_view path) { return match_from(glob, path); }

bool glob_covers(std::string_view glob, std::string_view rel) {
  while (glob.substr(0, 2) == "./") glob.remove_prefix(2);
  bool dirs_only = glob.size() > 1 && glob.back() == '/';
  if (dirs_only) glob.remove_suffix(1);
  bool anchored = glob.find('/') != std::string_view::npos;
  if (!glob.empty() && glob.front() == '/') glob.remove_prefix(1);
  if (glob.empty() || rel.empty()) return false;
  // Each leading part of rel that ends at a '/' is a folder; the whole of rel is the file.
  std::size_t from = 0;
  for (std::size_t end = rel.find('/');; end = rel.find('/', end + 1)) {
    bool is_file = end == std::string_view::npos;
    std::string_view upto = rel.substr(0, is_file ? rel.size() : end);
    if (!is_file || !dirs_only) {
      if (anchored ? glob_match(glob, upto) : glob_match(glob, upto.substr(from))) return true;
    }
    if (is_file) return false;
    from = end + 1;
  }
}

bool glob_covers_file(std::string_view glob, const std::string& file, const std::string& base_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path f = fs::absolute(file, ec).lexically_normal();
  fs::path b = fs::absolute(base_dir.empty() ? "." : base_dir, ec).lexically_normal();
  std::string rel = f.lexically_relative(b).generic_string();
  if (!rel.empty() && rel != "." && rel.rfind("..", 0) != 0) return glob_covers(glob, rel);
  std::string_view g = glob;
  if (g.size() > 1 && g.back() == '/') g.remove_suffix(1);
  if (g.find('/') != std::string_view::npos) return false;  // anchored at a folder the file is not in
  std::string abs = f.generic_string();
  return glob_covers(glob, std::string_view(abs).substr(abs.empty() || abs[0] != '/' ? 0 : 1));
}

}  // namespace rl
