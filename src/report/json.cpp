#include <nlohmann/json.hpp>

#include "checks/registry.hpp"
#include "report/report.hpp"
#include "report/json_text.hpp"

namespace rl {

namespace {

using nlohmann::ordered_json;

ordered_json range_json(const SourceRange& r) {
  ordered_json j;
  j["start"] = {{"line", r.line}, {"column", r.column}};
  j["end"] = {{"line", r.end_line}, {"column", r.end_column}};
  return j;
}

std::string file_of(const SourceFiles& files, const SourceRange& r) {
  return r.file < files.size() ? files.path(r.file) : std::string();
}

}  // namespace

std::string render_json(const std::vector<Diagnostic>& diags, const SourceFiles& files) {
  ordered_json root;
  root["version"] = 1;
  root["tool"] = "redirlint";
  ordered_json list = ordered_json::array();
  for (const Diagnostic& d : diags) {
    ordered_json j;
    j["code"] = d.code;
    const CheckInfo* info = find_check(d.code);
    j["slug"] = info ? std::string(info->slug) : std::string();
    j["severity"] = std::string(to_string(d.severity));
    j["message"] = d.message;
    j["file"] = file_of(files, d.range);
    j["range"] = range_json(d.range);
    ordered_json rel = ordered_json::array();
    for (const Related& r : d.related)
      rel.push_back({{"file", file_of(files, r.range)}, {"range", range_json(r.range)}, {"message", r.message}});
    j["related"] = rel;
    if (d.example) {
      ordered_json hops = ordered_json::array();
      for (const Hop& h : d.example->hops) {
        ordered_json hj;
        hj["url"] = h.url;
        hj["status"] = h.status;
        hj["location"] = h.location;
        hops.push_back(hj);
      }
      j["example"] = {{"request", d.example->request}, {"hops", hops}};
    }
    if (d.fix) {
      ordered_json edits = ordered_json::array();
      for (const Edit& e : d.fix->edits) edits.push_back({{"range", range_json(e.range)}, {"replacement", e.replacement}});
      j["fix"] = {{"title", d.fix->title}, {"safe", d.fix->safe}, {"edits", edits}};
    }
    list.push_back(j);
  }
  root["diagnostics"] = list;
  // Invalid UTF-8 from hostile input must not throw: replace it.
  return json_text(root) + "\n";
}

}  // namespace rl
