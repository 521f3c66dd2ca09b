#include <algorithm>
#include <sstream>

#include "report/report.hpp"

namespace rl {

namespace {

struct Style {
  bool on;
  std::string operator()(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
  }
};

constexpr std::string_view kBold = "1", kRed = "1;31", kMagenta = "1;35", kCyan = "1;36", kGreen = "1;32";

std::string_view severity_colour(Severity s) {
  switch (s) {
    case Severity::error: return kRed;
    case Severity::warning: return kMagenta;
    case Severity::info: return kCyan;
  }
  return kBold;
}

std::string location(const SourceFiles& files, const SourceRange& r) {
  std::string s = r.file < files.size() ? files.path(r.file) : std::string("<unknown>");
  if (r.valid()) s += ":" + std::to_string(r.line) + ":" + std::to_string(r.column);
  return display_text(s);
}

// Blanks that line up with display_text(line) up to byte column `column`: tabs stay tabs, one space per
// character shown (an escaped byte is four).
std::string pad_to(std::string_view raw_line, std::uint32_t column) {
  std::string shown = display_text(raw_line.substr(0, std::min<std::size_t>(column - 1, raw_line.size())));
  std::string_view line = shown;
  std::string pad;
  std::uint32_t cps = codepoint_column(line, static_cast<std::uint32_t>(line.size() + 1)) - 1 +
                      (column - 1 > raw_line.size() ? column - 1 - static_cast<std::uint32_t>(raw_line.size()) : 0);
  std::uint32_t i = 0;
  for (char c : line) {
    if (i >= cps) break;
    if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
    pad += c == '\t' ? '\t' : ' ';
    ++i;
  }
  pad.append(cps > i ? cps - i : 0, ' ');
  return pad;
}

// The source line of `r` and a caret/underline under the range (first line of a multi-line range).
void snippet(std::ostringstream& o, const SourceFiles& files, const SourceRange& r, const Style& st) {
  if (!r.valid() || r.file >= files.size() || r.line > files.get(r.file).line_starts.size()) return;
  std::string_view line = files.line_text(r.file, r.line);
  std::string num = std::to_string(r.line);
  std::string gutter(num.size(), ' ');
  std::uint32_t end = r.end_line == r.line ? r.end_column : static_cast<std::uint32_t>(line.size() + 1);
  auto shown_cp = [&](std::uint32_t col) {  // display column of byte column `col`
    std::string before = display_text(line.substr(0, std::min<std::size_t>(col - 1, line.size())));
    return codepoint_column(before, static_cast<std::uint32_t>(before.size() + 1)) +
           (col - 1 > line.size() ? col - 1 - static_cast<std::uint32_t>(line.size()) : 0);
  };
  std::uint32_t start_cp = shown_cp(r.column), end_cp = shown_cp(end);
  std::uint32_t width = end_cp > start_cp ? end_cp - start_cp : 1;
  o << " " << st(kBold, num) << " | " << display_text(line) << "\n";
  o << " " << gutter << " | " << pad_to(line, r.column) << st(kGreen, "^" + std::string(width - 1, '~')) << "\n";
}

}  // namespace

std::string render_text(const std::vector<Diagnostic>& diags, const SourceFiles& files, bool color,
                        std::size_t files_checked, bool summary) {
  Style st{color};
  std::ostringstream o;
  for (const Diagnostic& d : diags) {
    o << st(kBold, location(files, d.range) + ":") << " "
      << st(severity_colour(d.severity), std::string(to_string(d.severity)) + ":") << " " << st(kBold, display_text(d.message))
      << " [" << d.code << "]\n";
    snippet(o, files, d.range, st);
    for (const Related& r : d.related) {
      o << st(kBold, location(files, r.range) + ":") << " " << st(kCyan, "note:") << " " << display_text(r.message) << "\n";
      if (r.range != d.range) snippet(o, files, r.range, st);  // the same lines again would only be noise
    }
    if (d.example) {
      o << "  = example: " << display_text(d.example->request);
      for (const Hop& h : d.example->hops) {
        o << " -> " << h.status;
        if (!h.location.empty()) o << " " << display_text(h.location);
      }
      o << "\n";
    }
    if (d.fix) o << "  = fix" << (d.fix->safe ? "" : " (unsafe)") << ": " << display_text(d.fix->title) << "\n";
    o << "  = see: redirlint explain " << d.code << "\n\n";
  }
  if (summary) o << st(kBold, render_summary(diags, files_checked)) << "\n";
  return o.str();
}

}  // namespace rl
