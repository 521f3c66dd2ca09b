#include "analysis/witness.hpp"

#include <algorithm>

#include "analysis/automaton.hpp"
#include "analysis/facts.hpp"
#include "simulate/url.hpp"

namespace rl::analysis {

namespace {

// Host names as clients send them: dot-separated labels ending in a letter label.
constexpr const char* kHostShape = "^([a-z0-9]+\\.)+[a-z]+$";

// An example string of `c`'s pattern within `shape` (a PCRE for the characters we want).
std::optional<std::string> condition_example(const Condition& c, const char* shape) {
  if (c.op == CondOp::equal) return c.pattern.text;
  if (c.op != CondOp::regex) return std::nullopt;
  auto l = Language::from_pcre(c.pattern.text, c.pattern.ignore_case);
  auto s = Language::from_pcre(shape, false);
  if (!l || !s) return std::nullopt;
  auto both = l->intersect(*s);
  if (!both || both->empty()) return std::nullopt;
  return both->example();
}

std::string default_host(const RuleSet& rs, const Rule& r) {
  auto hosts = literal_hosts(rs, r);
  if (!hosts.empty()) return hosts[0];
  if (r.scope.server >= 0 && static_cast<std::size_t>(r.scope.server) < rs.blocks.size())
    for (const std::string& n : rs.blocks[static_cast<std::size_t>(r.scope.server)].server_names) {
      if (n.rfind("*.", 0) == 0) return "www" + n.substr(1);
      if (!n.empty() && n[0] == '.') return n.substr(1);
    }
  return "example.com";
}

}  // namespace

ConditionSolver::Entry& ConditionSolver::entry(const Condition& c) {
  std::string key;
  key.reserve(c.pattern.text.size() + 3);
  key += static_cast<char>('0' + static_cast<int>(c.op));
  key += c.pattern.ignore_case ? 'i' : '-';
  key += c.pattern.negated ? '!' : '-';
  key += c.pattern.text;
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  return entries_[std::move(key)];
}

bool ConditionSolver::holds(const Condition& c, std::string_view value) {
  bool m = false;
  if (c.op == CondOp::equal) m = c.pattern.text == value;
  else if (c.op == CondOp::regex) {
    Entry& e = entry(c);
    if (!e.compiled) {
      e.re = Regex::compile(c.pattern.text, c.pattern.ignore_case);
      e.compiled = true;
    }
    m = e.re && e.re->matches(value);
  } else
    return true;
  return c.pattern.negated ? !m : m;
}

std::optional<std::string> ConditionSolver::host(const Condition& c) {
  {
    Entry& e = entry(c);
    if (e.host_known) return e.host;
  }
  std::optional<std::string> h;
  for (const char* name : {"example.com", "www.example.com", "example.org", "www.example.org", "old.example.com"})
    if (holds(c, name)) {
      h = name;
      break;
    }
  if (!h) h = example(c, kHostShape);
  Entry& e = entry(c);  // again: holds() may have emptied the table
  e.host_known = true;
  e.host = h;
  return h;
}

std::optional<std::string> ConditionSolver::example(const Condition& c, const char* shape) {
  if (c.op == CondOp::equal) return c.pattern.text;
  if (c.op != CondOp::regex) return std::nullopt;
  {
    Entry& e = entry(c);
    for (const auto& [s, ex] : e.examples)
      if (s == shape) return ex;
  }
  std::optional<std::string> ex = condition_example(c, shape);
  entry(c).examples.emplace_back(shape, ex);
  return ex;
}

Request request_for(const RuleSet& rs, const Rule& r, std::string_view path) {
  ConditionSolver conds;
  return request_for(rs, r, path, conds);
}

Request request_for(const RuleSet& rs, const Rule& r, std::string_view path, ConditionSolver& conds) {
  Request q;
  std::string scheme = scheme_restriction(rs, r);
  q.scheme = scheme.empty() ? "http" : scheme;
  q.host = default_host(rs, r);
  std::string query;
  for (const Condition& c : r.conds) {
    if (c.or_next) continue;
    const std::string& t = c.test;
    if (t == "${http_host}" || t == "${host}") {
      if (conds.holds(c, q.host)) continue;
      if (!c.pattern.negated) {
        if (auto ex = conds.host(c)) q.host = *ex;
      } else {
        for (const char* h : {"example.org", "www.example.net", "redirlint.test"})
          if (conds.holds(c, h)) {
            q.host = h;
            break;
          }
      }
    } else if (t == "${query}" && !c.pattern.negated) {
      if (auto ex = conds.example(c, "^[a-zA-Z0-9=&_.-]*$")) query = *ex;
    } else if (t == "${method}" && !c.pattern.negated) {
      if (auto ex = conds.example(c, "^[A-Z]+$")) q.method = *ex;
    } else if (t.rfind("${http:", 0) == 0 && t.size() > 8 && !c.pattern.negated) {
      std::string name = t.substr(7, t.size() - 8);
      if (url::iequals(name, "Host")) continue;
      if (auto ex = conds.example(c, "^[ -~]*$")) q.headers.push_back({name, *ex});
    } else if (t.rfind("${arg:", 0) == 0 && t.size() > 7 && !c.pattern.negated) {
      std::string name = t.substr(6, t.size() - 7);
      if (auto ex = conds.example(c, "^[a-zA-Z0-9_.-]*$")) query += (query.empty() ? "" : "&") + name + "=" + *ex;
    }
  }
  q.target = encode_path(path) + (query.empty() ? "" : "?" + query);
  return q;
}

std::vector<std::string> host_examples(const RuleSet& rs, ConditionSolver& conds, std::size_t max) {
  std::vector<std::string> out;
  auto add = [&](std::string h) {
    if (out.size() < max && !h.empty() && std::find(out.begin(), out.end(), h) == out.end()) out.push_back(std::move(h));
  };
  // Rules of one server block without conditions share their hosts: ask once per run of them.
  const std::vector<std::string>* last_hosts = nullptr;
  int last_server = -2;
  for (const Rule& r : rs.rules) {
    if (out.size() >= max) break;
    if (r.conds.empty() && &r.scope.hosts.list() == last_hosts && r.scope.server == last_server) continue;
    last_hosts = r.conds.empty() ? &r.scope.hosts.list() : nullptr;
    last_server = r.scope.server;
    for (std::string& h : literal_hosts(rs, r)) add(std::move(h));
    for (const Condition& c : r.conds)
      if ((c.test == "${http_host}" || c.test == "${host}") && !c.pattern.negated && c.op == CondOp::regex)
        if (auto ex = conds.host(c)) add(url::lower(*ex));
  }
  return out;
}

bool fired(const Outcome& o, RuleId r) {
  return std::any_of(o.fired.begin(), o.fired.end(), [&](const FiredRule& f) { return f.rule == r; });
}

std::optional<RuleId> answering_rule(const RuleSet& rs, const Outcome& o) {
  if (o.kind != OutcomeKind::redirect && o.kind != OutcomeKind::answer) return std::nullopt;
  for (auto it = o.fired.rbegin(); it != o.fired.rend(); ++it) {
    if (it->rule >= rs.rules.size()) continue;
    Action a = rs.rules[it->rule].action;
    if (a == Action::redirect || a == Action::answer) return it->rule;
  }
  if (!o.fired.empty()) return o.fired.back().rule;
  return std::nullopt;
}

namespace {

// Limited by host or scheme in the rule itself (the canonical idiom): a condition on the Host, HTTPS,
// scheme, port or forwarded protocol, or a domain-level source.
bool on_origin(const Rule& r) {
  // Server blocks give their rules scope hosts too (nginx server_name): only file rules' own domain-level
  // sources (`http://example.com/*` in _redirects) say so of the rule.
  const bool file_rules = is_file_rules(r.origin.format);
  if (file_rules && (!r.scope.hosts.empty() || !r.scope.schemes.empty())) return true;
  for (const Condition& c : r.conds) {
    const std::string& t = c.test;
    if (t == "${http_host}" || t == "${host}" || t == "${https}" || t == "${scheme}" || t == "${server_port}" ||
        url::iequals(t, "${http:X-Forwarded-Proto}") || url::iequals(t, "${http:Host}"))
      return true;
  }
  return false;
}

}  // namespace

Origins origins_of(const RuleSet& rs, ConditionSolver& conds) {
  Origins o;
  o.hosts = host_examples(rs, conds, 6);
  auto add = [&](std::string h) {
    if (h.empty()) return;
    o.served.insert(h);
    if (o.hosts.size() < 6 && std::find(o.hosts.begin(), o.hosts.end(), h) == o.hosts.end()) o.hosts.push_back(std::move(h));
  };
  for (const std::string& h : o.hosts) o.served.insert(h);
  // Hosts named in scopes and conditions (every rule, not only the first few), then in absolute targets:
  // a canonical rule's target names the origin the other rules answer on.
  const std::vector<std::string>* last_hosts = nullptr;
  int last_server = -2;
  for (const Rule& r : rs.rules) {
    if (r.conds.empty() && &r.scope.hosts.list() == last_hosts && r.scope.server == last_server) continue;
    last_hosts = r.conds.empty() ? &r.scope.hosts.list() : nullptr;
    last_server = r.scope.server;
    for (std::string& h : literal_hosts(rs, r)) o.served.insert(std::move(h));
  }
  o.condition_hosts = o.hosts;
  for (const Rule& r : rs.rules) {
    if (!r.target || !r.target->absolute) continue;
    TargetShape t = target_shape(*r.target);
    if (t.scheme != "http" && t.scheme != "https" && t.scheme != "${scheme}") continue;
    auto a = literal_text(t.authority);
    if (!a) continue;
    std::string h = url::split_host(*a).name;
    // A walk follows into a target's host only when a canonical-style rule (limited by host or scheme)
    // sends there: another site's host is not served by these rules.
    if (on_origin(r)) o.served.insert(h);
    if (o.hosts.size() < 6 && std::find(o.hosts.begin(), o.hosts.end(), h) == o.hosts.end()) o.hosts.push_back(h);
  }
  add("example.com");
  return o;
}

std::optional<OriginWitness> witness_on_origins(const RuleSet& rs, const Rule& r, const Request& base,
                                                const Origins& origins, const SimOptions& sim,
                                                const std::function<bool(const Outcome&)>& accept,
                                                std::optional<Outcome> first, std::size_t max_tries) {
  Outcome o = first ? std::move(*first) : simulate(rs, base, sim);
  if (undetermined(o.kind)) return std::nullopt;
  if (accept(o)) return OriginWitness{std::move(base), std::move(o), std::nullopt};
  auto other = answering_rule(rs, o);
  if (!other || *other == r.id) return std::nullopt;  // nothing else answered: another origin will not help
  OriginWitness w;
  std::vector<std::string> tried{same_url_key(base)};
  std::size_t tries = 1;
  auto attempt = [&](const Request& q) -> bool {
    std::string key = same_url_key(q);
    if (tries >= max_tries || std::find(tried.begin(), tried.end(), key) != tried.end()) return false;
    tried.push_back(key);
    ++tries;
    Outcome a = simulate(rs, q, sim);
    if (undetermined(a.kind) || !accept(a)) {
      o = std::move(a);
      return false;
    }
    w.request = q;
    w.outcome = std::move(a);
    return true;
  };
  // Follow canonical hops first: the origin they send to is the one the rule set answers on.
  const Outcome first_answer = o;
  Request at = base;
  for (int hop = 0; hop < 3 && o.kind == OutcomeKind::redirect; ++hop) {
    Request next;
    if (!follow(at, o.location, next) || !is_canonical_hop(at, next)) break;
    next.method = at.method;
    next.headers = at.headers;
    if (attempt(next)) {
      if (hop == 0) w.canonical = HopRecord{base, first_answer, *other, true};
      return w;
    }
    at = next;
  }
  const std::string restricted = scheme_restriction(rs, r);
  const bool host_limit = has_host_limit(rs, r);
  std::vector<std::string> schemes{base.scheme};
  if (restricted.empty()) schemes.push_back(base.scheme == "https" ? "http" : "https");
  std::vector<std::string> hosts{base.host};
  if (!host_limit) hosts.insert(hosts.end(), origins.hosts.begin(), origins.hosts.end());
  for (const std::string& h : hosts)
    for (const std::string& s : schemes) {
      Request q = base;
      q.scheme = s;
      q.host = h;
      if (attempt(q)) return w;
    }
  return std::nullopt;
}

std::vector<Witness> witnesses(const RuleSet& rs, const Rule& r, std::size_t max) {
  std::vector<Witness> out;
  ConditionSolver conds;
  Origins origins = origins_of(rs, conds);
  SimOptions sim = evidence_options(rs);
  for (const std::string& p : example_paths(rs, r)) {
    if (out.size() >= max) break;
    auto w = witness_on_origins(rs, r, request_for(rs, r, p, conds), origins, sim, [&](const Outcome& o) { return fired(o, r.id); });
    if (w) out.push_back({std::move(w->request), std::move(w->outcome)});
  }
  return out;
}

}  // namespace rl::analysis
