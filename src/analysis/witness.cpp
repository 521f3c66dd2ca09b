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

bool condition_holds(const Condition& c, std::string_view value) {
  bool m = false;
  if (c.op == CondOp::equal) m = c.pattern.text == value;
  else if (c.op == CondOp::regex) {
    auto re = Regex::compile(c.pattern.text, c.pattern.ignore_case);
    m = re && re->matches(value);
  } else
    return true;
  return c.pattern.negated ? !m : m;
}

// A readable host the condition accepts: a familiar name when one fits, else an automaton example.
std::optional<std::string> host_for(const Condition& c) {
  for (const char* h : {"example.com", "www.example.com", "example.org", "www.example.org", "old.example.com"})
    if (condition_holds(c, h)) return std::string(h);
  return condition_example(c, kHostShape);
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

Request request_for(const RuleSet& rs, const Rule& r, std::string_view path) {
  Request q;
  std::string scheme = scheme_restriction(rs, r);
  q.scheme = scheme.empty() ? "http" : scheme;
  q.host = default_host(rs, r);
  std::string query;
  for (const Condition& c : r.conds) {
    if (c.or_next) continue;
    const std::string& t = c.test;
    if (t == "${http_host}" || t == "${host}") {
      if (condition_holds(c, q.host)) continue;
      if (!c.pattern.negated) {
        if (auto ex = host_for(c)) q.host = *ex;
      } else {
        for (const char* h : {"example.org", "www.example.net", "redirlint.test"})
          if (condition_holds(c, h)) {
            q.host = h;
            break;
          }
      }
    } else if (t == "${query}" && !c.pattern.negated) {
      if (auto ex = condition_example(c, "^[a-zA-Z0-9=&_.-]*$")) query = *ex;
    } else if (t == "${method}" && !c.pattern.negated) {
      if (auto ex = condition_example(c, "^[A-Z]+$")) q.method = *ex;
    } else if (t.rfind("${http:", 0) == 0 && t.size() > 8 && !c.pattern.negated) {
      std::string name = t.substr(7, t.size() - 8);
      if (url::iequals(name, "Host")) continue;
      if (auto ex = condition_example(c, "^[ -~]*$")) q.headers.push_back({name, *ex});
    } else if (t.rfind("${arg:", 0) == 0 && t.size() > 7 && !c.pattern.negated) {
      std::string name = t.substr(6, t.size() - 7);
      if (auto ex = condition_example(c, "^[a-zA-Z0-9_.-]*$")) query += (query.empty() ? "" : "&") + name + "=" + *ex;
    }
  }
  q.target = encode_path(path) + (query.empty() ? "" : "?" + query);
  return q;
}

std::vector<std::string> host_examples(const RuleSet& rs, std::size_t max) {
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
        if (auto ex = host_for(c)) add(url::lower(*ex));
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

std::vector<Witness> witnesses(const RuleSet& rs, const Rule& r, std::size_t max) {
  std::vector<Witness> out;
  for (const std::string& p : example_paths(rs, r)) {
    if (out.size() >= max) break;
    Request q = request_for(rs, r, p);
    Outcome o = simulate(rs, q, evidence_options(rs));
    if (o.kind == OutcomeKind::limit || !fired(o, r.id)) continue;
    out.push_back({std::move(q), std::move(o)});
  }
  return out;
}

}  // namespace rl::analysis
