// `redirlint trace`: what the server does with given requests (DESIGN §7, docs/testing.md).
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/trace_support.hpp"
#include "report/report.hpp"
#include "simulate/simulate.hpp"

namespace rl::cli {

namespace {

struct TraceArgs {
  InputOptions input;
  TraceRequestOptions request;
  bool follow = false;
  std::string output = "text";
  std::string urls_file;
  std::string rules;
  std::vector<std::string> urls;
};

/// One traced request: its hops (one without --follow).
struct Traced {
  std::vector<TraceHop> hops;
  bool loop = false;      ///< --follow came back to a URL already visited
  bool too_long = false;  ///< --follow stopped after kMaxHops
};

constexpr int kMaxHops = 20;

Traced trace_one(const RuleSet& rs, const Request& first, const SimOptions& sim, bool follow) {
  Traced t;
  Request req = first;
  std::set<std::string> seen;
  for (int hop = 0; hop < kMaxHops; ++hop) {
    seen.insert(request_url(req));
    TraceHop h{req, simulate(rs, req, sim)};
    t.hops.push_back(h);
    if (!follow || h.outcome.kind != OutcomeKind::redirect) return t;
    Request next;
    if (!follow_location(req, h.outcome.location, next)) return t;
    if (seen.count(request_url(next))) {
      t.loop = true;
      return t;
    }
    req = next;
  }
  t.too_long = true;
  return t;
}

std::string status_text(const Outcome& o) {
  switch (o.kind) {
    case OutcomeKind::none: return "-";
    case OutcomeKind::limit: return "limit";
    default: return std::to_string(o.status);
  }
}

void print_tsv(const Traced& t) {
  for (const TraceHop& h : t.hops)
    std::cout << h.request.method << '\t' << request_url(h.request) << '\t' << status_text(h.outcome) << '\t'
              << (h.outcome.location.empty() ? "-" : h.outcome.location) << '\n';
}

void print_text(const Traced& t, const RuleSet& rs, const SourceFiles& files) {
  for (std::size_t i = 0; i < t.hops.size(); ++i) {
    const TraceHop& h = t.hops[i];
    std::cout << (i == 0 ? "" : "  then ") << describe(h.request) << "\n";
    for (const FiredRule& f : h.outcome.fired) {
      std::cout << "    " << rule_location(f, files) << ": " << rule_text(rs, f.rule) << "\n";
      if (!f.url_after.empty()) std::cout << "      -> " << f.url_after << "\n";
    }
    std::cout << "    => " << outcome_text(h.outcome) << "\n";
  }
  if (t.loop) std::cout << "    loop: the next request is one already made\n";
  if (t.too_long) std::cout << "    stopped after " << kMaxHops << " hops\n";
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

int run_trace(const TraceArgs& a) {
  ParseOptions popts;
  if (!make_parse_options(a.input, popts)) return kExitUsage;
  Request base;
  SimOptions sim;
  std::string error;
  if (!make_request_base(a.request, base, sim, error)) {
    std::cerr << "redirlint trace: " << error << "\n";
    return kExitUsage;
  }
  std::vector<std::string> lines = a.urls;
  if (!a.urls_file.empty() && !read_url_lines(a.urls_file, lines, error)) {
    std::cerr << "redirlint trace: " << error << "\n";
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
      std::cerr << "redirlint trace: " << error << "\n";
      return kExitUsage;
    }
    requests.push_back(r);
  }
  SourceFiles files;
  const RuleSet* rs = nullptr;
  Loaded in;
  int bad = load_rules(a.rules, popts, files, in, rs);
  if (bad != kExitClean) return bad;

  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const Request& r : requests) {
    Traced t = trace_one(*rs, r, sim, a.follow);
    if (a.output == "tsv") print_tsv(t);
    else if (a.output == "json") all.push_back(to_json(t, *rs, files));
    else print_text(t, *rs, files);
  }
  if (a.output == "json") {
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["tool"] = "redirlint";
    doc["rules"] = a.rules;
    doc["format"] = std::string(to_string(rs->format));
    doc["requests"] = all;
    std::cout << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  }
  return kExitClean;
}

}  // namespace

void setup_trace(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* cmd = app.add_subcommand("trace", "show what the server does with requests: status, Location, the rules that fired");
  add_input_options(*cmd, args->input);
  add_request_options(*cmd, args->request);
  cmd->add_flag("--follow", args->follow, "follow redirects, one line per hop (loop detection, at most 20 hops)");
  cmd->add_option("--output", args->output, "text, json or tsv")->check(CLI::IsMember({"text", "json", "tsv"}));
  cmd->add_option("--urls", args->urls_file, "file with one request per line ('#' comments)");
  cmd->add_option("rules", args->rules, "the rules file")->required();
  cmd->add_option("urls", args->urls, "requests: /path?q, http://host/path or 'METHOD URL'");
  cmd->callback([args, &exit_code] { exit_code = run_trace(*args); });
}

}  // namespace rl::cli
