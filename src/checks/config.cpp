#include "checks/config.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "checks/registry.hpp"
#include "model/source.hpp"
#include "util/glob.hpp"
#include "parse/yaml_util.hpp"  // valid_iso_date
#include "util/yaml_keys.hpp"

namespace rl {

namespace {

std::string known_keys() {
  std::string keys = "select, ignore, severity, max-hops, today, exclude, per-path, per-file-ignores";
  for (const LimitInfo& l : limit_table()) keys += ", " + std::string(l.name);
  return keys;
}


ConfigError error_at(const std::string& path, const YAML::Node& n, std::string msg) {
  YAML::Mark m = n.Mark();  // 0-based
  return {path, static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1), std::move(msg)};
}

void read_limit(const LimitInfo& info, const YAML::Node& v, const std::string& path, Limits& out,
                std::vector<ConfigError>& errors) {
  std::string text = v.IsScalar() ? v.Scalar() : "";
  std::uint64_t n = 0;
  bool digits = !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) n = std::stoull(text);
  if (!digits || n < info.min || n > info.max)
    errors.push_back(error_at(path, v, std::string(info.name) + " must be a number from " + std::to_string(info.min) +
                                           " to " + std::to_string(info.max)));
  else out.set(info.id, n);
}

void read_codes(const YAML::Node& n, const std::string& path, std::vector<std::string>& out,
                std::vector<ConfigError>& errors) {
  std::vector<YAML::Node> items;
  if (n.IsSequence())
    for (const YAML::Node& x : n) items.push_back(x);
  else if (n.IsScalar())
    items.push_back(n);
  else {
    errors.push_back(error_at(path, n, "expected a list of check codes or slugs"));
    return;
  }
  for (const YAML::Node& x : items) {
    if (!x.IsScalar()) {
      errors.push_back(error_at(path, x, "expected a check code or slug"));
      continue;
    }
    std::string code = x.Scalar();
    if (!find_check(code)) errors.push_back(error_at(path, x, "unknown check \"" + code + "\" (see redirlint list-checks)"));
    else out.push_back(std::string(find_check(code)->code));
  }
}

void read_severity(const YAML::Node& v, const std::string& path, std::vector<std::pair<std::string, Severity>>& out,
                   std::vector<ConfigError>& errors) {
  if (!v.IsMap()) {
    errors.push_back(error_at(path, v, "expected a mapping CODE: error|warning|info"));
    return;
  }
  for (const auto& s : v) {
    std::string code = s.first.IsScalar() ? s.first.Scalar() : "";
    Severity sev;
    if (!find_check(code)) errors.push_back(error_at(path, s.first, "unknown check \"" + code + "\" (see redirlint list-checks)"));
    else if (!s.second.IsScalar() || !parse_severity(s.second.Scalar(), sev))
      errors.push_back(error_at(path, s.second, "severity must be error, warning or info"));
    else out.push_back({std::string(find_check(code)->code), sev});
  }
}

void read_globs(const YAML::Node& v, const std::string& path, std::vector<std::string>& out,
                std::vector<ConfigError>& errors) {
  if (v.IsScalar() && !v.Scalar().empty()) {
    out.push_back(v.Scalar());
    return;
  }
  if (!v.IsSequence()) {
    errors.push_back(error_at(path, v, "expected a list of path globs"));
    return;
  }
  for (const YAML::Node& x : v) {
    if (!x.IsScalar() || x.Scalar().empty()) errors.push_back(error_at(path, x, "expected a path glob"));
    else out.push_back(x.Scalar());
  }
}

// One `per-path:` entry: GLOB: {format, htaccess-dir, select, ignore, severity}.
void read_path_settings(const YAML::Node& k, const YAML::Node& v, const std::string& path, PathSettings& ps,
                        std::vector<ConfigError>& errors) {
  ps.glob = k.IsScalar() ? k.Scalar() : "";
  if (ps.glob.empty()) errors.push_back(error_at(path, k, "expected a path glob"));
  if (!v.IsMap()) {
    errors.push_back(error_at(path, v, "expected a mapping of settings (format, htaccess-dir, select, ignore, severity)"));
    return;
  }
  for (const auto& kv : v) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    const YAML::Node& x = kv.second;
    if (key == "select") read_codes(x, path, ps.select, errors);
    else if (key == "ignore") read_codes(x, path, ps.ignore, errors);
    else if (key == "severity") read_severity(x, path, ps.severity, errors);
    else if (key == "format") {
      Format f;
      if (!x.IsScalar() || !parse_format(x.Scalar(), f))
        errors.push_back(error_at(path, x, "format must be apache, htaccess, nginx, yaml or netlify"));
      else ps.format = f;
    } else if (key == "htaccess-dir") {
      if (!x.IsScalar() || x.Scalar().empty()) errors.push_back(error_at(path, x, "htaccess-dir must be a URL path"));
      else ps.htaccess_dir = x.Scalar();
    } else {
      errors.push_back(error_at(path, kv.first, "unknown per-path key \"" + key +
                                                    "\" (known: format, htaccess-dir, select, ignore, severity)"));
    }
  }
}

}  // namespace

std::string Config::base_dir() const {
  return path.empty() ? std::string() : std::filesystem::path(path).parent_path().string();
}

const std::string* Config::excluded_by(const std::string& file) const {
  if (exclude.empty()) return nullptr;
  for (const std::string& g : exclude)
    if (glob_covers_file(g, file, base_dir())) return &g;
  return nullptr;
}

std::vector<const PathSettings*> Config::path_settings(const std::string& file) const {
  std::vector<const PathSettings*> out;
  if (per_path.empty()) return out;
  for (const PathSettings& ps : per_path)
    if (glob_covers_file(ps.glob, file, base_dir())) out.push_back(&ps);
  return out;
}

bool parse_config(std::string_view text, const std::string& path, Config& out, std::vector<ConfigError>& errors) {
  std::size_t before = errors.size();
  out.path = path;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    errors.push_back({path, static_cast<std::uint32_t>(e.mark.line + 1), static_cast<std::uint32_t>(e.mark.column + 1), e.msg});
    return false;
  }
  if (auto dup = find_duplicate_key(root)) {
    errors.push_back({path, static_cast<std::uint32_t>(dup->second.line + 1), static_cast<std::uint32_t>(dup->second.column + 1),
                      duplicate_key_message(*dup)});
    return false;
  }
  if (!root || root.IsNull()) return true;
  if (!root.IsMap()) {
    errors.push_back(error_at(path, root, "expected a mapping of settings (" + known_keys() + ")"));
    return false;
  }
  for (const auto& kv : root) {
    const YAML::Node& k = kv.first;
    const YAML::Node& v = kv.second;
    std::string key = k.IsScalar() ? k.Scalar() : std::string();
    try {
      if (key == "select") read_codes(v, path, out.select, errors);
      else if (key == "ignore") read_codes(v, path, out.ignore, errors);
      else if (key == "severity") read_severity(v, path, out.severity, errors);
      else if (key == "exclude") read_globs(v, path, out.exclude, errors);
      else if (key == "per-path" || key == "per-file-ignores") {
        if (!v.IsMap()) {
          errors.push_back(error_at(path, v, key == "per-path" ? "expected a mapping GLOB: {settings}"
                                                               : "expected a mapping GLOB: [codes]"));
          continue;
        }
        for (const auto& e : v) {
          PathSettings ps;
          if (key == "per-path") {
            read_path_settings(e.first, e.second, path, ps, errors);
          } else {
            ps.glob = e.first.IsScalar() ? e.first.Scalar() : "";
            if (ps.glob.empty()) errors.push_back(error_at(path, e.first, "expected a path glob"));
            read_codes(e.second, path, ps.ignore, errors);
          }
          out.per_path.push_back(std::move(ps));
        }
      } else if (key == "max-hops") {
        int n = v.IsScalar() ? v.as<int>() : 0;
        if (n < 1 || n > 100) errors.push_back(error_at(path, v, "max-hops must be a number from 1 to 100"));
        else out.max_hops = n;
      } else if (key == "today") {
        std::string d = v.IsScalar() ? v.Scalar() : "";
        if (!file_rules::valid_iso_date(d)) errors.push_back(error_at(path, v, "today must be a real date written YYYY-MM-DD"));
        else out.today = d;
      } else if (const LimitInfo* lim = find_limit(key)) {
        read_limit(*lim, v, path, out.limits, errors);
      } else {
        errors.push_back(error_at(path, k, "unknown key \"" + key + "\" (known: " + known_keys() + ")"));
      }
    } catch (const YAML::Exception&) {
      errors.push_back(error_at(path, v, "bad value for \"" + key + "\""));
    }
  }
  return errors.size() == before;
}

/// A .redirlint.yaml larger than this is refused.
constexpr std::size_t kMaxConfigBytes = 4u << 20;

bool load_config(const std::string& path, Config& out, std::vector<ConfigError>& errors) {
  // Bounded while reading; a directory (--config DIR) or a device is an error, never the defaults.
  std::string text, why;
  if (read_bounded(path, kMaxConfigBytes, text, why) != ReadStatus::ok) {
    errors.push_back({path, 0, 0, "cannot read config file: " + why});
    return false;
  }
  return parse_config(text, path, out, errors);
}

std::string find_config(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(file), ec);
  if (ec) return "";
  fs::path dir = fs::is_directory(p, ec) ? p : p.parent_path();
  for (int depth = 0; depth < 256 && !dir.empty(); ++depth) {
    fs::path candidate = dir / ".redirlint.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return "";
}

std::string to_string(const ConfigError& e) {
  std::string s = e.path;
  if (e.line) s += ":" + std::to_string(e.line) + ":" + std::to_string(e.column);
  return s + ": error: " + e.message;
}

}  // namespace rl
