// `redirlint trace`: what the server does with given requests (DESIGN §7, docs/testing.md).
#include <cstdlib>
#include <algorithm>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/trace_support.hpp"
#include "analysis/walk.hpp"
#include "report/report.hpp"
#include "simulate/simulate.hpp"
#include "simulate/url.hpp"
#include "util/limits.hpp"
#include "util/regex.hpp"
#include "report/json_text.hpp"

namespace rl::cli {

namespace {

struct TraceArgs {
  InputOptions input;
  TraceRequestOptions request;
  bool follow = false;
  int max_hops = 0;  ///< 0 = the rules file's .redirlint.yaml `max-hops`, else 20
  std::string output = "text";
  std::string urls_file;
  std::string rules;
  std::vector<std::string> urls;
};

/// One traced request: its hops (one without --follow), from the one redirect walk of analysis/.
struct Traced {
  std::vector<TraceHop> hops;
  bool loop = false;      ///< --follow came back to a URL already visited
  bool too_long = false;  ///< --follow was still redirecting after max_hops redirects (or the URL grew too long)
};

Traced trace_one(const RuleSet& rs, const Request& first, const SimOptions& sim, bool follow, int max_hops) {
  Traced t;
  if (!follow) {
    t.hops.push_back({first, simulate(rs, first, sim)});
    return t;
  }
  analysis::WalkOptions opts;
  opts.max_hops = max_hops;
  opts.sim = sim;
  analysis::RedirectWalk w = analysis::walk_redirects(rs, first, opts);
  for (analysis::HopRecord& h : w.hops) t.hops.push_back({std::move(h.request), std::move(h.outcome)});
  t.loop = w.end == analysis::WalkEnd::loop;
  t.too_long = w.end == analysis::WalkEnd::forever;
  return t;
}

std::string status_text(const Outcome& o) {
  switch (o.kind) {
    case OutcomeKind::none: return "-";
    case OutcomeKind::limit: return "limit";
    case OutcomeKind::unknown: return "unknown";
    default: return std::to_string(o.status);
  }
}

void print_tsv(const Traced& t) {
  for (const TraceHop& h : t.hops)
    std::cout << display_text(h.request.method) << '\t' << display_text(request_url(h.request)) << '\t'
              << status_text(h.outcome) << '\t'
              << (h.outcome.location.empty() ? "-" : display_text(h.outcome.location)) << '\n';
}

void print_text(const Traced& t, const RuleSet& rs, const SourceFiles& files, int max_hops) {
  for (std::size_t i = 0; i < t.hops.size(); ++i) {
    const TraceHop& h = t.hops[i];
    std::cout << (i == 0 ? "" : "  then ") << display_text(describe(h.request)) << "\n";
    for (const FiredRule& f : h.outcome.fired) {
      std::cout << "    " << display_text(rule_location(f, files) + ": " + rule_text(rs, f.rule)) << "\n";
      if (!f.url_after.empty()) std::cout << "      -> " << display_text(f.url_after) << "\n";
    }
    std::cout << "    => " << display_text(outcome_text(h.outcome)) << "\n";
  }
  if (t.loop) std::cout << "    loop: the next request is one already made\n";
  if (t.too_long)
    std::cout << "    redirects forever: still redirecting after " << std::min<std::size_t>(t.hops.size() - 1, max_hops)
              << " redirects (browsers give up after " << analysis::kBrowserMaxRedirects << ")\n";
}

nlohmann::ordered_json to_json(const Traced& t, const RuleSet& rs, const SourceFiles& files) {
  nlohmann::ordered_json j;
  j["request"] = t.hops.empty() ? "" : describe(t.hops.front().request);
  nlohmann::ordered_json hops = nlohmann::ordered_json::array();
  for (const TraceHop& h : t.hops) hops.push_back(hop_json(h, rs, files));
  j["hops"] = hops;
  j["loop"] = t.loop;
  j["truncated"] = t.too_long;
  return j;
}

/// "in rule at line N" of a limit outcome's note: the rule whose regex gave up (0 = not named).
std::uint32_t limit_line(const Outcome& o) {
  std::size_t at = o.note.rfind("at line ");
  if (at == std::string::npos) return 0;
  return static_cast<std::uint32_t>(std::strtoul(o.note.c_str() + at + 8, nullptr, 10));
}

/// One warning on stderr per hop whose answer is unknown because a regex hit the PCRE2 limits.
void report_limit_hits(const Traced& t, const RuleSet& rs, const SourceFiles& files) {
  for (const TraceHop& h : t.hops) {
    if (h.outcome.kind != OutcomeKind::limit || h.outcome.note.find("match limit") == std::string::npos) continue;
    std::uint32_t line = limit_line(h.outcome);
    std::string where = files.path(rs.file);
    auto at = [&](const SourceRange& w) {
      where = files.path(w.file) + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
    };
    for (const Rule& r : rs.rules)
      if (line && r.where.line == line) {
        at(r.where);
        break;
      }
    // nginx names no rule when a location regex gave up: find the location whose regex does.
    for (const Block& b : rs.blocks) {
      if (line || (b.mod != LocationMod::regex && b.mod != LocationMod::regex_nocase)) continue;
      auto re = Regex::compile(b.path, b.mod == LocationMod::regex_nocase);
      std::string decoded, path;
      url::percent_decode(url::split_target(h.request.target).path, decoded);
      if (!url::normalise_path(decoded, true, path)) path = decoded;
      if (re && re->match(path) == MatchStatus::limit) {
        at(b.where);
        break;
      }
    }
    std::cerr << display_text(where) << ": warning: regex match limit reached for " << display_text(describe(h.request))
              << ": the answer is unknown (" << limit_hint(LimitId::regex_match, Regex::match_limit())
              << "; " << limit_hint(LimitId::regex_depth, Regex::depth_limit()) << ")\n";
  }
}

int run_trace(const TraceArgs& a) {
  ParseOptions popts;
  if (!make_parse_options(a.input, popts)) return kExitUsage;
  Request base;
  SimOptions sim;
  std::string error;
  if (!make_request_base(a.request, base, sim, error)) {
    std::cerr << "redirlint trace: " << display_text(error) << "\n";
    return kExitUsage;
  }
  std::vector<std::string> lines = a.urls;
  if (!a.urls_file.empty() && !read_url_lines(a.urls_file, lines, error)) {
    std::cerr << "redirlint trace: " << display_text(error) << "\n";
    return kExitUsage;
  }
  if (lines.empty()) {
    std::cerr << "redirlint trace: no requests (give URLs after the rules file, or --urls FILE)\n";
    return kExitUsage;
  }
  std::vector<Request> requests;
  for (const std::string& line : lines) {
    Request r;
    if (!parse_request(line, r, error, base)) {
      std::cerr << "redirlint trace: " << display_text(error) << "\n";
      return kExitUsage;
    }
    requests.push_back(r);
  }
  SourceFiles files;
  const RuleSet* rs = nullptr;
  Loaded in;
  DisposeAtExit keep{in};
  int bad = load_rules(a.rules, popts, files, in, rs);
  if (bad != kExitClean) return bad;
  const int max_hops = a.max_hops ? a.max_hops : configured_max_hops(a.rules, a.input.config);

  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const Request& r : requests) {
    Traced t = trace_one(*rs, r, sim, a.follow, max_hops);
    report_limit_hits(t, *rs, files);
    if (a.output == "tsv") print_tsv(t);
    else if (a.output == "json") all.push_back(to_json(t, *rs, files));
    else print_text(t, *rs, files, max_hops);
  }
  if (a.output == "json") {
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["tool"] = "redirlint";
    doc["rules"] = a.rules;
    doc["format"] = std::string(to_string(rs->format));
    doc["requests"] = all;
    std::cout << json_text(doc) << "\n";
  }
  return kExitClean;
}

}  // namespace

void setup_trace(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* cmd = app.add_subcommand("trace", "show what the server does with requests: status, Location, the rules that fired");
  add_input_options(*cmd, args->input);
  add_request_options(*cmd, args->request);
  add_server_options(*cmd, args->request);
  cmd->add_flag("--follow", args->follow, "follow redirects, one line per hop (loop detection, at most max-hops redirects)");
  cmd->add_option("--max-hops", args->max_hops, "redirects --follow follows at most (default: max-hops of .redirlint.yaml, else 20)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--output", args->output, "text, json or tsv")->check(CLI::IsMember({"text", "json", "tsv"}));
  cmd->add_option("--urls", args->urls_file, "file with one request per line ('#' comments)");
  cmd->add_option("rules", args->rules, "the rules file")->required();
  cmd->add_option("urls", args->urls, "requests: /path?q, http://host/path or 'METHOD URL'");
  cmd->callback([args, &exit_code] { exit_code = run_trace(*args); });
}

}  // namespace rl::cli
