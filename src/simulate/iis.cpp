// The IIS simulator: URL Rewrite `<rules>` and `<httpRedirect>` of one web.config (docs/formats/iis.md).
//
/// Semantics (Microsoft "URL Rewrite Module Configuration Reference", "HTTP Redirects <httpRedirect>"):
/// - Rules run in file order on the %-decoded, normalised path. A rule whose pattern and conditions
///   match runs its action: Redirect, CustomResponse and AbortRequest end the request; Rewrite
///   replaces the URL (path, and the query per appendQueryString) and the next rule sees the new URL,
///   unless stopProcessing; None changes nothing. No rule runs twice (no re-injection as in .htaccess).
/// - Conditions: `{C:N}` are the groups of the last condition that matched; MatchAny (or_next) is an
///   OR of the group. `{REQUEST_URI}` is the original path and query as sent; `{URL}` the current path.
///   `{HTTPS}` is "on"/"off". IsFile / IsDirectory use SimOptions::existing_files / existing_dirs.
/// - A server variable the model does not know (`${var:...}`: functions, maps, REMOTE_ADDR ...) makes
///   the answer unknown (OutcomeKind::unknown): no check claims through it.
/// - Location is the target as expanded, captures re-escaped (url::escape_capture); the request's query
///   is added per QueryMode. A prefix rule (`<httpRedirect>`) appends the rest of the path.
/// - `<httpRedirect>` rules run after the rewrite rules (the redirect module runs in a later stage).
#include <algorithm>

#include "simulate/nginx_detail.hpp"
#include "simulate/simulate.hpp"
#include "simulate/template.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

class Iis {
 public:
  Iis(const RuleSet& rs, const Request& req, const SimOptions& opts) : rs_(rs), req_(req), opts_(opts) {}
  Outcome run();

 private:
  enum class Match { no, yes, limit, unknown };
  Match match_rule(const Rule& r);
  Match match_conds(const Rule& r);
  Match test(const Condition& c, Captures& got);
  std::string value(const TemplatePart& p, bool escape);
  std::string expand(std::string_view tpl, bool escape);
  bool exists(const std::vector<std::string>& list) const;
  Outcome finish(Outcome out, const Rule& r);

  const RuleSet& rs_;
  const Request& req_;
  const SimOptions& opts_;
  std::string path_, query_, original_query_;
  bool has_query_ = false;
  bool unknown_ = false;  // a value the model does not know was read
  std::string remainder_;
  Captures rule_caps_, cond_caps_;
};

bool Iis::exists(const std::vector<std::string>& list) const {
  return std::find(list.begin(), list.end(), path_) != list.end();
}

std::string Iis::value(const TemplatePart& p, bool escape) {
  auto esc = [&](std::string s) { return escape ? url::escape_capture(s) : s; };
  if (p.kind == PartKind::rule_capture) return esc(capture_value(&rule_caps_, p.index));
  if (p.kind == PartKind::cond_capture) return esc(capture_value(&cond_caps_, p.index));
  std::string_view n = p.text;
  if (n == "http_host") return req_.host;
  if (n == "https") return req_.scheme == "https" ? "on" : "off";
  if (n == "query") return query_;
  if (n == "request_uri") return req_.target;
  if (n == "uri") return esc(path_);
  if (n == "method") return req_.method;
  if (n == "server_port") return std::to_string(req_.port ? req_.port : url::default_port(req_.scheme));
  if (n == "server_name") return url::split_host(req_.host).name;
  if (n == "scheme") return req_.scheme;
  if (n.starts_with("http:")) {
    for (const auto& [k, v] : req_.headers)
      if (url::iequals(k, n.substr(5))) return v;
    return {};
  }
  unknown_ = true;
  return {};
}

std::string Iis::expand(std::string_view tpl, bool escape) {
  return expand_template(parse_template(tpl), [&](const TemplatePart& p) { return value(p, escape); });
}

Iis::Match Iis::match_rule(const Rule& r) {
  const Pattern& p = r.match;
  rule_caps_ = {};
  remainder_.clear();
  bool ok = false;
  switch (p.kind) {
    case MatchKind::exact: ok = p.ignore_case ? url::iequals(path_, p.text) : path_ == p.text; break;
    case MatchKind::prefix: {
      std::string_view pre = p.text;
      if (path_.size() < pre.size() || !url::iequals(std::string_view(path_).substr(0, pre.size()), pre)) break;
      std::string_view rest = std::string_view(path_).substr(pre.size());
      ok = rest.empty() || pre.ends_with('/') || rest.front() == '/';
      if (ok) remainder_ = std::string(rest);
      break;
    }
    case MatchKind::regex: {
      Captures caps;
      MatchStatus st = nginx_sim::rule_regex(rs_, r)->match(path_, &caps);
      if (st == MatchStatus::limit) return Match::limit;
      ok = st == MatchStatus::match;
      if (ok && !p.negated) rule_caps_ = std::move(caps);
      break;
    }
  }
  return ok != p.negated ? Match::yes : Match::no;
}

Iis::Match Iis::test(const Condition& c, Captures& got) {
  if (c.op == CondOp::file_exists || c.op == CondOp::dir_exists) {
    bool v = exists(c.op == CondOp::file_exists ? opts_.existing_files : opts_.existing_dirs);
    return v != c.pattern.negated ? Match::yes : Match::no;
  }
  std::string subject = expand(c.test, false);
  if (unknown_) return Match::unknown;
  bool v = false;
  if (c.op == CondOp::equal) {
    v = c.pattern.ignore_case ? url::iequals(subject, c.pattern.text) : subject == c.pattern.text;
  } else {
    MatchStatus st = nginx_sim::cached_regex(c.pattern.text, c.pattern.ignore_case)->match(subject, &got);
    if (st == MatchStatus::limit) return Match::limit;
    v = st == MatchStatus::match;
  }
  return v != c.pattern.negated ? Match::yes : Match::no;
}

// (c1 OR c2 ...) AND ...: or_next joins a condition with the next one (MatchAny groups all of them).
Iis::Match Iis::match_conds(const Rule& r) {
  cond_caps_ = {};
  bool group = false;  // the current OR group already holds
  for (std::size_t i = 0; i < r.conds.size(); ++i) {
    const Condition& c = r.conds[i];
    if (!group) {
      Captures got;
      Match m = test(c, got);
      if (m == Match::limit || m == Match::unknown) return m;
      if (m == Match::yes) {
        group = true;
        if (!c.pattern.negated && c.op == CondOp::regex) cond_caps_ = std::move(got);
      }
    }
    if (!c.or_next) {
      if (!group) return Match::no;
      group = false;
    }
  }
  return Match::yes;
}

Outcome Iis::finish(Outcome out, const Rule& r) {
  std::string target = expand(r.target->url, true);
  std::string own_query;
  std::size_t q = target.find('?');
  if (q != std::string::npos) {
    own_query = target.substr(q + 1);
    target.resize(q);
  }
  if (!remainder_.empty()) {
    std::string rest = url::escape_capture(remainder_);
    if (!target.empty() && target.back() == '/' && rest.front() == '/') rest.erase(0, 1);
    target += rest;
  }
  std::string query;
  bool mark = false;
  switch (r.target->query) {
    case QueryMode::keep: query = query_, mark = !query_.empty(); break;
    case QueryMode::append: query = own_query + (query_.empty() ? "" : "&" + query_), mark = true; break;
    case QueryMode::replace: query = own_query, mark = true; break;
    case QueryMode::drop: break;
  }
  if (r.action == Action::redirect) {
    out.kind = OutcomeKind::redirect;
    out.status = r.status;
    out.location = target + (mark ? "?" + query : "");
  } else {
    path_ = target.empty() ? "/" : target;
    query_ = query;
    has_query_ = mark;
  }
  return out;
}

Outcome Iis::run() {
  Outcome out;
  url::SplitTarget split = url::split_target(req_.target);
  has_query_ = split.query.has_value();
  query_ = split.query.value_or("");
  std::string decoded;
  if (!url::percent_decode(split.path, decoded) || !url::normalise_path(decoded, true, path_)) {
    out.kind = OutcomeKind::answer;
    out.status = 400;
    out.note = "the request path cannot be decoded";
    return out;
  }
  if (path_.empty()) path_ = "/";
  // Rewrite rules first, then the redirect module (httpRedirect).
  std::vector<const Rule*> order;
  for (const Rule& r : rs_.rules)
    if (r.origin.directive != "httpRedirect") order.push_back(&r);
  for (const Rule& r : rs_.rules)
    if (r.origin.directive == "httpRedirect") order.push_back(&r);
  bool rewrite_done = false;
  for (const Rule* rp : order) {
    const Rule& r = *rp;
    if (r.origin.directive == "httpRedirect" && rewrite_done) continue;  // the rewritten URL is served
    Match m = match_rule(r);
    if (m == Match::yes && !r.conds.empty()) m = match_conds(r);
    if (m == Match::limit || m == Match::unknown) {
      out.kind = m == Match::limit ? OutcomeKind::limit : OutcomeKind::unknown;
      out.note = m == Match::limit ? "regex match limit reached in rule at line " + std::to_string(r.where.line)
                                   : "the rule at line " + std::to_string(r.where.line) + " reads a value the simulator does not know";
      return out;
    }
    if (m == Match::no) continue;
    if (r.action == Action::answer) {
      out.kind = OutcomeKind::answer;
      out.status = r.status;
      if (r.status == 444) out.note = "AbortRequest: the connection is closed without a response";
      out.fired.push_back({r.id, r.where, path_});
      return out;
    }
    if (r.action == Action::none) {
      out.fired.push_back({r.id, r.where, path_});
      if (r.flow == Flow::stop) break;
      continue;
    }
    out = finish(std::move(out), r);
    if (unknown_) {
      out = Outcome{};
      out.kind = OutcomeKind::unknown;
      out.note = "the target of the rule at line " + std::to_string(r.where.line) + " reads a value the simulator does not know";
      return out;
    }
    if (out.kind == OutcomeKind::redirect) {
      out.fired.push_back({r.id, r.where, out.location});
      return out;
    }
    rewrite_done = true;
    out.fired.push_back({r.id, r.where, path_ + (has_query_ ? "?" + query_ : "")});
    if (r.flow == Flow::stop) break;
  }
  out.final_path = path_;
  if (rewrite_done) out.note = "rewritten: served from " + path_;
  return out;
}

}  // namespace

Outcome simulate_iis(const RuleSet& rs, const Request& req, const SimOptions& opts) { return Iis(rs, req, opts).run(); }

}  // namespace rl
