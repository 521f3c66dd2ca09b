#include <sstream>

#include "report/report.hpp"

namespace rl {

namespace {

std::string location(const SourceFiles& files, const SourceRange& r) {
  std::string s = r.file < files.size() ? files.path(r.file) : std::string("<unknown>");
  if (r.valid()) s += ":" + std::to_string(r.line) + ":" + std::to_string(r.column);
  return display_text(s);
}

}  // namespace

std::string render_gcc(const std::vector<Diagnostic>& diags, const SourceFiles& files) {
  std::ostringstream o;
  for (const Diagnostic& d : diags) {
    o << location(files, d.range) << ": " << to_string(d.severity) << ": " << display_text(d.message) << " [" << d.code << "]\n";
    for (const Related& r : d.related) o << location(files, r.range) << ": note: " << display_text(r.message) << "\n";
  }
  return o.str();
}

std::string render_summary(const std::vector<Diagnostic>& diags, std::size_t files_checked) {
  std::size_t counts[3] = {0, 0, 0};
  for (const Diagnostic& d : diags) ++counts[static_cast<int>(d.severity)];
  auto plural = [](std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  std::string files = plural(files_checked, "file");
  if (diags.empty()) return "no problems found in " + files;
  std::string s;
  const char* names[3] = {"error", "warning", "info"};
  for (int i = 0; i < 3; ++i) {
    if (!counts[i]) continue;
    if (!s.empty()) s += ", ";
    s += i == 2 ? std::to_string(counts[i]) + " info" : plural(counts[i], names[i]);
  }
  return s + " in " + files;
}

}  // namespace rl
