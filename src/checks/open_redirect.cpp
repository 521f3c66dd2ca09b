#include "checks/open_redirect.hpp"

#include "analysis/facts.hpp"
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
std::string controlled_part(const RuleSet& rs, const Rule& r, const TemplatePart& p, bool at_start,
                            bool host_limited) {
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
      if (p.text == "http_host" && !host_limited)
        return std::string("the Host header (") + (r.origin.format == Format::nginx ? "$http_host" : "%{HTTP_HOST}") +
               ") with no host condition";
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

class OpenRedirect final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r)) continue;
      analysis::TargetShape s = analysis::target_shape(as_received(ctx.rules, r));
      if (!s.absolute) continue;
      bool limited = analysis::has_host_limit(ctx.rules, r);
      std::string from;
      bool whole = false;
      for (std::size_t i = 0; i < s.authority.size() && from.empty(); ++i) {
        from = controlled_part(ctx.rules, r, s.authority[i], s.starts_with_capture && i == 0, limited);
        whole = !from.empty() && s.starts_with_capture && i == 0;
      }
      if (from.empty()) continue;
      out.report(make_diagnostic("RL107", r.where,
                                 std::string("redirect takes its ") +
                                     (whole ? "whole URL" : "host") + " from " + from +
                                     ": anyone can send users to another site through it"));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_open_redirect() { return std::make_unique<OpenRedirect>(); }

}  // namespace rl
