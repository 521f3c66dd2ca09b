#include "cli/baseline.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>

#include "util/hex.hpp"
#include "util/text_hash.hpp"
#include "report/json_text.hpp"

namespace rl::cli {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string baseline_fingerprint(const Diagnostic& d, const SourceFiles& files) {
  std::string path = d.range.file < files.size() ? files.path(d.range.file) : std::string();
  std::string_view line = d.range.file < files.size() && d.range.valid() ? files.line_text(d.range.file, d.range.line)
                                                                         : std::string_view();
  std::uint64_t h = 0;
  for (std::string_view part : {std::string_view(d.code), std::string_view(path), std::string_view(d.message),
                                trimmed(line)})
    h = text_hash(part, h);
  return hex64(h);
}

std::string baseline_text(const std::vector<Diagnostic>& diags, const SourceFiles& files) {
  nlohmann::ordered_json out;
  out["version"] = 1;
  out["tool"] = "redirlint";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Diagnostic& d : diags) {
    nlohmann::ordered_json f;
    f["code"] = d.code;
    f["file"] = d.range.file < files.size() ? files.path(d.range.file) : std::string();
    f["line"] = d.range.line;  // for people reading the file; matching ignores it
    f["message"] = d.message;
    f["fingerprint"] = baseline_fingerprint(d, files);
    list.push_back(f);
  }
  out["findings"] = list;
  return json_text(out) + "\n";
}

bool apply_baseline(const std::string& baseline_json, std::vector<Diagnostic>& diags, const SourceFiles& files,
                    std::size_t& removed, std::string& error) {
  nlohmann::json j = nlohmann::json::parse(baseline_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("tool", "") != "redirlint" || !j.contains("findings") ||
      !j["findings"].is_array()) {
    error = "not a redirlint baseline (write one with --baseline FILE --update-baseline)";
    return false;
  }
  if (j.value("version", 0) != 1) {
    error = "baseline version " + j.value("version", nlohmann::json(0)).dump() + " is not supported (1 is)";
    return false;
  }
  std::map<std::string, std::size_t> known;
  for (const auto& f : j["findings"]) {
    if (!f.is_object() || !f.contains("fingerprint") || !f["fingerprint"].is_string()) {
      error = "a finding without a \"fingerprint\" string";
      return false;
    }
    ++known[f["fingerprint"].get<std::string>()];
  }
  removed = 0;
  std::vector<Diagnostic> kept;
  for (Diagnostic& d : diags) {
    auto it = known.find(baseline_fingerprint(d, files));
    if (it != known.end() && it->second > 0) {
      --it->second;
      ++removed;
      continue;
    }
    kept.push_back(std::move(d));
  }
  diags = std::move(kept);
  return true;
}

}  // namespace rl::cli
