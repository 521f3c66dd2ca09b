// CI renderers: GitHub workflow commands, Checkstyle XML, GitLab Code Quality JSON and JUnit XML.
// Each is the format its consumer documents; fields are escaped the consumer's way, never raw.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <algorithm>
#include <map>
#include <sstream>

#include "checks/registry.hpp"
#include "report/report.hpp"
#include "util/hex.hpp"
#include "util/text_hash.hpp"
#include "report/json_text.hpp"

namespace rl {

namespace {

std::string path_of(const SourceFiles& files, const SourceRange& r) {
  return r.file < files.size() ? files.path(r.file) : std::string("<unknown>");
}

std::string slug_of(std::string_view code) {
  const CheckInfo* c = find_check(code);
  return c ? std::string(c->slug) : std::string();
}

}  // namespace

// GitHub's workflow-command escaping: data escapes % CR LF; property values also ':' and ','. Input bytes
// are display_text()-escaped first: an ESC reaches no CI log raw, and no newline can start a command.
std::string github_escape(std::string_view raw, bool property) {
  std::string out;
  for (char c : display_text(raw)) {  // no CR or LF left in it
    switch (c) {
      case '%': out += "%25"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c;
    }
  }
  return out;
}

// XML 1.0 text and attributes: display_text() first (controls and bytes that are not UTF-8 as \xNN, so
// the document stays well-formed and shows what the file holds), then the five entities.
std::string xml_escape(std::string_view raw) {
  std::string out;
  for (unsigned char c : display_text(raw)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;  // an attribute would normalise a raw tab to a space
      default: out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

// One diagnostic's gcc line (for JUnit failure bodies).
std::string gcc_line(const Diagnostic& d, const SourceFiles& files) {
  std::string s = path_of(files, d.range);
  if (d.range.valid()) s += ":" + std::to_string(d.range.line) + ":" + std::to_string(d.range.column);
  return s + ": " + std::string(to_string(d.severity)) + ": " + d.message + " [" + d.code + "]";
}

}  // namespace

std::string render_github(const std::vector<Diagnostic>& diags, const SourceFiles& files) {
  std::ostringstream o;
  for (const Diagnostic& d : diags) {
    const char* level = d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "notice";
    o << "::" << level << " file=" << github_escape(path_of(files, d.range), true);
    if (d.range.valid()) {
      o << ",line=" << d.range.line << ",col=" << d.range.column;
      if (d.range.end_line >= d.range.line) o << ",endLine=" << d.range.end_line;
      if (d.range.end_line == d.range.line && d.range.end_column > d.range.column)
        o << ",endColumn=" << d.range.end_column;
    }
    std::string title = d.code;
    if (std::string slug = slug_of(d.code); !slug.empty()) title += " " + slug;
    o << ",title=" << github_escape(title, true) << "::" << github_escape(d.message, false);
    for (const Related& r : d.related) o << "%0A" << github_escape(r.message, false);
    o << "\n";
  }
  return o.str();
}

std::string render_checkstyle(const std::vector<Diagnostic>& diags, const SourceFiles& files) {
  // Files in first-seen order (the diagnostics are sorted by file already).
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Diagnostic*>> by_file;
  for (const Diagnostic& d : diags) {
    std::string p = path_of(files, d.range);
    if (!by_file.count(p)) order.push_back(p);
    by_file[p].push_back(&d);
  }
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  for (const std::string& p : order) {
    o << "  <file name=\"" << xml_escape(p) << "\">\n";
    for (const Diagnostic* d : by_file[p]) {
      o << "    <error";
      if (d->range.valid()) o << " line=\"" << d->range.line << "\" column=\"" << d->range.column << "\"";
      o << " severity=\"" << to_string(d->severity) << "\" message=\"" << xml_escape(d->message)
        << "\" source=\"redirlint." << xml_escape(d->code) << "\"/>\n";
    }
    o << "  </file>\n";
  }
  o << "</checkstyle>\n";
  return o.str();
}

std::string render_gitlab(const std::vector<Diagnostic>& diags, const SourceFiles& files) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::map<std::string, int> seen;  // the same finding twice in a file still gets two fingerprints
  for (const Diagnostic& d : diags) {
    std::string path = path_of(files, d.range);
    std::string key = d.code + '\0' + path + '\0' + d.message;
    int n = seen[key]++;
    // Two independent 64-bit hashes make GitLab's 128-bit fingerprint.
    std::uint64_t h1 = text_hash(key + '\0' + std::to_string(n));
    std::uint64_t h2 = text_hash(key + '\0' + std::to_string(n), h1);
    nlohmann::ordered_json issue;
    issue["description"] = display_text(d.message);  // shown as text in the merge request
    issue["check_name"] = d.code;
    issue["fingerprint"] = hex64(h1) + hex64(h2);
    issue["severity"] = d.severity == Severity::error ? "major" : d.severity == Severity::warning ? "minor" : "info";
    issue["location"] = {{"path", path}, {"lines", {{"begin", d.range.valid() ? d.range.line : 1}}}};
    out.push_back(issue);
  }
  return json_text(out) + "\n";
}

std::string render_junit(const std::vector<Diagnostic>& diags, const SourceFiles& files, std::size_t files_checked) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Diagnostic*>> by_file;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& p = files.path(static_cast<FileId>(i));
    if (!by_file.count(p)) { order.push_back(p); by_file[p]; }
  }
  for (const Diagnostic& d : diags) {
    std::string p = path_of(files, d.range);
    if (!by_file.count(p)) order.push_back(p);
    by_file[p].push_back(&d);
  }
  std::size_t failures = 0;
  for (const auto& [p, ds] : by_file) failures += ds.empty() ? 0 : 1;
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o << "<testsuites name=\"redirlint\" tests=\"" << order.size() << "\" failures=\"" << failures << "\">\n";
  o << "  <testsuite name=\"redirlint check\" tests=\"" << order.size() << "\" failures=\"" << failures
    << "\" errors=\"0\">\n";
  o << "    <properties><property name=\"files_checked\" value=\"" << files_checked << "\"/></properties>\n";
  for (const std::string& p : order) {
    const auto& ds = by_file[p];
    o << "    <testcase classname=\"redirlint.check\" name=\"" << xml_escape(p) << "\"";
    if (ds.empty()) { o << "/>\n"; continue; }
    o << ">\n      <failure message=\"" << ds.size() << " finding" << (ds.size() == 1 ? "" : "s") << "\" type=\""
      << xml_escape(ds.front()->code) << "\">";
    for (const Diagnostic* d : ds) o << xml_escape(gcc_line(*d, files)) << "&#10;";
    o << "</failure>\n    </testcase>\n";
  }
  o << "  </testsuite>\n</testsuites>\n";
  return o.str();
}

}  // namespace rl

namespace rl {

std::string render_statistics(const std::vector<Diagnostic>& diags, std::size_t files_checked) {
  std::map<std::string, std::pair<std::size_t, Severity>> counts;
  for (const Diagnostic& d : diags) {
    auto& [n, sev] = counts.try_emplace(d.code, 0, d.severity).first->second;
    ++n;
    if (static_cast<int>(d.severity) < static_cast<int>(sev)) sev = d.severity;  // the worst one seen
  }
  std::vector<std::pair<std::string, std::pair<std::size_t, Severity>>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  std::ostringstream o;
  for (const auto& [code, v] : rows) {
    std::string count = std::to_string(v.first);
    o << std::string(count.size() < 6 ? 6 - count.size() : 0, ' ') << count << "  " << code << "  ";
    std::string slug = slug_of(code);
    o << slug << std::string(slug.size() < 28 ? 28 - slug.size() : 1, ' ') << to_string(v.second) << "\n";
  }
  o << render_summary(diags, files_checked) << "\n";
  return o.str();
}

}  // namespace rl
