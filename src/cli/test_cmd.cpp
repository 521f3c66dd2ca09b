// `redirlint test EXPECTATIONS.yaml`: pins redirects in CI (docs/testing.md).
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/trace_support.hpp"
#include "report/report.hpp"
#include "util/atomic_write.hpp"
#include "util/yaml_keys.hpp"

namespace rl::cli {

namespace {

struct TestArgs {
  std::string suite;
  std::string output = "text";  ///< text, junit, github (docs/testing.md)
  std::string output_file;      ///< --output-file: the report goes there (atomically), not to stdout
};

/// One case's result, rendered at the end in the chosen format.
struct CaseResult {
  std::uint32_t line = 0;  ///< the case's line in the suite (1-based)
  std::string request;     ///< describe(request)
  bool ok = false;
  std::string text;        ///< the text output's PASS/FAIL block (each line ends in '\n')
  std::string expected, actual;
};

std::string render_results(const TestArgs& a, const std::vector<CaseResult>& results, int passed, int failed) {
  std::ostringstream o;
  if (a.output == "junit") {
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o << "<testsuites name=\"redirlint\" tests=\"" << results.size() << "\" failures=\"" << failed << "\">\n";
    o << "  <testsuite name=\"" << xml_escape(a.suite) << "\" tests=\"" << results.size() << "\" failures=\"" << failed
      << "\" errors=\"0\">\n";
    for (const CaseResult& r : results) {
      o << "    <testcase classname=\"redirlint.test\" name=\"" << xml_escape(a.suite + ":" + std::to_string(r.line) + " " + r.request)
        << "\" file=\"" << xml_escape(a.suite) << "\" line=\"" << r.line << "\"";
      if (r.ok) {
        o << "/>\n";
        continue;
      }
      o << ">\n      <failure message=\"" << xml_escape("expected " + r.expected + ", got " + r.actual) << "\" type=\"mismatch\">"
        << xml_escape(r.text) << "</failure>\n    </testcase>\n";
    }
    o << "  </testsuite>\n</testsuites>\n";
    return o.str();
  }
  if (a.output == "github") {
    for (const CaseResult& r : results) {
      if (r.ok) continue;
      o << "::error file=" << github_escape(a.suite, true) << ",line=" << r.line
        << ",title=" << github_escape("redirlint test: " + r.request, true) << "::"
        << github_escape("expected " + r.expected + ", got " + r.actual, false) << "\n";
    }
    o << passed << " passed, " << failed << " failed\n";
    return o.str();
  }
  for (const CaseResult& r : results) o << r.text;
  o << passed << " passed, " << failed << " failed\n";
  return o.str();
}

/// Settings that apply to a case: the suite's, overridden by the case's own keys.
struct CaseSettings {
  std::string rules;  ///< resolved path
  InputOptions input;
  TraceRequestOptions request;
};

/// What a case expects; unset = not checked.
struct Expectation {
  std::optional<std::string> status;    ///< "301", "-" (no rule answered), "limit", "unknown"
  bool check_location = false;
  std::string location;                 ///< "" = no Location
};

std::string scalar(const YAML::Node& n) { return n.IsScalar() ? n.as<std::string>() : std::string(); }

std::string where(const std::string& file, const YAML::Node& n) {
  return file + ":" + std::to_string(n.Mark().line + 1);
}

// Reads the keys shared by the suite level and the case level into `s`.
bool read_settings(const YAML::Node& n, const std::filesystem::path& base, CaseSettings& s, std::string& error) {
  if (n["rules"]) s.rules = (base / scalar(n["rules"])).lexically_normal().string();
  if (n["format"]) s.input.format = scalar(n["format"]);
  if (n["htaccess-dir"]) s.input.htaccess_dir = scalar(n["htaccess-dir"]);
  if (n["host"]) s.request.host = scalar(n["host"]);
  if (n["https"]) s.request.https = n["https"].as<bool>();
  if (n["port"]) s.request.port = n["port"].as<int>();
  if (n["document-root"]) s.request.document_root = scalar(n["document-root"]);
  auto list = [&](const char* key, std::vector<std::string>& out) {
    if (!n[key]) return true;
    if (!n[key].IsSequence()) {
      error = std::string("'") + key + "' must be a list";
      return false;
    }
    out.clear();
    for (const auto& x : n[key]) out.push_back(scalar(x));
    return true;
  };
  if (!list("files", s.request.files) || !list("dirs", s.request.dirs)) return false;
  if (n["headers"]) {
    if (!n["headers"].IsMap()) {
      error = "'headers' must be a map of Name: value";
      return false;
    }
    s.request.headers.clear();
    for (const auto& kv : n["headers"]) s.request.headers.push_back(scalar(kv.first) + ": " + scalar(kv.second));
  }
  return true;
}

std::string actual_status(const Outcome& o) {
  if (o.kind == OutcomeKind::none) return "-";
  if (o.kind == OutcomeKind::limit) return "limit";
  if (o.kind == OutcomeKind::unknown) return "unknown";
  return std::to_string(o.status);
}

std::string show(const std::string& status, const std::string& location) {
  return status + (location.empty() ? "" : " " + location);
}

/// Loaded rules, keyed by (path, format, htaccess dir).
struct RulesCache {
  std::map<std::string, std::unique_ptr<Loaded>> loaded;
  SourceFiles files;
  const RuleSet* get(const CaseSettings& s, int& bad) {
    std::string key = s.rules + "\n" + s.input.format + "\n" + s.input.htaccess_dir;
    auto it = loaded.find(key);
    if (it == loaded.end()) {
      ParseOptions popts;
      auto in = std::make_unique<Loaded>();
      const RuleSet* rs = nullptr;
      if (!make_parse_options(s.input, popts)) {
        bad = kExitUsage;
        return nullptr;
      }
      if (int rc = load_rules(s.rules, popts, files, *in, rs); rc != kExitClean) {
        bad = rc;
        return nullptr;
      }
      it = loaded.emplace(key, std::move(in)).first;
    }
    return &it->second->sets.front();
  }
};

/// A test suite larger than this is refused (the rule files it names have --max-file-bytes).
constexpr std::size_t kMaxSuiteBytes = 64u << 20;

int run_test(const TestArgs& a) {
  YAML::Node doc;
  try {
    // Bounded while reading, and a directory or device refused (YAML::LoadFile reads without bound and
    // throws an uncaught ios_failure on a directory).
    std::string text, why;
    if (read_bounded(a.suite, kMaxSuiteBytes, text, why) != ReadStatus::ok) {
      std::cerr << a.suite << ": error: cannot read the test suite: " << why << "\n";
      return kExitBadInput;
    }
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    std::cerr << a.suite << ":" << (e.mark.line + 1) << ":" << (e.mark.column + 1) << ": error: " << e.msg << "\n";
    return kExitBadInput;
  }
  if (auto dup = find_duplicate_key(doc)) {
    std::cerr << a.suite << ":" << (dup->second.line + 1) << ":" << (dup->second.column + 1)
              << ": error: " << duplicate_key_message(*dup) << "\n";
    return kExitBadInput;
  }
  const std::filesystem::path base = std::filesystem::path(a.suite).parent_path();
  CaseSettings suite;
  std::string error;
  try {
    if (!doc.IsMap() || !doc["cases"] || !doc["cases"].IsSequence()) {
      std::cerr << a.suite << ":1:1: error: a test suite is a map with a 'cases' list\n";
      return kExitBadInput;
    }
    if (!read_settings(doc, base, suite, error)) {
      std::cerr << a.suite << ": error: " << error << "\n";
      return kExitBadInput;
    }
    RulesCache cache;
    int passed = 0, failed = 0;
    std::vector<CaseResult> results;
    for (const YAML::Node& c : doc["cases"]) {
      std::string at = where(a.suite, c);
      CaseSettings s = suite;
      if (!c.IsMap() || !c["request"] || !read_settings(c, base, s, error)) {
        std::cerr << at << ": error: " << (error.empty() ? "a case needs 'request'" : error) << "\n";
        return kExitBadInput;
      }
      if (s.rules.empty()) {
        std::cerr << at << ": error: no 'rules' file for this case (set it on the suite or the case)\n";
        return kExitBadInput;
      }
      int bad = kExitClean;
      const RuleSet* rs = cache.get(s, bad);
      if (!rs) return bad;
      Request req_base, req;
      SimOptions sim;
      if (!make_request_base(s.request, req_base, sim, error) || !parse_request(scalar(c["request"]), req, error, req_base)) {
        std::cerr << at << ": error: " << error << "\n";
        return kExitBadInput;
      }
      Expectation e;
      if (c["status"]) e.status = scalar(c["status"]) == "none" ? "-" : scalar(c["status"]);
      if (c["location"]) {
        e.check_location = true;
        e.location = c["location"].IsNull() ? "" : scalar(c["location"]);
        if (e.location == "-") e.location.clear();
      }
      Outcome o = simulate(*rs, req, sim);
      CaseResult r;
      r.line = static_cast<std::uint32_t>(c.Mark().line + 1);
      r.request = describe(req);
      r.ok = (!e.status || *e.status == actual_status(o)) && (!e.check_location || e.location == o.location);
      r.actual = show(actual_status(o), o.location);
      r.expected = show(e.status.value_or(actual_status(o)), e.check_location ? e.location : o.location);
      std::string line = at + " " + r.request;
      if (r.ok) {
        ++passed;
        r.text = "PASS " + line + " -> " + r.actual + "\n";
      } else {
        ++failed;
        r.text = "FAIL " + line + "\n  - expected: " + r.expected + "\n  + actual:   " + r.actual + "\n";
        for (const FiredRule& f : o.fired)
          r.text += "    fired " + rule_location(f, cache.files) + ": " + rule_text(*rs, f.rule) + "\n";
        if (o.fired.empty()) r.text += "    no rule fired\n";
      }
      results.push_back(std::move(r));
    }
    std::string report = render_results(a, results, passed, failed);
    if (a.output_file.empty()) {
      std::cout << report;
    } else if (std::string werr; !write_atomically(a.output_file, report, werr)) {
      std::cerr << "redirlint: cannot write --output-file " << a.output_file << ": " << werr << "\n";
      return kExitBadInput;
    } else {
      std::cerr << passed << " passed, " << failed << " failed (report in " << a.output_file << ")\n";
    }
    return failed ? kExitFindings : kExitClean;
  } catch (const YAML::Exception& e) {
    // A value of the wrong type (`https: maybe`, `port: x`).
    std::cerr << a.suite << ":" << (e.mark.line + 1) << ":" << (e.mark.column + 1) << ": error: " << e.msg
              << " (https is true/false, port a number)\n";
    return kExitBadInput;
  }
}

}  // namespace

void setup_test(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TestArgs>();
  CLI::App* cmd = app.add_subcommand("test", "check requests against expected status and Location (exit 1 on any mismatch)");
  cmd->add_option("--output", args->output, "text, or for CI: junit (a test case per case), github (annotations)")
      ->check(CLI::IsMember({"text", "junit", "github"}));
  cmd->add_option("--output-file", args->output_file, "write the report to this file (atomically) instead of stdout");
  cmd->add_option("suite", args->suite, "the expectations file (YAML, docs/testing.md)")->required();
  cmd->callback([args, &exit_code] { exit_code = run_test(*args); });
}

}  // namespace rl::cli
