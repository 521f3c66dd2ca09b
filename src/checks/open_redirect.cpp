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

// Where the part comes from, when an attacker can choose it ("" when not).
std::string controlled_part(const Rule& r, const TemplatePart& p, bool at_start, bool host_limited) {
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
      return "";
  }
  return "";
}

class OpenRedirect final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r)) continue;
      analysis::TargetShape s = analysis::target_shape(*r.target);
      if (!s.absolute) continue;
      bool limited = analysis::has_host_limit(ctx.rules, r);
      std::string from;
      bool whole = false;
      for (std::size_t i = 0; i < s.authority.size() && from.empty(); ++i) {
        from = controlled_part(r, s.authority[i], s.starts_with_capture && i == 0, limited);
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
