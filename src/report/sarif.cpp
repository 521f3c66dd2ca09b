#include <map>
#include <nlohmann/json.hpp>

#include "checks/registry.hpp"
#include "report/report.hpp"

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

ordered_json location(const SourceFiles& files, const SourceRange& r, const std::string* message) {
  ordered_json phys;
  std::string path = r.file < files.size() ? files.path(r.file) : std::string();
  phys["artifactLocation"] = {{"uri", to_uri(path)}};
  // A whole-file diagnostic (line 0) has no region: SARIF regions need startLine >= 1.
  if (r.valid() && r.file < files.size()) phys["region"] = region(files, r);
  ordered_json loc;
  loc["physicalLocation"] = phys;
  if (message) loc["message"] = {{"text", *message}};
  return loc;
}

ordered_json rule_json(const CheckInfo& c) {
  ordered_json r;
  r["id"] = std::string(c.code);
  r["name"] = std::string(c.slug);
  r["shortDescription"] = {{"text", std::string(c.summary)}};
  r["helpUri"] = doc_url(c.code);
  r["defaultConfiguration"] = {{"level", std::string(sarif_level(c.severity))}};
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
    res["message"] = {{"text", d.message}};
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
        changes.push_back({{"artifactLocation", {{"uri", to_uri(file < files.size() ? files.path(file) : "")}}},
                           {"replacements", reps}});
      res["fixes"] = ordered_json::array({{{"description", {{"text", d.fix->title}}}, {"artifactChanges", changes}}});
    }
    if (d.example) {
      // The proof (a request and its hops) goes into the result's property bag, as in our JSON.
      ordered_json hops = ordered_json::array();
      for (const Hop& h : d.example->hops) hops.push_back({{"url", h.url}, {"status", h.status}, {"location", h.location}});
      res["properties"] = {{"example", {{"request", d.example->request}, {"hops", hops}}}};
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
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = results;
  ordered_json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = ordered_json::array({run});
  return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace rl
