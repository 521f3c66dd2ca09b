#include <map>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "checks/docs.hpp"
#include "checks/registry.hpp"
#include "report/report.hpp"
#include "report/json_text.hpp"

namespace rl {

namespace {

using nlohmann::ordered_json;

std::string_view sarif_level(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "note";
  }
  return "warning";
}

// Relative paths stay relative URIs (GitHub resolves them against the checkout); absolute paths become
// file:// URIs. Spaces, '%', '#', '?' and non-ASCII bytes are percent-encoded.
std::string to_uri(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  std::string out = path.starts_with("/") ? "file://" : "";
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (c <= 0x20 || c == '%' || c == '#' || c == '?' || c >= 0x7f) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

ordered_json region(const SourceFiles& files, const SourceRange& r) {
  std::string_view first = files.line_text(r.file, r.line);
  std::string_view last = r.end_line == r.line ? first : files.line_text(r.file, r.end_line);
  ordered_json j;
  j["startLine"] = r.line;
  j["startColumn"] = codepoint_column(first, r.column);
  std::uint32_t end_line = r.end_line ? r.end_line : r.line;
  j["endLine"] = end_line;
  j["endColumn"] = r.end_column ? codepoint_column(last, r.end_column) : j["startColumn"].get<std::uint32_t>();
  return j;
}

// The base that relative URIs are resolved against (GitHub code scanning maps it to the checkout).
constexpr const char* kSrcRoot = "%SRCROOT%";

// A relative path is relative to %SRCROOT%; standard input has no URI, only a description.
ordered_json artifact(std::string_view path) {
  if (path == "<stdin>" || path.empty()) return {{"description", {{"text", "standard input"}}}};
  ordered_json a;
  a["uri"] = to_uri(path);
  if (!path.starts_with("/")) a["uriBaseId"] = kSrcRoot;
  return a;
}

ordered_json location(const SourceFiles& files, const SourceRange& r, const std::string* message) {
  ordered_json phys;
  std::string path = r.file < files.size() ? files.path(r.file) : std::string();
  phys["artifactLocation"] = artifact(path);
  // A whole-file diagnostic (line 0) points at the file's first line: code scanning shows a result
  // without a region nowhere in the file view.
  if (r.file < files.size()) {
    if (r.valid()) {
      phys["region"] = region(files, r);
    } else {
      phys["region"] = {{"startLine", 1}};
    }
  }
  ordered_json loc;
  loc["physicalLocation"] = phys;
  if (message) loc["message"] = {{"text", display_text(*message)}};
  return loc;
}

// The text under `## heading` of a doc page, up to the next heading, trimmed.
std::string doc_section(std::string_view page, std::string_view heading) {
  std::string marker = "\n## " + std::string(heading) + "\n";
  std::size_t b = page.find(marker);
  if (b == std::string_view::npos) return {};
  b += marker.size();
  std::size_t e = page.find("\n## ", b);
  std::string_view s = page.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return std::string(s);
}

// CVSS-like scores GitHub code scanning reads (rules[].properties["security-severity"]) to rank security
// alerts: open redirect (CWE-601) is medium, a Host header reflected into Location and an https
// downgrade lower. Only codes about an attacker or an eavesdropper have one.
std::string_view security_severity(std::string_view slug) {
  if (slug == "open-redirect") return "6.1";
  if (slug == "https-downgrade") return "5.3";
  if (slug == "host-header-redirect" || slug == "host-reflection") return "4.3";
  return {};
}

ordered_json rule_json(const CheckInfo& c) {
  ordered_json r;
  r["id"] = std::string(c.code);
  r["name"] = std::string(c.slug);
  r["shortDescription"] = {{"text", std::string(c.summary)}};
  std::string_view page = check_doc(c.code);
  if (std::string what = doc_section(page, "What it does"); !what.empty())
    r["fullDescription"] = {{"text", what}};
  if (!page.empty()) r["help"] = {{"text", std::string(page)}, {"markdown", std::string(page)}};
  r["helpUri"] = doc_url(c.code);
  r["defaultConfiguration"] = {{"level", std::string(sarif_level(c.severity))}};
  ordered_json props;
  props["tags"] = ordered_json::array({"redirects"});
  if (std::string_view s = security_severity(c.slug); !s.empty()) {
    props["tags"].push_back("security");
    props["security-severity"] = std::string(s);
  }
  r["properties"] = props;
  return r;
}

}  // namespace

std::string render_sarif(const std::vector<Diagnostic>& diags, const SourceFiles& files) {
  ordered_json rules = ordered_json::array();
  std::map<std::string, int, std::less<>> index;
  for (const CheckInfo& c : all_checks()) {
    index[std::string(c.code)] = static_cast<int>(rules.size());
    rules.push_back(rule_json(c));
  }
  ordered_json results = ordered_json::array();
  for (const Diagnostic& d : diags) {
    ordered_json res;
    res["ruleId"] = d.code;
    if (auto it = index.find(d.code); it != index.end()) res["ruleIndex"] = it->second;
    res["level"] = std::string(sarif_level(d.severity));
    res["message"] = {{"text", display_text(d.message)}};
    res["locations"] = ordered_json::array({location(files, d.range, nullptr)});
    if (!d.related.empty()) {
      ordered_json rel = ordered_json::array();
      int id = 1;
      for (const Related& r : d.related) {
        ordered_json l = location(files, r.range, &r.message);
        l["id"] = id++;
        rel.push_back(l);
      }
      res["relatedLocations"] = rel;
    }
    if (d.fix) {
      // SARIF fixes group replacements per artifact.
      std::map<FileId, ordered_json> by_file;
      for (const Edit& e : d.fix->edits) {
        ordered_json del = region(files, e.range);
        by_file[e.range.file].push_back({{"deletedRegion", del}, {"insertedContent", {{"text", e.replacement}}}});
      }
      ordered_json changes = ordered_json::array();
      for (auto& [file, reps] : by_file)
        changes.push_back({{"artifactLocation", artifact(file < files.size() ? files.path(file) : "")},
                           {"replacements", reps}});
      res["fixes"] = ordered_json::array({{{"description", {{"text", display_text(d.fix->title)}}}, {"artifactChanges", changes}}});
    }
    if (d.example) {
      // The proof (a request and its hops) goes into the result's property bag, as in our JSON.
      ordered_json hops = ordered_json::array();
      for (const Hop& h : d.example->hops) hops.push_back({{"url", display_text(h.url)}, {"status", h.status}, {"location", display_text(h.location)}});
      res["properties"] = {{"example", {{"request", display_text(d.example->request)}, {"hops", hops}}}};
    }
    results.push_back(res);
  }
  ordered_json driver;
  driver["name"] = "redirlint";
  driver["version"] = REDIRLINT_VERSION;
  driver["semanticVersion"] = REDIRLINT_VERSION;
  driver["informationUri"] = std::string(kHomepageUrl);
  driver["rules"] = rules;
  ordered_json run;
  run["tool"] = {{"driver", driver}};
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (!ec && !cwd.empty()) {
    if (cwd.back() != '/') cwd += '/';
    run["originalUriBaseIds"] = {{kSrcRoot, {{"uri", to_uri(cwd)}}}};
  }
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = results;
  ordered_json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = ordered_json::array({run});
  return json_text(root) + "\n";
}

}  // namespace rl
