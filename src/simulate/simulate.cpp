#include "simulate/simulate.hpp"

namespace rl {

Outcome simulate(const RuleSet& rs, const Request& req, const SimOptions& opts) {
  switch (rs.format) {
    case Format::apache:
    case Format::htaccess: return simulate_apache(rs, req, opts);
    case Format::nginx: return simulate_nginx(rs, req, opts);
    case Format::yaml:
    case Format::netlify:
    case Format::page: return simulate_file_rules(rs, req, opts);
    case Format::iis: return simulate_iis(rs, req, opts);
  }
  return {};
}

}  // namespace rl
