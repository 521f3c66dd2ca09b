// `redirlint logs RULES ACCESS_LOG...`: logged traffic replayed through the rules (docs/logs.md).
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/findings.hpp"
#include "cli/inputs.hpp"
#include "cli/trace_support.hpp"
#include "history/access_log.hpp"
#include "history/traffic.hpp"
#include "report/report.hpp"

namespace rl::cli {

namespace {

struct LogsArgs {
  InputOptions input;
  TraceRequestOptions request;
  std::string output = "text";
  std::string fail_level = "warning";
  std::string config;
  std::size_t top = 10;
  std::string progress = "auto";
  std::string rules;
  std::vector<std::string> logs;
};

/// "\rredirlint: access.log  42%  (1048576 lines)" on stderr, when it is a terminal.
class Progress {
 public:
  explicit Progress(bool on) : on_(on) {}
  void show(const std::string& name, std::uint64_t lines, std::uint64_t done, std::uint64_t total) {
    if (!on_) return;
    std::string pct = total ? std::to_string(std::min<std::uint64_t>(100, done * 100 / total)) + "%" : "";
    std::cerr << "\rredirlint: reading " << name << " " << pct << " (" << lines << " lines)\x1b[K" << std::flush;
    shown_ = true;
  }
  void clear() {
    if (shown_) std::cerr << "\r\x1b[K" << std::flush;
    shown_ = false;
  }

 private:
  bool on_, shown_ = false;
};

std::string range_text(const SourceRange& r, const SourceFiles& files) {
  return files.path(r.file) + ":" + std::to_string(r.line);
}

std::string summary_table(const history::TrafficReport& rep, const history::Traffic& t, std::uint64_t unparsed,
                          std::size_t log_files, const SourceFiles& files) {
  std::string s = "\nlogs: " + std::to_string(log_files) + " file" + (log_files == 1 ? "" : "s") + ", " +
                  std::to_string(t.lines()) + " requests" +
                  (t.first_day() ? " from " + history::day_text(t.first_day()) + " to " + history::day_text(t.last_day())
                                 : std::string()) +
                  " (" + std::to_string(rep.distinct) + " distinct; " + std::to_string(unparsed) + " lines skipped)\n";
  s += "  redirected " + std::to_string(rep.redirected) + ", through chains " + std::to_string(rep.chained) +
       ", logged 404 " + std::to_string(rep.not_found) + ", past review date " + std::to_string(rep.expired_hits) + "\n";
  if (rep.requests == 0) return s + "  rules " + std::to_string(rep.rules) + ": none judged (no request read)\n";
  s += "  rules " + std::to_string(rep.rules) + ": " + std::to_string(rep.reached) + " reached, " +
       std::to_string(rep.judged - rep.reached) + " unused, " + std::to_string(rep.rules - rep.judged) +
       " for other hosts or schemes (not judged)\n";
  if (!rep.chains.empty()) {
    s += "\n  requests  chain (fix these first)\n";
    for (const history::ChainRow& c : rep.chains) {
      std::string n = std::to_string(c.count);
      s += "  " + std::string(n.size() < 8 ? 8 - n.size() : 0, ' ') + n + "  " + c.example + "  (" +
           range_text(c.rule, files) + ")\n";
    }
  }
  if (!rep.top_not_found.empty()) {
    s += "\n  requests  404 path  -> closest\n";
    for (const history::NotFoundRow& r : rep.top_not_found) {
      std::string n = std::to_string(r.count);
      s += "  " + std::string(n.size() < 8 ? 8 - n.size() : 0, ' ') + n + "  " + r.path +
           (r.suggestion.empty() ? std::string() : "  -> " + r.suggestion) + "\n";
    }
  }
  return s;
}

nlohmann::ordered_json summary_json(const history::TrafficReport& rep, const history::Traffic& t,
                                    std::uint64_t unparsed, const SourceFiles& files) {
  nlohmann::ordered_json j;
  j["requests"] = t.lines();
  j["distinct"] = rep.distinct;
  j["skipped_lines"] = unparsed;
  j["first_day"] = t.first_day() ? nlohmann::ordered_json(history::day_text(t.first_day())) : nullptr;
  j["last_day"] = t.last_day() ? nlohmann::ordered_json(history::day_text(t.last_day())) : nullptr;
  j["redirected"] = rep.redirected;
  j["chained"] = rep.chained;
  j["not_found"] = rep.not_found;
  j["expired_hits"] = rep.expired_hits;
  j["rules"] = {{"total", rep.rules}, {"judged", rep.judged}, {"reached", rep.reached}};
  j["chains"] = nlohmann::ordered_json::array();
  for (const history::ChainRow& c : rep.chains)
    j["chains"].push_back({{"count", c.count}, {"path", c.example}, {"file", files.path(c.rule.file)}, {"line", c.rule.line}});
  j["top_not_found"] = nlohmann::ordered_json::array();
  for (const history::NotFoundRow& r : rep.top_not_found)
    j["top_not_found"].push_back({{"path", r.path}, {"count", r.count}, {"suggestion", r.suggestion}});
  return j;
}

int run_logs(const LogsArgs& a) {
  ParseOptions popts;
  InputOptions input = a.input;
  input.config = a.config;
  if (!make_parse_options(input, popts)) return kExitUsage;
  Severity fail = Severity::info;
  bool never_fail = a.fail_level == "never";
  if (!never_fail && !parse_severity(a.fail_level, fail)) {
    std::cerr << "redirlint: --fail-level must be error, warning, info or never\n";
    return kExitUsage;
  }
  history::TrafficOptions topts;
  if (std::string error; !make_request_base(a.request, topts.base, topts.sim, error)) {
    std::cerr << "redirlint: " << error << "\n";
    return kExitUsage;
  }
  topts.top = a.top;
  topts.max_hops = configured_max_hops(a.rules, a.config);
  SourceFiles files;
  Loaded in;
  const RuleSet* rs = nullptr;
  if (int rc = load_rules(a.rules, popts, files, in, rs); rc != kExitClean) return rc;
  DisposeAtExit keep{in};
  std::vector<Diagnostic> diags;
  bool bad_input = false;
  history::Traffic traffic;
  std::uint64_t skipped = 0;
  Progress progress(a.progress == "always" || (a.progress == "auto" && isatty(2)));
  for (const std::string& path : a.logs) {
    FileId fid = files.add(path, "");  // positions only: a log is never held in memory
    history::LogReadStats stats;
    std::uint64_t malformed = 0, first_malformed = 0;
    std::string error;
    bool ok = history::read_log(
        path,
        [&](std::uint64_t number, std::string_view line) {
          history::LogEntry e;
          if (history::parse_log_line(line, e)) {
            traffic.add(e, fid, static_cast<std::uint32_t>(number));
          } else if (!line.empty()) {
            if (!malformed++) first_malformed = number;
          }
        },
        [&](std::uint64_t done, std::uint64_t total) { progress.show(path, traffic.lines(), done, total); }, stats,
        error);
    progress.clear();
    if (!ok) {
      bad_input = true;
      diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read log: " + error));
      continue;
    }
    skipped += malformed + stats.too_long;
    auto note = [&](std::uint64_t n, std::uint64_t first, const std::string& why) {
      if (!n) return;
      auto l = static_cast<std::uint32_t>(first);
      Diagnostic d = make_diagnostic("RL001", SourceRange{fid, l, 1, l + 1, 1},
                                     std::to_string(n) + " line" + (n == 1 ? "" : "s") + " " + why +
                                         " (the first here); skipped");
      d.severity = Severity::warning;  // the rest of the log is still read
      diags.push_back(std::move(d));
    };
    note(malformed, first_malformed, "not in the common or combined log format");
    note(stats.too_long, stats.first_too_long,
         "longer than " + std::to_string(history::kMaxLogLineBytes) + " bytes");
  }
  history::TrafficReport rep = history::analyse_traffic(*rs, traffic, topts);
  for (Diagnostic& d : rep.diags) diags.push_back(std::move(d));
  sort_diagnostics(diags, files);
  const std::size_t counted = 1 + a.logs.size();
  if (a.output == "json") {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(render_json(diags, files));
    j["logs"] = summary_json(rep, traffic, skipped, files);
    std::cout << j.dump(2) << "\n";
  } else {
    print_diagnostics(a.output, diags, files, counted, false);
    if (a.output == "gcc" || a.output.rfind("text", 0) == 0)
      std::cout << summary_table(rep, traffic, skipped, a.logs.size(), files);
  }
  return findings_exit(bad_input, never_fail, fail, diags);
}

}  // namespace

void setup_logs(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LogsArgs>();
  CLI::App* cmd = app.add_subcommand("logs", "replay access logs (common/combined, plain or .gz) through the rules");
  add_input_options(*cmd, args->input);
  add_output_options(*cmd, args->output);
  add_request_options(*cmd, args->request);
  add_server_options(*cmd, args->request);
  cmd->add_option("--fail-level", args->fail_level,
                  "lowest severity that makes the exit code 1 (error|warning|info), or never");
  cmd->add_option("--config", args->config, "settings file (default: .redirlint.yaml found upward from RULES)");
  cmd->add_option("--top", args->top, "how many 404 paths (RL513) and chains the report lists (default 10)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--progress", args->progress, "progress bar on stderr: auto (when a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("rules", args->rules, "the rules file")->required();
  cmd->add_option("logs", args->logs, "access logs (Apache/nginx common or combined; .gz read directly)")->required();
  cmd->callback([args, &exit_code] { exit_code = run_logs(*args); });
}

}  // namespace rl::cli
