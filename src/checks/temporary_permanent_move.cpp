#include "checks/temporary_permanent_move.hpp"

#include <algorithm>

#include "analysis/facts.hpp"
#include "checks/edits.hpp"
#include "checks/rule_example.hpp"
#include "checks/status_intent.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

using analysis::TargetShape;

bool is_host_var(const TemplatePart& p) {
  return p.kind == PartKind::variable && (p.text == "host" || p.text == "http_host" || p.text == "server_name");
}

// The condition whose captures %N refer to: the last non-negated regex condition.
const Condition* capture_condition(const Rule& r) {
  const Condition* last = nullptr;
  for (const Condition& c : r.conds)
    if (c.op == CondOp::regex && !c.pattern.negated) last = &c;
  return last;
}

std::string host_move(const RuleSet& rs, const Rule& r, const TargetShape& s) {
  std::vector<std::string> hosts = analysis::literal_hosts(rs, r);
  if (auto lit = analysis::literal_text(s.authority)) {
    std::string t = url::split_host(*lit).name;
    for (const std::string& h : hosts) {
      if (h == "www." + t) return "a www-to-apex host move";
      if (t == "www." + h) return "an apex-to-www host move";
    }
  }
  if (s.authority.size() == 1 && s.authority[0].kind == PartKind::cond_capture) {
    const Condition* c = capture_condition(r);
    if (c && (c->test == "${http_host}" || c->test == "${host}")) {
      std::string lower = url::lower(c->pattern.text);
      if (lower.rfind("^www\\.", 0) == 0) return "a www-to-apex host move";
    }
  }
  if (s.authority.size() == 2 && s.authority[0].kind == PartKind::literal && url::lower(s.authority[0].text) == "www." &&
      (is_host_var(s.authority[1]) || s.authority[1].kind == PartKind::cond_capture))
    return "an apex-to-www host move";
  return "";
}

bool same_host(const RuleSet& rs, const Rule& r, const TargetShape& s) {
  if (s.authority.size() == 1 && is_host_var(s.authority[0])) return true;
  if (auto lit = analysis::literal_text(s.authority)) {
    std::string t = url::split_host(*lit).name;
    auto hosts = analysis::literal_hosts(rs, r);
    return std::find(hosts.begin(), hosts.end(), t) != hosts.end();
  }
  return false;
}

std::string strip_query(std::string s) {
  auto q = s.find_first_of("?#");
  if (q != std::string::npos) s.resize(q);
  return s;
}

// Path-shaped moves, judged on example paths: trailing slash, index files, a whole site to another host.
std::string path_move(const RuleSet& rs, const Rule& r, const TargetShape& s) {
  std::string path_of_target;
  auto hosts = analysis::literal_hosts(rs, r);
  for (const std::string& p : analysis::example_paths(rs, r)) {
    auto t = analysis::expand_for_path(r, p, "http", "example.com");
    if (!t) continue;
    std::string tpath = *t;
    if (url::is_absolute(tpath)) {
      url::UrlParts parts;
      if (!url::split_absolute(tpath, parts)) continue;
      if (!same_host(rs, r, s)) continue;
      tpath = parts.rest;
    }
    tpath = strip_query(tpath);
    if (tpath == p + "/") return "adding a trailing slash";
    if (tpath + "/" == p && !tpath.empty()) return "removing a trailing slash";
    for (const char* idx : {"index.html", "index.htm", "index.php"}) {
      std::string suffix = std::string("/") + idx;
      if (p.size() > suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0 &&
          tpath == p.substr(0, p.size() - suffix.size() + 1))
        return std::string("removing ") + analysis::quoted(idx);
    }
  }
  // Whole site or section: every path under a prefix goes to the same path under another place.
  std::string prefix = r.match.kind == MatchKind::prefix ? r.match.text
                       : r.match.kind == MatchKind::regex ? analysis::regex_literal_prefix(r.match.text)
                                                          : std::string();
  if (prefix.empty() || prefix[0] != '/') return "";
  std::string section = prefix.back() == '/' ? prefix : prefix + "/";
  // A plain prefix rule (Apache `Redirect`, outside any nginx location) matches every path under
  // `section` by construction: no automaton needed (10^5 such rules, issue 8).
  bool plain_prefix = r.match.kind == MatchKind::prefix && !r.match.negated && !analysis::location_of(rs, r);
  if (!plain_prefix) {
    auto lang = analysis::rule_language(rs, r);
    auto covered = analysis::Language::string_prefix(section);
    if (!lang || !covered || !covered->subset_of(*lang)) return "";
  }
  const std::string tail = "redirlint-probe/x.html";
  auto t = analysis::expand_for_path(r, section + tail, "http", "example.com");
  if (!t) return "";
  std::string tpath = *t, where;
  if (url::is_absolute(tpath)) {
    url::UrlParts parts;
    if (!url::split_absolute(tpath, parts)) return "";
    tpath = parts.rest;
    if (!same_host(rs, r, s)) where = parts.authority;
  }
  tpath = strip_query(tpath);
  if (tpath.size() < tail.size() || tpath.compare(tpath.size() - tail.size(), tail.size(), tail) != 0) return "";
  // Only a whole site moved to another host is permanent by nature. A section moved inside a site
  // (`Redirect 307 /oldpage.html /newpage.html`, `/docs/latest/* /docs/v3/:splat`) says nothing about
  // intent: prefix matching is how the directive works, and a 307 for maintenance or a campaign is the
  // very use of a temporary redirect (RL104 asks for a review date instead).
  if (!where.empty() && section == "/") return "a whole-site move to " + analysis::quoted(where);
  return "";
}

// True when the rule sends an arbitrary path to the same path (host and scheme aside).
bool carries_path(const RuleSet& rs, const Rule& r) {
  const std::string probe = "/redirlint-probe/x.html";
  auto lang = analysis::rule_language(rs, r);
  if (!lang || !lang->accepts(probe)) return false;
  auto t = analysis::expand_for_path(r, probe, "http", "example.com");
  if (!t) return false;
  url::UrlParts parts;
  std::string path = url::split_absolute(*t, parts) ? parts.rest : *t;
  return strip_query(path) == probe;
}

std::string why_permanent(const RuleSet& rs, const Rule& r) {
  TargetShape s = analysis::target_shape(*r.target);
  if (s.absolute && s.scheme == "https" && same_host(rs, r, s) && analysis::scheme_restriction(rs, r) != "https" &&
      carries_path(rs, r))
    return "an http-to-https move";
  if (s.absolute) {
    std::string h = host_move(rs, r, s);
    if (!h.empty()) return h;
  }
  return path_move(rs, r, s);
}

class TemporaryPermanentMove final : public Check {
 public:
  void run(const CheckContext& ctx, Reporter& out) const override {
    RuleExamples examples(ctx);
    for (const Rule& r : ctx.rules.rules) {
      if (!analysis::is_redirect(r) || !analysis::is_temporary(r.status) || says_temporary(ctx.files, r)) continue;
      std::string why = why_permanent(ctx.rules, r);
      if (why.empty()) continue;
      int to = permanent_counterpart(r.status);
      Diagnostic d = make_diagnostic("RL102", r.where,
                                     std::string(r.status_implicit ? "implicit " : "temporary ") +
                                         std::to_string(r.status) + " on " + why +
                                         ", which is permanent by nature: use " + std::to_string(to));
      if (auto e = status_edit(ctx.files, r, to))
        d.fix = Fix{"make the redirect permanent (" + std::to_string(to) + ")", false, {*e}};
      d.example = examples.of(r);
      out.report(std::move(d));
    }
  }
};

}  // namespace

std::unique_ptr<Check> make_temporary_permanent_move() { return std::make_unique<TemporaryPermanentMove>(); }

}  // namespace rl
