#include "cli/trace_support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>

#include "checks/config.hpp"
#include "checks/registry.hpp"
#include "cli/commands.hpp"
#include "report/report.hpp"

namespace rl::cli {

void add_request_options(CLI::App& cmd, TraceRequestOptions& o) {
  cmd.add_option("--host", o.host, "Host header of path-only requests (default example.com)");
  cmd.add_flag("--https", o.https, "requests are https");
  cmd.add_option("--port", o.port, "port the server listens on (default: the scheme's)")->check(CLI::Range(0, 65535));
  // One value per occurrence: `--file /a RULES URL` must not swallow the positionals.
  cmd.add_option("--header", o.headers, "extra request header 'Name: value' (repeatable)")->allow_extra_args(false);
}

void add_server_options(CLI::App& cmd, TraceRequestOptions& o) {
  cmd.add_option("--file", o.files, "URL path that exists as a file (repeatable)")->allow_extra_args(false);
  cmd.add_option("--dir", o.dirs, "URL path that exists as a directory (repeatable)")->allow_extra_args(false);
  cmd.add_option("--document-root", o.document_root, "filesystem DocumentRoot (default /var/www/html)");
}

bool make_request_base(const TraceRequestOptions& o, Request& base, SimOptions& sim, std::string& error) {
  base.host = o.host;
  base.scheme = o.https ? "https" : "http";
  base.port = o.port;
  for (const std::string& h : o.headers) {
    std::size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      error = "--header wants 'Name: value', got '" + h + "'";
      return false;
    }
    std::string value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    base.headers.emplace_back(h.substr(0, colon), value);
  }
  sim.existing_files = o.files;
  sim.existing_dirs = o.dirs;
  if (!o.document_root.empty()) sim.document_root = o.document_root;
  return true;
}

bool read_url_lines(const std::string& path, std::vector<std::string>& out, std::string& error) {
  // Bounded while reading (a FIFO or /dev/zero never fills memory); a directory or device is refused.
  std::string text, why;
  if (ReadStatus r = read_bounded(path, kMaxUrlFileBytes, text, why); r != ReadStatus::ok) {
    error = "cannot read '" + path + "': " + (r == ReadStatus::too_large ? why + " (the limit of --urls is " +
                                                  std::to_string(kMaxUrlFileBytes) + " bytes)" : why);
    return false;
  }
  std::istringstream in(std::move(text));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    out.push_back(line.substr(b));
  }
  return true;
}

int load_rules(const std::string& path, const ParseOptions& popts, SourceFiles& files, Loaded& in, const RuleSet*& rs) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    // One rules file is simulated at a time: a directory would silently mean its first file.
    std::cerr << "redirlint: " << path << " is a directory: name one rules file (each file is its own server "
                 "configuration; `redirlint check` reads a whole tree)\n";
    return kExitUsage;
  }
  in = load_inputs({path}, popts, files);
  if (report_config_errors(in)) return kExitUsage;
  std::vector<Diagnostic> diags = in.unreadable_diags;
  bool bad = in.unreadable || in.sets.empty();
  for (const RuleSet& s : in.sets)
    for (const Diagnostic& d : s.parse_diags) {
      diags.push_back(d);
      if (d.code == "RL001") bad = true;
    }
  sort_diagnostics(diags, files);
  std::cerr << render_gcc(diags, files);
  if (bad) return kExitBadInput;
  rs = &in.sets.front();
  return kExitClean;
}

int configured_max_hops(const std::string& rules_path, const std::string& config) {
  std::string path = config.empty() ? find_config(rules_path) : config;
  Config c;
  std::vector<ConfigError> errors;
  if (path.empty() || !load_config(path, c, errors) || !c.max_hops) return CheckOptions{}.max_hops;
  return *c.max_hops;
}

bool follow_location(const Request& prev, const std::string& location, Request& next) {
  return follow(prev, location, next);
}

std::string rule_location(const FiredRule& f, const SourceFiles& files) {
  std::string file = f.where.file < files.size() ? files.path(f.where.file) : "?";
  return file + ":" + std::to_string(f.where.line);
}

std::string rule_text(const RuleSet& rs, RuleId id) {
  if (id >= rs.rules.size()) return {};
  std::string t = rs.rules[id].original;
  std::size_t nl = t.find('\n');
  if (nl != std::string::npos) t = t.substr(0, nl) + " ...";
  return t;
}

std::string outcome_text(const Outcome& o) {
  switch (o.kind) {
    case OutcomeKind::none:
      return "no rule answered" + (o.final_path.empty() ? std::string() : " (serves " + o.final_path + ")") +
             (o.note.empty() || o.note.rfind("internal rewrite", 0) == 0 ? std::string() : "; " + o.note);
    case OutcomeKind::limit: return "unknown: " + (o.note.empty() ? std::string("regex match limit reached") : o.note);
    case OutcomeKind::unknown: return "unknown (" + o.note + ")";
    case OutcomeKind::redirect: return std::to_string(o.status) + " " + o.location;
    case OutcomeKind::answer:
      return std::to_string(o.status) + (o.note.empty() ? std::string() : " (" + o.note + ")");
  }
  return {};
}

nlohmann::ordered_json hop_json(const TraceHop& h, const RuleSet& rs, const SourceFiles& files) {
  nlohmann::ordered_json j;
  j["method"] = h.request.method;
  j["url"] = request_url(h.request);
  static constexpr const char* kinds[] = {"none", "redirect", "answer", "limit", "unknown"};
  j["kind"] = kinds[static_cast<int>(h.outcome.kind)];
  j["status"] = h.outcome.kind == OutcomeKind::none || undetermined(h.outcome.kind)
                    ? nlohmann::ordered_json(nullptr)
                    : nlohmann::ordered_json(h.outcome.status);
  j["location"] = h.outcome.location.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.outcome.location);
  nlohmann::ordered_json fired = nlohmann::ordered_json::array();
  for (const FiredRule& f : h.outcome.fired) {
    nlohmann::ordered_json r;
    r["file"] = f.where.file < files.size() ? files.path(f.where.file) : "";
    r["line"] = f.where.line;
    r["column"] = f.where.column;
    r["rule"] = rule_text(rs, f.rule);
    r["url_after"] = f.url_after;
    fired.push_back(r);
  }
  j["fired"] = fired;
  j["final_path"] = h.outcome.final_path.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.outcome.final_path);
  j["note"] = h.outcome.note;
  return j;
}

}  // namespace rl::cli
