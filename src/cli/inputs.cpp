#include "cli/inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <utility>

#include "analysis/automaton.hpp"
#include "checks/config.hpp"
#include "cli/commands.hpp"
#include "util/regex.hpp"

namespace fs = std::filesystem;

namespace rl::cli {

void add_input_options(CLI::App& cmd, InputOptions& in) {
  cmd.add_option("--format", in.format, "input format: apache, htaccess, nginx, yaml, netlify (default: detect)");
  cmd.add_option("--htaccess-dir", in.htaccess_dir, "URL path of the .htaccess file's directory (default /)");
  add_limit_options(cmd, in.limits);
}

void add_limit_options(CLI::App& cmd, Limits& limits) {
  for (const LimitInfo& info : limit_table()) {
    std::size_t i = static_cast<std::size_t>(info.id);
    cmd.add_option_function<std::uint64_t>(
           "--" + std::string(info.name), [&limits, i](const std::uint64_t& v) { limits.given[i] = v; },
           std::string(info.what) + " (default " + std::to_string(info.default_value) + ")")
        ->check(CLI::Range(info.min, info.max))
        ->group("Limits");
  }
}

void apply_parse_limits(const Limits& l, ParseOptions& out) {
  out.max_file_bytes = l.get(LimitId::file_bytes);
  out.max_line_bytes = l.get(LimitId::line_bytes);
  out.max_rules = l.get(LimitId::rules);
  out.max_depth = static_cast<int>(l.get(LimitId::nesting));
  out.max_include_depth = static_cast<int>(l.get(LimitId::include_depth));
}

void apply_global_limits(const Limits& l) {
  Regex::set_limits(static_cast<std::uint32_t>(l.get(LimitId::regex_match)),
                    static_cast<std::uint32_t>(l.get(LimitId::regex_depth)));
  analysis::AutomatonLimits::set_current(l.get(LimitId::pattern_bytes), l.get(LimitId::automaton_states));
}

namespace {

/// Errors of config files that did not load while resolving limits, until load_inputs hands them to
/// its caller (commands load their inputs on one thread).
std::vector<ConfigError>& pending_config_errors() {
  static std::vector<ConfigError> errors;
  return errors;
}

/// The limits in force for each file: command line, else its config file's, else the defaults.
/// A config file that does not load is read once; its errors reach Loaded::config_errors.
class LimitResolver {
 public:
  LimitResolver(Limits cli, std::string config) : cli_(cli), config_(std::move(config)) {}
  Limits for_file(const std::string& path) {
    std::string cfg = !config_.empty() ? config_ : path == "-" ? find_config("./-") : find_config(path);
    if (cfg.empty()) return cli_;
    auto it = cache_.find(cfg);
    if (it == cache_.end()) {
      Config c;
      std::vector<ConfigError> errors;
      if (!load_config(cfg, c, errors)) {
        c = Config{};
        pending_config_errors().insert(pending_config_errors().end(), errors.begin(), errors.end());
      }
      it = cache_.emplace(cfg, c.limits).first;
    }
    return cli_.or_else(it->second);
  }

 private:
  Limits cli_;
  std::string config_;
  std::map<std::string, Limits> cache_;
};

}  // namespace

bool make_parse_options(const InputOptions& in, ParseOptions& out) {
  if (!in.format.empty()) {
    Format f;
    if (!parse_format(in.format, f)) {
      std::cerr << "redirlint: unknown format \"" << in.format << "\" (apache, htaccess, nginx, yaml, netlify)\n";
      return false;
    }
    out.format = f;
  }
  if (!in.htaccess_dir.empty()) out.htaccess_dir = normalise_dir(in.htaccess_dir);
  apply_parse_limits(in.limits, out);
  apply_global_limits(in.limits);
  auto resolver = std::make_shared<LimitResolver>(in.limits, in.config);
  out.per_file = [resolver](const std::string& path, ParseOptions& o) {
    Limits l = resolver->for_file(path);
    apply_parse_limits(l, o);
    apply_global_limits(l);
  };
  return true;
}

namespace {

void walk(const fs::path& dir, std::vector<std::string>& out) {
  std::error_code ec;
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (it->is_directory(ec)) {
      if (name.size() > 1 && name[0] == '.' ) it.disable_recursion_pending();
      if (name == "node_modules" || name == "build") it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || !is_recognised_name(p.string()) || name == ".redirlint.yaml") continue;
    // A walk meets YAML of every kind (CI workflows, test suites, other tools' maps): read only our rule
    // files. A YAML file named on the command line is always read (and told apart by the parser).
    Format f;
    if (detect_format(p.string(), "", f) && f == Format::yaml) {
      std::ifstream in(p, std::ios::binary);
      std::string head(64 * 1024, '\0');
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<std::size_t>(in.gcount()));
      if (!looks_like_rule_file(head)) continue;
    }
    found.push_back(p.string());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define REDIRLINT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer) || __has_feature(memory_sanitizer)
#define REDIRLINT_SANITIZED 1
#endif
#endif

DisposeAtExit::~DisposeAtExit() {
#ifdef REDIRLINT_SANITIZED
  Loaded gone = std::move(in_);
#else
  // Deliberately never freed: the process exits right after this command (see inputs.hpp).
  static std::vector<Loaded>* kept = new std::vector<Loaded>();
  kept->push_back(std::move(in_));
#endif
}

Loaded load_inputs(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files) {
  std::vector<std::string> expanded;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) walk(p, expanded);
    else expanded.push_back(p);
  }
  Loaded out;
  for (const std::string& p : expanded) {
    ParseOptions file_opts = opts;
    if (opts.per_file) opts.per_file(p, file_opts);
    FileId id;
    std::string err;
    bool ok;
    std::error_code ec;
    if (auto size = p == "-" ? 0 : fs::file_size(p, ec); !ec && size > file_opts.max_file_bytes) {
      // Refused before reading: a huge file is never loaded into memory.
      FileId fid = files.add(p, "");
      RuleSet rs;
      rs.file = fid;
      rs.files.push_back(fid);
      rs.parse_diags.push_back(make_diagnostic(
          "RL001", SourceRange{fid, 0, 0, 0, 0},
          "file is " + std::to_string(size) + " bytes, over the limit; not read (" +
              limit_hint(LimitId::file_bytes, file_opts.max_file_bytes) + ")"));
      out.sets.push_back(std::move(rs));
      continue;
    }
    if (p == "-") {
      std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
      id = files.add("<stdin>", std::move(text));
      ok = true;
    } else {
      ok = files.load(p, id, err);
    }
    if (!ok) {
      out.unreadable = true;
      FileId fid = files.add(p, "");
      out.unreadable_diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read file: " + err));
      continue;
    }
    out.sets.push_back(parse_file(files, id, file_opts));
  }
  out.config_errors = std::exchange(pending_config_errors(), {});
  return out;
}

bool report_config_errors(const Loaded& in) {
  for (const ConfigError& e : in.config_errors) std::cerr << to_string(e) << "\n";
  return !in.config_errors.empty();
}

}  // namespace rl::cli
