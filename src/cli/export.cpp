// `redirlint export --to lychee-remap|csv RULES...` (docs/site.md "Exports"): every redirect with its
// final answer, found by the simulator, for tools that check links.
#include <iostream>
#include <sstream>

#include "analysis/walk.hpp"
#include "analysis/witness.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "report/report.hpp"
#include "simulate/url.hpp"

namespace rl::cli {

namespace {

struct ExportArgs {
  InputOptions input;
  std::string to;
  std::string base_url = "http://example.com";
  std::vector<std::string> rules;
  int max_hops = 20;
};

/// One rule and where a request that reaches it ends.
struct Row {
  const RuleSet* rs = nullptr;
  const Rule* rule = nullptr;
  std::optional<analysis::RedirectWalk> walk;  ///< unset: no example request reaches the rule
};

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string regex_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

const char* end_word(analysis::WalkEnd e) {
  switch (e) {
    case analysis::WalkEnd::answered: return "answered";
    case analysis::WalkEnd::loop: return "loop";
    case analysis::WalkEnd::forever: return "too many redirects";
    case analysis::WalkEnd::unfollowable: return "unfollowable Location";
    case analysis::WalkEnd::limit: return "unknown";
    case analysis::WalkEnd::left: return "left the rules";
  }
  return "";
}

/// The answer at the end of the walk: "200" for a path no rule answers, the status otherwise; "" unknown.
std::string final_status(const analysis::RedirectWalk& w) {
  const Outcome& o = w.hops.back().outcome;
  if (w.end != analysis::WalkEnd::answered || undetermined(o.kind)) return "";
  return o.kind == OutcomeKind::none ? "-" : std::to_string(o.status);
}

int run_export(const ExportArgs& a) {
  if (a.to != "lychee-remap" && a.to != "csv") {
    std::cerr << "redirlint: --to must be lychee-remap or csv (got \"" << display_text(a.to) << "\")\n";
    return kExitUsage;
  }
  Request base;
  {
    std::string error;
    if (!parse_request(a.base_url, base, error)) {
      std::cerr << "redirlint: --base-url: " << error << "\n";
      return kExitUsage;
    }
  }
  ParseOptions popts;
  if (!make_parse_options(a.input, popts)) return kExitUsage;
  SourceFiles files;
  Loaded in = load_inputs(a.rules, popts, files, a.input);
  DisposeAtExit keep{in};
  if (report_config_errors(in)) return kExitUsage;
  for (const Diagnostic& d : in.unreadable_diags) std::cerr << render_gcc({d}, files);
  analysis::WalkOptions wo;
  wo.max_hops = a.max_hops;
  std::vector<Row> rows;
  for (const RuleSet& rs : in.sets)
    for (const Rule& r : rs.rules) {
      if (r.action != Action::redirect) continue;
      Row row{&rs, &r, std::nullopt};
      for (const analysis::Witness& w : analysis::witnesses(rs, r, 1)) {
        row.walk = analysis::walk_redirects(rs, w.request, wo, w.outcome);
        // A rule that names no host answers on --base-url too: its walk from there, when the rule answers it.
        if (url::split_host(w.request.host).name != "example.com") continue;
        Request on_base = w.request;
        on_base.scheme = base.scheme;
        on_base.host = base.host;
        on_base.port = base.port;
        analysis::RedirectWalk there = analysis::walk_redirects(rs, on_base, wo);
        if (!there.hops.empty() && there.hops.front().has_rule && there.hops.front().rule == r.id) row.walk = std::move(there);
      }
      rows.push_back(std::move(row));
    }
  std::ostringstream out;
  if (a.to == "csv") {
    out << "file,line,match,source,status,target,example_request,final_status,final_url,hops,end\n";
    for (const Row& row : rows) {
      const Rule& r = *row.rule;
      out << csv_field(files.path(r.where.file)) << ',' << r.where.line << ',' << to_string(r.match.kind) << ',' << csv_field(r.match.text) << ',' << r.status << ','
          << csv_field(r.target ? r.target->url : "") << ',';
      if (!row.walk || row.walk->hops.empty()) {
        out << ",,,,no example request reaches the rule\n";
        continue;
      }
      const analysis::RedirectWalk& w = *row.walk;
      out << csv_field(describe(w.hops.front().request)) << ',' << final_status(w) << ','
          << csv_field(request_url(w.hops.back().request)) << ',' << w.redirects() << ',' << end_word(w.end) << '\n';
    }
  } else {
    // lychee's `remap`: "REGEX REPLACEMENT" per entry; TOML literal strings keep the backslashes.
    out << "# lychee.toml: links to these URLs are checked at the URL the redirects end on (redirlint export)\nremap = [\n";
    for (const Row& row : rows) {
      const Rule& r = *row.rule;
      std::string where = files.path(r.where.file) + ":" + std::to_string(r.where.line);
      if (!row.walk || row.walk->hops.empty() || final_status(*row.walk).empty()) {
        out << "  # " << where << ": not exported (" << (row.walk ? "the final answer is unknown" : "no example request reaches the rule") << ")\n";
        continue;
      }
      const analysis::RedirectWalk& w = *row.walk;
      if (r.match.kind != MatchKind::exact || !r.conds.empty()) {
        out << "  # " << where << ": not exported (only exact sources without conditions; e.g. " << request_url(w.hops.front().request)
            << " -> " << request_url(w.hops.back().request) << ")\n";
        continue;
      }
      const Request& first = w.hops.front().request;
      std::string host = url::split_host(first.host).name;
      std::string pattern = "^https?://" + regex_escape(host) + regex_escape(url::split_target(first.target).path) + "$";
      std::string final_url = request_url(w.hops.back().request);
      if (final_url.find('\'') != std::string::npos || pattern.find('\'') != std::string::npos) {
        out << "  # " << where << ": not exported (a quote in the URL)\n";
        continue;
      }
      out << "  '" << pattern << ' ' << final_url << "',  # " << where << "\n";
    }
    out << "]\n";
  }
  std::cout << out.str();
  return in.unreadable ? kExitBadInput : kExitClean;
}

}  // namespace

void setup_export(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "every redirect with its final answer, for link checkers (lychee remap, CSV)");
  add_input_options(*cmd, args->input);
  cmd->add_option("--to", args->to, "lychee-remap or csv")->required();
  cmd->add_option("--base-url", args->base_url, "the site's URL, for rules that name no host (default http://example.com)");
  cmd->add_option("--max-hops", args->max_hops, "redirects followed at most")->check(CLI::Range(1, 100));
  cmd->add_option("rules", args->rules, "rule files or directories")->required();
  cmd->callback([args, &exit_code] { exit_code = run_export(*args); });
}

}  // namespace rl::cli
