#include "simulate/simulate.hpp"

#include <algorithm>
#include <functional>

namespace rl {

namespace {

bool listed(const std::vector<std::string>& v, bool sorted, std::string_view p) {
  if (sorted) return std::binary_search(v.begin(), v.end(), p, std::less<>());
  return std::find(v.begin(), v.end(), p) != v.end();
}

}  // namespace

bool SimOptions::has_file(std::string_view path) const { return listed(existing_files, sorted, path); }
bool SimOptions::has_dir(std::string_view path) const { return listed(existing_dirs, sorted, path); }

bool SimOptions::has_file_under(std::string_view dir) const {
  std::string p(dir);
  if (p.empty() || p.back() != '/') p += '/';
  if (!sorted) {
    for (const std::string& f : existing_files)
      if (f.starts_with(p)) return true;
    return false;
  }
  auto it = std::lower_bound(existing_files.begin(), existing_files.end(), p);
  return it != existing_files.end() && it->starts_with(p);
}

Outcome simulate(const RuleSet& rs, const Request& req, const SimOptions& opts) {
  switch (rs.format) {
    case Format::apache:
    case Format::htaccess: return simulate_apache(rs, req, opts);
    case Format::nginx: return simulate_nginx(rs, req, opts);
    case Format::yaml:
    case Format::netlify:
    case Format::netlify_toml:
    case Format::vercel:
    case Format::cloudflare_bulk:
    case Format::page: return simulate_file_rules(rs, req, opts);
    case Format::iis: return simulate_iis(rs, req, opts);
  }
  return {};
}

}  // namespace rl
