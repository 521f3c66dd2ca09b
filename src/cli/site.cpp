// `redirlint site --root DIR [--base-url URL] RULES...` (docs/site.md): the built site against the rules.
#include <iostream>

#include "analysis/site.hpp"
#include "checks/registry.hpp"
#include "cli/commands.hpp"
#include "cli/findings.hpp"
#include "cli/inputs.hpp"
#include "report/report.hpp"

namespace rl::cli {

namespace {

struct SiteArgs {
  InputOptions input;
  std::string root;
  std::string base_url = "http://example.com";
  std::vector<std::string> rules;
  std::string output = "text";
  std::string fail_level = "warning";
  std::vector<std::string> select, ignore;
  bool fix = false, unsafe_fixes = false, diff = false, quiet = false;
  int jobs = 0;
  int max_hops = 20;
};

bool wanted(const SiteArgs& a, const std::string& code) {
  auto has = [&](const std::vector<std::string>& list) {
    for (const std::string& c : list)
      if (const CheckInfo* info = find_check(c); info && info->code == code) return true;
    return false;
  };
  return (a.select.empty() || has(a.select)) && !has(a.ignore);
}

int run_site(const SiteArgs& a) {
  ParseOptions popts;
  if (!make_parse_options(a.input, popts)) return kExitUsage;
  Severity fail = Severity::info;
  bool never_fail = a.fail_level == "never";
  if (!never_fail && !parse_severity(a.fail_level, fail)) {
    std::cerr << "redirlint: --fail-level must be error, warning, info or never\n";
    return kExitUsage;
  }
  if (!known_codes(a.select) || !known_codes(a.ignore)) return kExitUsage;
  site::SiteOptions so;
  so.base_url = a.base_url;
  so.jobs = a.jobs;
  site::Site probe;
  if (!site::parse_base_url(a.base_url, probe)) {
    std::cerr << "redirlint: --base-url must be an http(s) URL such as https://example.com (got \"" << display_text(a.base_url) << "\")\n";
    return kExitUsage;
  }
  SourceFiles files;
  Loaded in = load_inputs(a.rules, popts, files, a.input);
  DisposeAtExit keep{in};
  if (report_config_errors(in)) return kExitUsage;
  std::vector<Diagnostic> diags = in.unreadable_diags;
  bool bad_input = in.unreadable;
  for (const RuleSet& rs : in.sets)
    for (const Diagnostic& d : rs.parse_diags)
      if (d.severity == Severity::error) {
        bad_input = bad_input || d.code == "RL001";
        diags.push_back(d);
      }
  site::Site s = site::read_site(a.root, so, files);
  bad_input = bad_input || s.unreadable;
  diags.insert(diags.end(), s.read_diags.begin(), s.read_diags.end());
  for (Diagnostic& d : site::check_site(s, in.sets, files, so, a.max_hops)) diags.push_back(std::move(d));
  std::vector<Diagnostic> kept;
  for (Diagnostic& d : diags)
    if (d.code == "RL001" || wanted(a, d.code)) kept.push_back(std::move(d));
  diags = std::move(kept);
  sort_diagnostics(diags, files);
  if (a.fix || a.unsafe_fixes || a.diff) {
    bool changed = false;
    if (!handle_fixes(a.unsafe_fixes, a.diff, diags, files, changed)) return kExitBadInput;
    if (changed && !a.diff) {
      SiteArgs again = a;  // report on the pages as they are now
      again.fix = again.unsafe_fixes = false;
      return run_site(again);
    }
  }
  std::size_t counted = in.files_counted() + s.pages.size();
  print_diagnostics(a.output, diags, files, counted, !a.quiet);
  return findings_exit(bad_input, never_fail, fail, diags);
}

}  // namespace

void setup_site(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SiteArgs>();
  CLI::App* cmd = app.add_subcommand("site", "check a built site's links, canonical URLs, assets and sitemaps against the rules");
  add_input_options(*cmd, args->input);
  add_output_options(*cmd, args->output);
  cmd->add_option("--root", args->root, "the built site (the folder the server serves)")->required();
  cmd->add_option("--base-url", args->base_url, "the URL the site is served at (default http://example.com)");
  cmd->add_option("--fail-level", args->fail_level,
                  "lowest severity that makes the exit code 1 (error|warning|info), or never");
  cmd->add_flag("-q,--quiet", args->quiet, "print the findings only: no summary line");
  cmd->add_option("--select", args->select, "only these codes or slugs")->allow_extra_args(false);
  cmd->add_option("--ignore", args->ignore, "skip these codes or slugs")->allow_extra_args(false);
  cmd->add_option("--jobs", args->jobs, "threads: 1 = one; default: 2 when the machine has two cores")->check(CLI::Range(0, 64));
  cmd->add_option("--max-hops", args->max_hops, "redirects followed at most")->check(CLI::Range(1, 100));
  cmd->add_flag("--fix", args->fix, "rewrite links to redirecting URLs in the pages (permanent hops only)");
  cmd->add_flag("--unsafe-fixes", args->unsafe_fixes, "also rewrite links whose redirects are temporary");
  cmd->add_flag("--diff", args->diff, "print the fixes as a unified diff instead of writing them");
  cmd->add_option("rules", args->rules, "rule files or directories");
  cmd->callback([args, &exit_code] {
    args->select = split_codes(args->select);
    args->ignore = split_codes(args->ignore);
    exit_code = run_site(*args);
  });
}

}  // namespace rl::cli
