#include "cli/inputs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <tuple>
#include <utility>

#include "analysis/automaton.hpp"
#include "checks/config.hpp"
#include "cli/commands.hpp"
#include "parse/detect.hpp"
#include "util/regex.hpp"

namespace fs = std::filesystem;

namespace rl::cli {

void add_input_options(CLI::App& cmd, InputOptions& in) {
  cmd.add_option("--format", in.format, "input format: apache, htaccess, nginx, yaml, netlify (default: detect)");
  cmd.add_option("--htaccess-dir", in.htaccess_dir, "URL path of the .htaccess file's directory (default /)");
  cmd.add_option("--stdin-filename", in.stdin_filename,
                 "the path that stdin (-) stands for: its format, .redirlint.yaml and the name in messages");
  cmd.add_option("--include-root", in.include_root,
                 "directory that nginx includes and map files must stay inside (default: the checked file's "
                 "directory, or --nginx-prefix)");
  cmd.add_option("--nginx-prefix", in.nginx_prefix,
                 "local copy of nginx's configuration directory (where nginx.conf is): relative include paths "
                 "are resolved against it, as nginx does (default: the checked file's directory)");
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
  out.stdin_name = in.stdin_filename;
  for (auto [dir, opt, field] : {std::tuple{&in.include_root, "--include-root", &out.include_root},
                                 std::tuple{&in.nginx_prefix, "--nginx-prefix", &out.nginx_prefix}}) {
    if (dir->empty()) continue;
    std::error_code ec;
    if (!fs::is_directory(*dir, ec)) {
      std::cerr << "redirlint: " << opt << " " << *dir << ": not a directory\n";
      return false;
    }
    *field = fs::weakly_canonical(*dir, ec).string();
  }
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

/// A directory that could not be listed during a walk, and why.
struct WalkError {
  std::string path, why;
};

// One directory level at a time (not recursive_directory_iterator, which skips an unreadable
// subdirectory in silence or ends the whole walk): every directory that cannot be listed is reported.
void walk_dir(const fs::path& dir, std::vector<std::string>& found, std::vector<WalkError>& errors, int depth) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    errors.push_back({dir.string(), ec.message()});
    return;
  }
  std::vector<fs::path> subdirs;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    std::error_code e2;
    if (it->is_directory(e2)) {
      // Hidden folders, node_modules and build trees are not configuration; a symlinked folder is not
      // followed (it may lead back up the tree).
      bool skip = (name.size() > 1 && name[0] == '.') || name == "node_modules" || name == "build" || it->is_symlink(e2);
      if (!skip) subdirs.push_back(p);
      continue;
    }
    if (!it->is_regular_file(e2) || !is_recognised_name(p.string()) || name == ".redirlint.yaml") continue;
    // A walk meets YAML of every kind (CI workflows, test suites, other tools' maps): read only our rule
    // files. A YAML file named on the command line is always read (and told apart by the parser).
    if (name_format(p.string()) == Format::yaml) {
      std::string head, why;
      int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        head.resize(64 * 1024);
        ssize_t n = ::read(fd, head.data(), head.size());
        head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        ::close(fd);
      }
      if (fd >= 0 && !looks_like_rule_file(head)) continue;  // unreadable: kept, so that it is reported
    }
    found.push_back(p.string());
  }
  if (ec) errors.push_back({dir.string(), ec.message()});
  if (depth >= 256) {
    if (!subdirs.empty()) errors.push_back({dir.string(), "folders nested more than 256 deep; not walked"});
    return;
  }
  for (const fs::path& d : subdirs) walk_dir(d, found, errors, depth + 1);
}

void walk(const fs::path& dir, std::vector<std::string>& out, std::vector<WalkError>& errors,
          std::map<std::string, std::string>& root_of) {
  std::vector<std::string> found;
  walk_dir(dir, found, errors, 0);
  std::sort(found.begin(), found.end());
  for (const std::string& f : found) root_of.emplace(f, dir.string());
  out.insert(out.end(), found.begin(), found.end());
}

/// The URL path a page found under `root` is served at: its path below the root, with a leading '/'.
std::string page_url_path(const std::string& path, const std::string& root) {
  std::string rel = path.substr(std::min(path.size(), root.size()));
  while (rel.size() > 1 && rel[0] == '/' && rel[1] == '/') rel.erase(0, 1);
  if (rel.empty() || rel[0] != '/') rel.insert(rel.begin(), '/');
  return rel;
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
  std::vector<WalkError> walk_errors;
  std::map<std::string, std::string> root_of;  // a file found by walking a directory -> that directory
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) walk(p, expanded, walk_errors, root_of);
    else expanded.push_back(p);
  }
  Loaded out;
  // The pages of one walked directory are one set of file rules (each page answers for its own URL),
  // so that a chain from page to page is seen: root -> index in out.sets.
  std::map<std::string, std::size_t> pages_of_root;
  for (const WalkError& e : walk_errors) {
    out.unreadable = true;
    FileId fid = files.add(e.path, "");
    out.unreadable_diags.push_back(
        make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read directory: " + e.why + "; its files are not checked"));
  }
  for (const std::string& p : expanded) {
    // stdin is named by --stdin-filename for detection, config lookup and messages.
    const std::string shown = p != "-" ? p : opts.stdin_name.empty() ? "<stdin>" : opts.stdin_name;
    ParseOptions file_opts = opts;
    if (opts.per_file) opts.per_file(p == "-" && !opts.stdin_name.empty() ? opts.stdin_name : p, file_opts);
    std::string text, err;
    // Bounded while reading: /dev/zero, a FIFO or 300 MB on stdin never fill memory.
    ReadStatus r = p == "-" ? read_fd_bounded(0, file_opts.max_file_bytes, text, err)
                            : read_bounded(p, file_opts.max_file_bytes, text, err);
    if (r == ReadStatus::too_large) {
      FileId fid = files.add(shown, "");
      RuleSet rs;
      rs.file = fid;
      rs.files.push_back(fid);
      rs.parse_diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0},
                                               "file has " + err + ", over the limit; not read (" +
                                                   limit_hint(LimitId::file_bytes, file_opts.max_file_bytes) + ")"));
      out.sets.push_back(std::move(rs));
      continue;
    }
    if (r != ReadStatus::ok) {
      out.unreadable = true;
      FileId fid = files.add(shown, "");
      out.unreadable_diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read file: " + err));
      continue;
    }
    FileId id = files.add(shown, std::move(text));
    auto root = root_of.find(p);
    if (root != root_of.end() && !opts.format && name_format(p) == Format::page) {
      auto [it, fresh] = pages_of_root.emplace(root->second, out.sets.size());
      if (fresh) {
        RuleSet pages;
        pages.format = Format::page;
        pages.context = Context::file_rules;
        pages.file = id;
        out.sets.push_back(std::move(pages));
      }
      read_page(files, id, page_url_path(p, root->second), out.sets[it->second]);
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
