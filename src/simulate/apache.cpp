// Apache httpd 2.4 request simulation: server context (vhosts, mod_rewrite then mod_alias) and
// per-directory .htaccess (mod_rewrite fixups, mod_alias fixups, internal redirects).
// Follows SEMANTICS.md §0-2 and mod_rewrite.c / mod_alias.c; checked by tests/differential/.
#include <algorithm>
#include <string>

#include "simulate/apache_internal.hpp"
#include "simulate/simulate.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

using namespace apache_sim;

Outcome answer(int status, std::string note) {
  Outcome o;
  o.kind = OutcomeKind::answer;
  o.status = status;
  o.note = std::move(note);
  return o;
}

bool is_rewrite_rule(const Rule& r) { return r.origin.directive == "RewriteRule"; }
bool is_alias_rule(const Rule& r) {
  const std::string& d = r.origin.directive;
  return d == "Redirect" || d == "RedirectMatch" || d == "RedirectPermanent" || d == "RedirectTemp";
}

// apr_fnmatch with case folding, as used for ServerAlias wildcards.
bool wildcard_match(std::string_view pat, std::string_view s) {
  if (pat.empty()) return s.empty();
  if (pat[0] == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i)
      if (wildcard_match(pat.substr(1), s.substr(i))) return true;
    return false;
  }
  if (s.empty()) return false;
  if (pat[0] != '?' && url::lower(pat.substr(0, 1)) != url::lower(s.substr(0, 1))) return false;
  return wildcard_match(pat.substr(1), s.substr(1));
}

bool vhost_has_name(const Block& b, std::string_view host) {
  for (const std::string& n : b.server_names)
    if (wildcard_match(n, host)) return true;
  return false;
}

// Name-based virtual host selection (SEMANTICS 2.13): among the vhosts for the port, the first whose
// ServerName/ServerAlias matches the Host, else the first one. -1 = the main server.
int select_vhost(const RuleSet& rs, const Request& req) {
  int listen = req.port != 0 ? req.port : url::default_port(req.scheme);
  std::string host = url::split_host(req.host).name;
  int first = -1;
  for (std::size_t i = 0; i < rs.blocks.size(); ++i) {
    const Block& b = rs.blocks[i];
    if (b.kind != BlockKind::server) continue;
    if (!b.ports.empty() && std::find(b.ports.begin(), b.ports.end(), listen) == b.ports.end()) continue;
    if (first < 0) first = static_cast<int>(i);
    if (vhost_has_name(b, host)) return static_cast<int>(i);
  }
  return first;
}

// RewriteEngine of a server: the vhost's own setting, else the main server's (config_server_merge).
bool engine_on(const RuleSet& rs, int server) {
  if (server >= 0) {
    const Block& b = rs.blocks[static_cast<std::size_t>(server)];
    if (b.rewrite_engine) return *b.rewrite_engine;
  }
  return rs.rewrite_engine.value_or(false);
}

bool has_option(const std::vector<std::string>& options, std::string_view name) {
  for (const std::string& o : options)
    if (url::iequals(o, name)) return true;
  return false;
}

}  // namespace

Outcome simulate_apache(const RuleSet& rs, const Request& req, const SimOptions& opts) {
  const Compiled& compiled = compiled_for(rs);
  url::SplitTarget target = url::split_target(req.target);
  std::string decoded;
  if (int st = url::apache_decode_path(target.path, decoded); st != 0)
    return answer(st, st == 404 ? "encoded slash %2F in the path (AllowEncodedSlashes Off)" : "bad request path");

  Engine engine(rs, compiled, req, opts);
  engine.uri = decoded;
  engine.args = target.query;

  if (rs.format == Format::htaccess) return engine.run_per_dir();

  int server = select_vhost(rs, req);
  engine.server = server;
  std::vector<const Rule*> rewrites, aliases, main_rewrites, main_aliases;
  int unsimulated = 0;
  for (const Rule& r : rs.rules) {
    if (!in_rule_context(rs, r)) {
      if (r.scope.server == server || r.scope.server < 0) ++unsimulated;
      continue;
    }
    bool own = r.scope.server == server;
    bool main = r.scope.server < 0;
    if (is_rewrite_rule(r)) {
      if (own) rewrites.push_back(&r);
      else if (main) main_rewrites.push_back(&r);
    } else if (is_alias_rule(r)) {
      if (own) aliases.push_back(&r);
      else if (main) main_aliases.push_back(&r);
    }
  }
  if (server >= 0) {
    // Rules are not inherited by a vhost unless RewriteOptions Inherit / InheritBefore.
    const auto& options = rs.blocks[static_cast<std::size_t>(server)].rewrite_options;
    if (has_option(options, "InheritBefore"))
      rewrites.insert(rewrites.begin(), main_rewrites.begin(), main_rewrites.end());
    else if (has_option(options, "Inherit"))
      rewrites.insert(rewrites.end(), main_rewrites.begin(), main_rewrites.end());
    // mod_alias merges: the vhost's Redirects first, then the main server's.
    aliases.insert(aliases.end(), main_aliases.begin(), main_aliases.end());
  }
  Outcome o = engine.run_server(engine_on(rs, server) ? rewrites : std::vector<const Rule*>{}, aliases);
  if (unsimulated && o.note.empty() && o.kind == OutcomeKind::none)
    o.note = std::to_string(unsimulated) + (unsimulated == 1 ? " rule" : " rules") +
             " inside <Directory>, <Location>, <Files> or <If> sections not simulated";
  return o;
}

}  // namespace rl
