#include "checks/status_intent.hpp"

#include <cctype>
#include <string>

#include "simulate/url.hpp"

namespace rl {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The words of a directive line, quotes kept (only the status word is looked at).
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!w.empty()) out.push_back(std::move(w));
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

}  // namespace

bool written_as_temp(const Rule& r) {
  if (r.origin.format != Format::apache && r.origin.format != Format::htaccess) return false;
  std::vector<std::string> w = words(r.original);
  if (w.empty()) return false;
  std::string directive = url::lower(w[0]);
  if (directive == "redirecttemp") return true;
  if ((directive == "redirect" || directive == "redirectmatch") && w.size() > 1) return url::lower(w[1]) == "temp";
  if (directive == "rewriterule" && w.size() > 3) {
    std::string flags = url::lower(w.back());
    for (std::string_view f : {"[r=temp", ",r=temp"})
      if (flags.find(f) != std::string::npos) return true;
  }
  return false;
}

bool temporary_comment(const SourceFiles& files, const Rule& r) {
  if (r.where.file >= files.size()) return false;
  for (std::uint32_t line = r.where.line; line > 1; --line) {
    std::string_view t = trim(files.line_text(r.where.file, line - 1));
    if (t.empty() || t.front() != '#') return false;
    while (!t.empty() && (t.front() == '#' || t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    std::size_t end = 0;
    while (end < t.size() && std::isalpha(static_cast<unsigned char>(t[end]))) ++end;
    std::string first = url::lower(t.substr(0, end));
    bool separated = end == t.size() || t[end] == ' ' || t[end] == ':' || t[end] == ',' || t[end] == '\t';
    if (separated && (first == "temporary" || first == "temporarily" || first == "temp")) return true;
  }
  return false;
}

bool says_temporary(const SourceFiles& files, const Rule& r) {
  return r.notes->until || written_as_temp(r) || temporary_comment(files, r);
}

}  // namespace rl
