#include "cli/inputs.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <tuple>
#include <utility>

#include "checks/config.hpp"
#include "checks/lint.hpp"
#include "cli/commands.hpp"
#include "cli/walk_files.hpp"
#include "parse/detect.hpp"
#include "report/report.hpp"

namespace fs = std::filesystem;

namespace rl::cli {

bool writable_format(Format f) {
  return f != Format::vercel && f != Format::cloudflare_bulk && f != Format::iis && f != Format::page;
}

std::string format_choices(bool writable) {
  std::string out;
  for (int i = 0; i <= static_cast<int>(Format::page); ++i)  // page is the enum's last format
    if (Format f = static_cast<Format>(i); !writable || writable_format(f))
      out += (out.empty() ? "{" : ",") + std::string(to_string(f));
  return out + "}";
}

void add_input_options(CLI::App& cmd, InputOptions& in) {
  cmd.add_option("--format", in.format, "input format " + format_choices() + " (default: detect)");
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

void add_walk_options(CLI::App& cmd, InputOptions& in) {
  in.walk.active = true;
  cmd.add_option("--exclude", in.walk.exclude,
                 "leave out files and folders this glob matches (repeatable; relative to the current folder)")
      ->allow_extra_args(false);
  cmd.add_flag("--no-ignore", in.walk.no_ignore, "also walk files that git ignores (.gitignore, .git/info/exclude)");
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

namespace {

/// Errors of config files that did not load while resolving limits, until load_inputs hands them to
/// its caller (commands load their inputs on one thread).
std::vector<ConfigError>& pending_config_errors() {
  static std::vector<ConfigError> errors;
  return errors;
}

}  // namespace

const Config& ConfigCache::for_file(const std::string& path) {
  std::string cfg = !config_.empty() ? config_ : path == "-" ? find_config("./-") : find_config(path);
  if (cfg.empty()) return defaults_;
  auto it = cache_.find(cfg);
  if (it == cache_.end()) {
    Config c;
    std::vector<ConfigError> errors;
    if (!load_config(cfg, c, errors)) {
      c = Config{};
      pending_config_errors().insert(pending_config_errors().end(), errors.begin(), errors.end());
    }
    it = cache_.emplace(cfg, std::move(c)).first;
  }
  return it->second;
}

bool make_parse_options(const InputOptions& in, ParseOptions& out) {
  if (!in.format.empty()) {
    Format f;
    if (!parse_format(in.format, f)) {
      std::cerr << "redirlint: unknown format \"" << in.format << "\" " << format_choices() << "\n";
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
  auto configs = std::make_shared<ConfigCache>(in.config);
  bool cli_format = !in.format.empty(), cli_dir = !in.htaccess_dir.empty();
  Limits cli_limits = in.limits;
  out.per_file = [configs, cli_format, cli_dir, cli_limits](const std::string& path, ParseOptions& o) {
    apply_file_settings(configs->for_file(path), path, cli_limits, cli_format, cli_dir, o);
  };
  return true;
}

namespace {

/// The URL path a page found under `root` is served at: its path below the root, with a leading '/'.
std::string page_url_path(const std::string& path, const std::string& root) {
  std::string rel = path.substr(std::min(path.size(), root.size()));
  while (rel.size() > 1 && rel[0] == '/' && rel[1] == '/') rel.erase(0, 1);
  if (rel.empty() || rel[0] != '/') rel.insert(rel.begin(), '/');
  return rel;
}

// Netlify reads a site's `_redirects` and its netlify.toml `[[redirects]]` as one list, `_redirects`
// first: a netlify.toml next to a `_redirects` that was also read joins that set (its rules after
// the file's), so chains and shadowing across the two files are found. Diagnostics keep each file's
// positions; a netlify.toml with `disable-file=` stays its own set.
/// Returns how many netlify.toml files joined a `_redirects` set.
std::size_t merge_netlify_sites(std::vector<RuleSet>& sets, const SourceFiles& files) {
  std::size_t merged = 0;
  auto dir_of = [&](const RuleSet& rs) { return fs::path(files.path(rs.file)).parent_path().string(); };
  auto named = [&](const RuleSet& rs, std::string_view n) { return fs::path(files.path(rs.file)).filename() == n; };
  for (std::size_t t = 0; t < sets.size(); ++t) {
    RuleSet& toml = sets[t];
    if (toml.format != Format::netlify_toml || !named(toml, "netlify.toml") || !toml.file_disabled.empty()) continue;
    for (RuleSet& red : sets) {
      if (red.format != Format::netlify || !named(red, "_redirects") || dir_of(red) != dir_of(toml)) continue;
      for (Rule& r : toml.rules) {
        r.id = static_cast<RuleId>(red.rules.size());
        red.rules.push_back(std::move(r));
      }
      red.parse_diags.insert(red.parse_diags.end(), toml.parse_diags.begin(), toml.parse_diags.end());
      red.unmodelled.insert(red.unmodelled.end(), toml.unmodelled.begin(), toml.unmodelled.end());
      red.files.insert(red.files.end(), toml.files.begin(), toml.files.end());
      red.sim_cache.reset();
      sets.erase(sets.begin() + static_cast<std::ptrdiff_t>(t--));
      ++merged;
      break;
    }
  }
  return merged;
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

Loaded load_inputs(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files,
                   const InputOptions& in) {
  std::vector<RuleSet> sets;
  Loaded out = load_inputs_each(paths, opts, files, in, [&](RuleSet& rs, bool) {
    sets.push_back(std::move(rs));
    return true;
  });
  out.sets = std::move(sets);
  return out;
}

Loaded load_inputs_each(const std::vector<std::string>& paths, const ParseOptions& opts, SourceFiles& files,
                        const InputOptions& in, const EachRuleSet& each) {
  ConfigCache configs(in.config);
  Expanded ex = expand_paths(paths, in.walk, configs);
  std::vector<std::string>& expanded = ex.files;
  std::vector<WalkError>& walk_errors = ex.errors;
  for (const std::string& n : ex.notes) std::cerr << "redirlint: " << display_text(n) << "\n";
  Loaded out;
  // Walked root -> its pages, read into one set (see read_one).
  std::map<std::string, RuleSet> pages_of_root;
  for (const WalkError& e : walk_errors) {
    out.unreadable = true;
    ++out.unreadable_files;  // counted as one input: "1 error in 1 file", not "in 0 files"
    FileId fid = files.add(e.path, "");
    out.unreadable_diags.push_back(
        make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read directory: " + e.why + "; its files are not checked"));
  }
  // Reads and parses expanded[i]; false when it cannot be read (reported in `out`).
  auto read_one = [&](std::size_t i, RuleSet& rs) {
    const std::string& p = expanded[i];
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
      rs.file = fid;
      rs.files.push_back(fid);
      rs.parse_diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0},
                                               "file has " + err + ", over the limit; not read (" +
                                                   limit_hint(LimitId::file_bytes, file_opts.max_file_bytes) + ")"));
      return true;
    }
    if (r != ReadStatus::ok) {
      out.unreadable = true;
      ++out.unreadable_files;
      FileId fid = files.add(shown, "");
      out.unreadable_diags.push_back(make_diagnostic("RL001", SourceRange{fid, 0, 0, 0, 0}, "cannot read file: " + err));
      return false;
    }
    FileId id = files.add(shown, std::move(text));
    auto root = ex.root_of.find(p);
    if (root != ex.root_of.end() && !opts.format && name_format(p) == Format::page) {
      // The pages of one walked directory are one set of file rules (each page answers for its own
      // URL), so that a chain from page to page is seen; handed over after the other files.
      auto [it, fresh] = pages_of_root.try_emplace(root->second);
      if (fresh) {
        it->second.format = Format::page;
        it->second.context = Context::file_rules;
        it->second.file = id;
      }
      read_page(files, id, page_url_path(p, root->second), it->second);
      return false;
    }
    rs = parse_file(files, id, file_opts);
    return true;
  };
  bool any_pages = false;
  for (const std::string& p : expanded)
    any_pages = any_pages || (!opts.format && ex.root_of.count(p) && name_format(p) == Format::page);
  // A netlify.toml and the _redirects of the same folder are one site (merge_netlify_sites): they are
  // read together, when the first of the two is reached, and handed over as one set.
  std::vector<std::size_t> partner(expanded.size(), SIZE_MAX);
  {
    std::map<std::string, std::size_t> redirects_in;  // folder -> index of its _redirects
    for (std::size_t i = 0; i < expanded.size(); ++i)
      if (expanded[i] != "-" && fs::path(expanded[i]).filename() == "_redirects")
        redirects_in.emplace(fs::path(expanded[i]).parent_path().string(), i);
    for (std::size_t i = 0; i < expanded.size(); ++i) {
      if (expanded[i] == "-" || fs::path(expanded[i]).filename() != "netlify.toml") continue;
      auto it = redirects_in.find(fs::path(expanded[i]).parent_path().string());
      if (it == redirects_in.end() || partner[it->second] != SIZE_MAX) continue;
      partner[i] = it->second;
      partner[it->second] = i;
    }
  }
  std::vector<bool> done(expanded.size(), false);
  std::size_t next = 0;  // every index below it is done
  bool stopped = false;
  for (std::size_t i = 0; i < expanded.size() && !stopped; ++i) {
    if (done[i]) continue;
    std::vector<std::size_t> group{i};
    if (partner[i] != SIZE_MAX) group.push_back(partner[i]);
    if (group.size() == 2 && fs::path(expanded[group[0]]).filename() != "_redirects") std::swap(group[0], group[1]);
    std::vector<RuleSet> sets;
    for (std::size_t g : group) {
      done[g] = true;
      RuleSet rs;
      if (read_one(g, rs)) sets.push_back(std::move(rs));
    }
    out.files_read += merge_netlify_sites(sets, files);  // a merged netlify.toml still counts as a file
    while (next < expanded.size() && done[next]) ++next;
    bool stop = false;
    for (std::size_t k = 0; k < sets.size() && !stop; ++k) {
      ++out.files_read;
      stop = !each(sets[k], !any_pages && next == expanded.size() && k + 1 == sets.size());
    }
    stopped = stop;
  }
  for (auto it = pages_of_root.begin(); it != pages_of_root.end() && !stopped; ++it) {
    ++out.files_read;
    stopped = !each(it->second, std::next(it) == pages_of_root.end());
  }
  // One config file can be read by both the walk and the limits: each error once.
  for (ConfigError& e : std::exchange(pending_config_errors(), {})) {
    bool seen = false;
    for (const ConfigError& o : out.config_errors)
      seen = seen || (o.path == e.path && o.line == e.line && o.column == e.column && o.message == e.message);
    if (!seen) out.config_errors.push_back(std::move(e));
  }
  return out;
}

bool report_config_errors(const Loaded& in) {
  for (const ConfigError& e : in.config_errors) std::cerr << to_string(e) << "\n";
  return !in.config_errors.empty();
}

}  // namespace rl::cli
