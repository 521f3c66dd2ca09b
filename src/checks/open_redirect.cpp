#include "checks/open_redirect.hpp"

#include "analysis/facts.hpp"
#include "analysis/shared_facts.hpp"
#include "checks/rule_example.hpp"
#include "simulate/url.hpp"

#include <algorithm>
#include <cctype>
#include "util/regex.hpp"

namespace rl {

namespace {

// Strings that, placed where a capture lands, send the client to another site.
bool group_can_leave(const std::optional<std::string>& group, bool at_start) {
  if (!group) return false;
  auto re = Regex::compile("^(?:" + *group + ")$", false);
  if (!re) return false;
  static const char* kStart[] = {"https://evil.example/x", "//evil.example/x", "https:/evil.example/x"};
  static const char* kHost[] = {"evil.example", ".evil.example", "@evil.example", ".evil.example/x", "@evil.example/x"};
  if (at_start) {
    for (const char* s : kStart)
      if (re->matches(s)) return true;
    return false;
  }
  for (const char* s : kHost)
    if (re->matches(s)) return true;
  return false;
}

const Condition* capture_condition(const Rule& r) {
  const Condition* last = nullptr;
  for (const Condition& c : r.conds)
    if (c.op == CondOp::regex && !c.pattern.negated) last = &c;
  return last;
}

bool request_controlled(std::string_view test) {
  return test == "${query}" || test == "${the_request}" || test == "${request_uri}" || test == "${uri}" ||
         test.rfind("${http:", 0) == 0 || test.rfind("${arg:", 0) == 0;
}

// Does a protocol-relative Location ("//host/x") reach the client as written? Apache makes every redirect
// absolute with its own host (ap_construct_url); nginx too unless `absolute_redirect off` (innermost
// setting wins); Netlify and our YAML rules send the target as written.
bool location_kept_relative(const RuleSet& rs, const Rule& r) {
  if (r.origin.format == Format::apache || r.origin.format == Format::htaccess) return false;
  if (r.origin.format != Format::nginx) return true;
  for (int b = r.scope.block; b >= 0; b = rs.blocks[static_cast<std::size_t>(b)].parent)
    if (auto v = rs.blocks[static_cast<std::size_t>(b)].absolute_redirect) return !*v;
  return rs.absolute_redirect && !*rs.absolute_redirect;
}

// The text of the group named `name` in the rule's regex (Netlify `:placeholder`, `*` = "splat").
std::optional<std::string> named_group_text(const Rule& r, std::string_view name) {
  if (r.match.kind != MatchKind::regex) return std::nullopt;
  auto re = Regex::compile(r.match.text, r.match.ignore_case);
  if (!re) return std::nullopt;
  for (const auto& [n, number] : re->names())
    if (n == name) return analysis::capture_group_text(r.match.text, number);
  return std::nullopt;
}

// The substitution as written (second argument of a RewriteRule), quotes removed; "" for other directives.
std::string written_substitution(const Rule& r) {
  std::vector<std::string> words;
  std::string w;
  char quote = 0;
  for (char c : r.original) {
    if (quote ? c == quote : c == '"' || c == '\'') {
      quote = quote ? 0 : c;
      continue;
    }
    if (!quote && (c == ' ' || c == '\t')) {
      if (!w.empty()) words.push_back(std::move(w));
      w.clear();
      continue;
    }
    w += c;
  }
  if (!w.empty()) words.push_back(w);
  return words.size() > 2 && words[0] == "RewriteRule" ? words[2] : "";
}

// In .htaccess, mod_rewrite prefixes the directory only when the expanded substitution is not an absolute
// URL (SEMANTICS: per-directory substitutions); the model always shows the prefix. A substitution written
// as `%1` or `$1` can therefore still be a whole URL chosen by the request: drop the prefix to see it.
Target as_written(const RuleSet& rs, const Rule& r) {
  Target t = *r.target;
  if (rs.context != Context::per_directory || t.url.rfind(rs.dir, 0) != 0) return t;
  std::string sub = written_substitution(r);
  if (!sub.empty() && (sub[0] == '$' || (sub[0] == '%' && sub.rfind("%{", 0) != 0))) t.url = t.url.substr(rs.dir.size());
  return t;
}

// The target as the client reads it: a protocol-relative one that reaches the client gets the request's scheme.
Target as_received(const RuleSet& rs, const Rule& r) {
  Target t = as_written(rs, r);
  if (t.url.rfind("//", 0) == 0 && location_kept_relative(rs, r)) t.url = "${scheme}:" + t.url;
  return t;
}

// Where the part comes from, when an attacker can choose it ("" when not).
std::string controlled_part(const RuleSet& rs, const Rule& r, const TemplatePart& p, bool at_start) {
  // Apache makes a Location without a scheme absolute on its own host, and merges '//' in the path
  // (MergeSlashes On): a whole target from the path (a rule capture, %{REQUEST_URI}) cannot name
  // another site there (the Laravel/CodeIgniter trailing-slash rules `RewriteRule ^ %1 [R=301]`).
  bool apache = !location_kept_relative(rs, r) && r.origin.format != Format::nginx;
  if (at_start && apache) {
    if (p.kind == PartKind::rule_capture) return "";
    if (p.kind == PartKind::cond_capture) {
      const Condition* c = capture_condition(r);
      if (c && (c->test == "${uri}" || c->test == "${request_uri}")) return "";
    }
  }
  switch (p.kind) {
    case PartKind::literal: return "";
    case PartKind::rule_capture:
      if (r.match.kind != MatchKind::regex) return p.index == 0 && at_start ? "the request path" : "";
      // In .htaccess the model's pattern carries the directory ("^/.*?" + pattern) but $0 is the path
      // after it, which can start with '@': the simulator judges.
      if (p.index == 0 && rs.context == Context::per_directory) return "the request path (capture $0)";
      if (group_can_leave(p.index == 0 ? std::optional<std::string>(r.match.text)
                                       : analysis::capture_group_text(r.match.text, p.index),
                          at_start))
        return "the request path (capture $" + std::to_string(p.index) + ")";
      return "";
    case PartKind::cond_capture: {
      const Condition* c = capture_condition(r);
      if (!c || !request_controlled(c->test)) return "";
      if (group_can_leave(analysis::capture_group_text(c->pattern.text, p.index), at_start))
        return "the request (" + c->test + " capture %" + std::to_string(p.index) + ")";
      return "";
    }
    case PartKind::variable:
      if (p.text == "query" || p.text.rfind("arg:", 0) == 0 || p.text.rfind("http:", 0) == 0)
        return "the request (${" + p.text + "})";
      if (p.text == "splat" || p.text.rfind("ph:", 0) == 0) {
        std::string name = p.text == "splat" ? "splat" : p.text.substr(3);
        if (group_can_leave(named_group_text(r, name), at_start))
          return "the request path (" + std::string(p.text == "splat" ? ":splat" : ":" + name) + ")";
      }
      return "";
  }
  return "";
}

// What an attacker puts where the controlled part comes from: a whole URL, a protocol-relative one, and
// the strings that, glued after a literal host, change it (`example.com` + `@evil.example` is evil.example).
// Plain ASCII that a path or a query value holds as written.
constexpr std::string_view kPayloads[] = {"evil.example/x",   "@evil.example/x", ".evil.example/x",
                                          "evil.example",     "@evil.example",   ".evil.example",
                                          "https://evil.example/x", "//evil.example/x", "/evil.example/x"};

// Parameter names a condition pattern on the query string looks for (`(^|&)url=(.*)` -> url).
std::vector<std::string> query_names(std::string_view pattern) {
  std::vector<std::string> names;
  for (std::size_t eq = pattern.find('='); eq != std::string_view::npos; eq = pattern.find('=', eq + 1)) {
    std::size_t b = eq;
    while (b > 0 && (std::isalnum(static_cast<unsigned char>(pattern[b - 1])) || pattern[b - 1] == '_' ||
                     pattern[b - 1] == '-' || pattern[b - 1] == '.'))
      --b;
    if (b < eq) names.emplace_back(pattern.substr(b, eq - b));
  }
  return names;
}

// The host a browser goes to for `location` (WHATWG: the authority ends at '/', '\', '?' or '#'; user
// info before the last '@' is dropped); "" for a Location on the same site (a path).
std::string location_host(std::string_view location) {
  std::size_t start;
  if (location.rfind("//", 0) == 0) {
    start = 2;
  } else {
    std::size_t colon = location.find("://");
    if (colon == std::string_view::npos || location.find_first_of("/?#") < colon) return "";
    start = colon + 3;
  }
  std::string_view auth = location.substr(start);
  auth = auth.substr(0, std::min(auth.size(), auth.find_first_of("/\\?#")));
  if (auto at = auth.rfind('@'); at != std::string_view::npos) auth.remove_prefix(at + 1);
  if (auto colon = auth.rfind(':'); colon != std::string_view::npos && auth.find(']') == std::string_view::npos)
    auth = auth.substr(0, colon);
  return url::lower(auth);
}

// The payloads' host, or a name under it (`example.com.evil.example`): both are the attacker's.
bool attacker_host(std::string_view host) {
  constexpr std::string_view evil = "evil.example";
  if (host == evil) return true;
  return host.size() > evil.size() && host.substr(host.size() - evil.size() - 1) == ".evil.example";
}

// Requests that place each payload where the controlled part comes from: in the path after the rule's
// literal prefix, in the query (as each parameter the condition names, and whole), in a header.
std::vector<Request> attack_requests(const CheckContext& ctx, const Rule& r, const TemplatePart& p) {
  const RuleSet& rs = ctx.rules;
  Request base;
  if (std::string scheme = analysis::scheme_restriction(rs, r); !scheme.empty()) base.scheme = scheme;
  if (auto hosts = analysis::literal_hosts(rs, r); !hosts.empty()) base.host = hosts[0];
  std::optional<analysis::SharedFacts> local;
  analysis::SharedFacts& facts = analysis::SharedFacts::of(ctx, local);
  std::span<const std::string> examples = facts.example_paths(r.id);
  std::string sample_path = examples.empty() ? std::string("/") : analysis::encode_path(examples[0]);
  std::string test;  // what the condition capture reads, for %N
  if (p.kind == PartKind::cond_capture)
    if (const Condition* c = capture_condition(r)) test = c->test;
  std::vector<Request> out;
  // Unless the rule is limited to one scheme, each request goes in over https too (the rule may sit
  // behind an http-to-https one).
  const bool both_schemes = analysis::scheme_restriction(rs, r).empty();
  auto add = [&](std::string target, std::pair<std::string, std::string> header = {}) {
    Request q = base;
    q.target = std::move(target);
    if (!header.first.empty()) q.headers.push_back(std::move(header));
    out.push_back(q);
    if (both_schemes) {
      q.scheme = "https";
      out.push_back(std::move(q));
    }
  };
  bool in_query = test == "${query}" || (p.kind == PartKind::variable && (p.text == "query" || p.text.rfind("arg:", 0) == 0));
  if (in_query) {
    std::vector<std::string> names = query_names(test.empty() ? std::string_view() : capture_condition(r)->pattern.text);
    if (p.kind == PartKind::variable && p.text.rfind("arg:", 0) == 0) names.push_back(p.text.substr(4));
    for (std::string_view payload : kPayloads) {
      for (const std::string& n : names) add(sample_path + "?" + n + "=" + std::string(payload));
      add(sample_path + "?" + std::string(payload));
    }
    return out;
  }
  std::string header = p.kind == PartKind::variable && p.text.rfind("http:", 0) == 0 ? p.text.substr(5)
                       : test.rfind("${http:", 0) == 0 ? test.substr(7, test.size() - 8)
                                                       : std::string();
  if (!header.empty()) {
    for (std::string_view payload : kPayloads) add(sample_path, {header, std::string(payload)});
    return out;
  }
  // The path: after the rule's literal prefix, under the .htaccess directory.
  std::string prefix = r.match.kind == MatchKind::prefix ? r.match.text
                       : r.match.kind == MatchKind::regex ? analysis::regex_literal_prefix(r.match.text)
                                                          : std::string();
  if (rs.context == Context::per_directory && (prefix.empty() || prefix[0] != '/')) prefix = r.scope.dir + prefix;
  if (prefix.empty()) prefix = "/";
  std::vector<std::string> bases;
  if (prefix.back() != '/') bases.push_back(prefix + "/");
  bases.push_back(prefix);
  for (const std::string& b : bases)
    for (std::string_view payload : kPayloads) {
      std::string path = b + std::string(payload);
      std::size_t dup = path.find("///");
      if (dup != std::string::npos) continue;  // the same request as a shorter one after slash merging
      add(analysis::encode_path(path));
    }
  return out;
}

class OpenRedirect final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r)) continue;
      analysis::TargetShape s = analysis::target_shape(as_received(ctx.rules, r));
      if (!s.absolute) continue;
      std::string from;
      const TemplatePart* part = nullptr;
      for (std::size_t i = 0; i < s.authority.size() && from.empty(); ++i) {
        from = controlled_part(ctx.rules, r, s.authority[i], s.starts_with_capture && i == 0);
        part = &s.authority[i];
      }
      if (from.empty()) continue;
      // A claim only when the simulator, building the Location as the real server does, sends an attacker's
      // request to the attacker's host (`https://example.org$0` on a server path keeps the host).
      for (const Request& q : attack_requests(ctx, r, *part)) {
        std::optional<Example> e = example_if_answered(ctx, r, q);
        if (!e || !attacker_host(location_host(e->hops[0].location))) continue;
        Diagnostic d = make_diagnostic("RL107", r.where,
                                       "open redirect: the target's host comes from " + from + ": " + e->request +
                                           " is sent to " + analysis::quoted(e->hops[0].location));
        d.example = std::move(e);
        out.report(std::move(d));
        break;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_open_redirect() { return std::make_unique<OpenRedirect>(); }

}  // namespace rl
