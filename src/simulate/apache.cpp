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

// An answer that rests on a value the simulator cannot know is unknown, never a definite wrong answer.
Outcome unknown_if_unknowable(const Engine& engine, Outcome o) {
  if (engine.unknown().empty() || undetermined(o.kind)) return o;
  Outcome u;
  u.kind = OutcomeKind::unknown;
  u.note = engine.unknown();
  u.fired = std::move(o.fired);
  return u;
}

}  // namespace

Outcome simulate_apache(const RuleSet& rs, const Request& req, const SimOptions& opts) {
  return simulate_with(rs, compiled_for(rs), req, opts);
}

Outcome apache_sim::simulate_with(const RuleSet& rs, const Compiled& compiled, const Request& req,
                                  const SimOptions& opts) {
  url::SplitTarget target = url::split_target(req.target);
  std::string decoded;
  if (int st = url::apache_decode_path(target.path, decoded); st != 0)
    return answer(st, st == 404 ? "encoded slash %2F in the path (AllowEncodedSlashes Off)" : "bad request path");

  Engine engine(rs, compiled, req, opts);
  engine.uri = decoded;
  engine.args = target.query;

  if (rs.format == Format::htaccess)
    return unknown_if_unknowable(engine, apply_error_document(rs, -1, engine.run_per_dir()));

  int server = select_vhost(rs, req);
  engine.server = server;
  const ContextLists& lists = compiled.server_lists(server);
  return unknown_if_unknowable(engine, apply_error_document(rs, server, engine.run_server(lists)));
}

}  // namespace rl
