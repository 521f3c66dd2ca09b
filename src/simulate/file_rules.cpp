// The rule-file simulator: Netlify / Cloudflare `_redirects` and redirlint's YAML rule files.
//
/// Semantics (Netlify docs "Redirects and rewrites", "Shadowing", "Query parameters"; our
/// docs/yaml-format.md):
/// - Rules are tried in file order; the first rule that matches answers (no chaining: a 200 rewrite
///   serves its target, it is not matched again).
/// - Matching is on the %-decoded, normalised path (dot segments resolved, slashes merged), without
///   the query. `exact` with Pattern::optional_trailing_slash also matches with one trailing '/'
///   added or removed; `prefix` matches whole path segments and the rest of the path is appended to
///   the target (before the target's own query); `regex` fills `$N`, `${splat}`, `${ph:NAME}`.
/// - Scope::hosts / Scope::schemes (domain-level sources, YAML `host:`) must match the request
///   (Host compared lower-cased, without port and trailing dot; `*.x` matches any sub-domain of x).
/// - Conditions: `${arg:KEY}` query parameters (first occurrence, raw value), `${http:NAME}` headers,
///   `${cookie:NAME}` a cookie's value (vercel.json), `${country}`,
///   `${language}` and `${role}` from the Request (a comma-separated list matches if any item does;
///   a language also by its primary tag), `${cookie}` against each cookie name in the Cookie header.
/// - Shadowing: a rule without force (Netlify `!`) does not apply when the path exists as a file
///   (SimOptions::existing_files, also `PATH/index.html` for a path ending in '/'). No file exists
///   unless told.
/// - Location is the target exactly as written, expanded: Netlify sends relative targets relative
///   (no scheme/host is added) and absolute ones as they are. Captures are re-escaped (space,
///   controls, non-ASCII and `"#%<>?\^`{|}` as upper-case %XX) because they come from the decoded
///   path. The request's query is appended per QueryMode (keep: `?q`, append: `&q`).
/// - 3xx = redirect; 4xx/5xx = answer (a custom page target is the body, not a Location); 200 =
///   rewrite: no rule "answered" with a status, Outcome::final_path is the rewritten path.
#include <algorithm>
#include <mutex>

#include "simulate/simulate.hpp"
#include "simulate/template.hpp"
#include "simulate/nginx_detail.hpp"
#include "simulate/url.hpp"
#include "util/key_positions.hpp"

namespace rl {

namespace {

std::vector<std::string_view> split_list(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t p = s.find(sep);
    std::string_view item = s.substr(0, p);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + 1);
  }
  return out;
}

class FileRules {
 public:
  FileRules(const RuleSet& rs, const Request& req, const SimOptions& opts) : rs_(rs), req_(req), opts_(opts) {}
  Outcome run();

 private:
  enum class Match { no, yes, limit };
  Match match_rule(const Rule& r);
  Match match_conds(const Rule& r);
  Match regex(std::string_view pattern, bool icase, std::string_view subject, bool keep_caps);
  Match regex(const std::shared_ptr<const nginx_sim::CompiledRegex>& re, std::string_view subject, bool keep_caps);
  bool host_ok(const Rule& r) const;
  bool shadowed() const;
  std::string header(std::string_view name) const;
  std::string arg(std::string_view name) const;
  std::string value(const TemplatePart& p) const;
  std::string expand(const Rule& r) const;

  const RuleSet& rs_;
  const Request& req_;
  const SimOptions& opts_;
  std::string path_, query_, host_;
  bool has_query_ = false;
  std::string remainder_;  ///< prefix match: the rest of the path after the prefix
  nginx_sim::CaptureSet caps_;
};

namespace {

// First match over many rules without trying them all: a request only tries the rules that can match
// its path (exact rules by their path, prefix and regex rules by their literal prefix cut after the
// first segment) and the rules that cannot be indexed, in file order. A superset: match_rule() decides.
// Keys are kept as hashes (KeyPositions: about 20 bytes a rule, issue 8).
struct CandidateIndex {
  const Rule* data = nullptr;  // the rules buffer this index was built for
  std::size_t size = 0;
  KeyPositions exact;          // path without trailing '/'
  KeyPositions prefix;         // literal prefix, at most "/segment/"
  std::vector<RuleId> scan;
};

std::string_view exact_key(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

// A literal prefix cut after its first segment: "/blog/x" -> "/blog/", "/s1" -> "/s1"; "" for "/" or "".
std::string_view head(std::string_view literal) {
  if (literal.size() < 2 || literal[0] != '/') return {};
  std::size_t second = literal.find('/', 1);
  return second == std::string_view::npos ? literal : literal.substr(0, second + 1);
}

// Built once per RuleSet and kept in rs.sim_cache; checks may simulate on two threads (run_checks),
// so the cache is read and filled under a lock.
const CandidateIndex& candidate_index(const RuleSet& rs) {
  static std::mutex lock;
  std::lock_guard<std::mutex> hold(lock);
  auto idx = std::static_pointer_cast<const CandidateIndex>(rs.sim_cache);
  if (idx && idx->data == rs.rules.data() && idx->size == rs.rules.size()) return *idx;
  auto built = std::make_shared<CandidateIndex>();
  built->data = rs.rules.data();
  built->size = rs.rules.size();
  for (std::size_t i = 0; i < rs.rules.size(); ++i) {
    const Rule& r = rs.rules[i];
    const auto pos = static_cast<RuleId>(i);
    const Pattern& p = r.match;
    std::string_view seg;
    if (!p.negated && !p.ignore_case && p.kind == MatchKind::exact) {
      built->exact.add(exact_key(p.text), pos);
      continue;
    }
    if (!p.negated && !p.ignore_case && p.kind == MatchKind::prefix) seg = head(p.text);
    std::string literal;
    if (!p.negated && !p.ignore_case && p.kind == MatchKind::regex) {
      literal = nginx_sim::literal_prefix(p.text);
      seg = head(literal);
    }
    if (!seg.empty()) built->prefix.add(seg, pos);
    else built->scan.push_back(pos);
  }
  built->exact.finish();
  built->prefix.finish();
  rs.sim_cache = built;
  return *built;
}

}  // namespace

Outcome FileRules::run() {
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
  host_ = url::split_host(req_.host).name;
  while (host_.ends_with('.')) host_.pop_back();

  // Candidates in file order (rule ids are indexes into rs_.rules).
  std::vector<RuleId> candidates;
  const bool indexed = rs_.rules.size() > 64;
  if (indexed) {
    const CandidateIndex& index = candidate_index(rs_);
    candidates = index.scan;
    index.exact.collect(exact_key(path_), candidates);
    // Every key that can be a prefix of this path: its prefixes up to the end of the first segment.
    std::string_view first = head(path_);
    for (std::size_t len = 2; len <= first.size(); ++len) index.prefix.collect(first.substr(0, len), candidates);
    std::sort(candidates.begin(), candidates.end());
  }
  const std::size_t count = indexed ? candidates.size() : rs_.rules.size();
  for (std::size_t k = 0; k < count; ++k) {
    const Rule& r = rs_.rules[indexed ? candidates[k] : k];
    if (!host_ok(r)) continue;
    Match m = match_rule(r);
    if (m == Match::yes) m = match_conds(r);
    if (m == Match::limit) {
      out.kind = OutcomeKind::limit;
      out.note = "regex match limit reached in rule at line " + std::to_string(r.where.line);
      return out;
    }
    if (m == Match::no) continue;
    if (!r.force && shadowed()) {
      out.note = "the path exists as a file: rules without force (!) do not apply";
      continue;
    }
    std::string target = r.target ? expand(r) : std::string();
    if (r.action == Action::redirect && r.target) {
      out.kind = OutcomeKind::redirect;
      out.status = r.status;
      out.location = target;
      out.note.clear();
    } else if (r.action == Action::answer) {
      out.kind = OutcomeKind::answer;
      out.status = r.status;
      out.note = target.empty() ? "" : "body: " + target;
    } else {
      out.kind = OutcomeKind::none;
      out.final_path = target.empty() ? path_ : target;
      out.note = "rewritten (200): served from " + out.final_path;
    }
    out.fired.push_back({r.id, r.where, out.kind == OutcomeKind::redirect ? out.location : out.final_path, {}});
    return out;
  }
  out.final_path = path_;
  return out;
}

bool FileRules::host_ok(const Rule& r) const {
  if (!r.scope.schemes.empty() &&
      std::find(r.scope.schemes.begin(), r.scope.schemes.end(), url::lower(req_.scheme)) == r.scope.schemes.end())
    return false;
  if (r.scope.hosts.empty()) return true;
  for (const std::string& h : r.scope.hosts) {
    if (url::iequals(h, host_)) return true;
    if (h.starts_with("*.") && host_.size() > h.size() - 1 && url::iequals(host_.substr(host_.size() - (h.size() - 1)), h.substr(1)))
      return true;
  }
  return false;
}

FileRules::Match FileRules::regex(std::string_view pattern, bool icase, std::string_view subject, bool keep_caps) {
  return regex(nginx_sim::cached_regex(pattern, icase), subject, keep_caps);
}

FileRules::Match FileRules::regex(const std::shared_ptr<const nginx_sim::CompiledRegex>& re, std::string_view subject,
                                  bool keep_caps) {
  Captures caps;
  MatchStatus st = re->match(subject, &caps);
  if (st == MatchStatus::limit) return Match::limit;
  if (st != MatchStatus::match) return Match::no;
  if (keep_caps) {
    caps_.caps = std::move(caps);
    caps_.from = re;
  }
  return Match::yes;
}

FileRules::Match FileRules::match_rule(const Rule& r) {
  const Pattern& p = r.match;
  remainder_.clear();
  caps_ = {};
  auto eq = [&](std::string_view a, std::string_view b) { return p.ignore_case ? url::iequals(a, b) : a == b; };
  bool ok = false;
  switch (p.kind) {
    case MatchKind::exact:
      ok = eq(path_, p.text);
      if (!ok && p.optional_trailing_slash) {
        if (path_.size() == p.text.size() + 1 && path_.back() == '/') ok = eq(std::string_view(path_).substr(0, p.text.size()), p.text);
        else if (p.text.size() == path_.size() + 1 && p.text.back() == '/') ok = eq(path_, std::string_view(p.text).substr(0, path_.size()));
      }
      break;
    case MatchKind::prefix: {
      std::string_view pre = p.text;
      if (path_.size() < pre.size() || !eq(std::string_view(path_).substr(0, pre.size()), pre)) break;
      std::string_view rest = std::string_view(path_).substr(pre.size());
      ok = rest.empty() || pre.ends_with('/') || rest.front() == '/';
      if (ok) remainder_ = std::string(rest);
      break;
    }
    case MatchKind::regex: return regex(nginx_sim::rule_regex(rs_, r), path_, true);
  }
  return ok != p.negated ? Match::yes : Match::no;
}

FileRules::Match FileRules::match_conds(const Rule& r) {
  for (const Condition& c : r.conds) {
    std::vector<std::string> subjects;
    const bool is_language = c.test == "${language}";
    if (c.test == "${cookie}") {
      const std::string cookies = header("cookie");  // kept: split_list's views point into it
      for (std::string_view kv : split_list(cookies, ';')) subjects.emplace_back(kv.substr(0, kv.find('=')));
    } else if (c.test == "${country}" || c.test == "${role}" || is_language) {
      // list-valued inputs: any item matches; a language also by its primary tag ("en" for "en-GB")
      std::string_view in = c.test == "${country}" ? req_.country : c.test == "${role}" ? req_.role : req_.language;
      for (std::string_view item : split_list(in, ',')) {
        item = item.substr(0, item.find(';'));
        subjects.emplace_back(item);
        if (is_language && item.find('-') != std::string_view::npos) subjects.emplace_back(item.substr(0, item.find('-')));
      }
    } else {
      subjects.push_back(expand_template(parse_template(c.test), [&](const TemplatePart& p) { return value(p); }));
    }
    bool any = false;
    for (const std::string& s : subjects) {
      bool v = false;
      if (c.op == CondOp::regex) {
        Match m = regex(c.pattern.text, c.pattern.ignore_case, s, false);
        if (m == Match::limit) return m;
        v = m == Match::yes;
      } else if (c.op == CondOp::equal) {
        v = c.pattern.ignore_case ? url::iequals(s, c.pattern.text) : s == c.pattern.text;
      } else if (c.op == CondOp::truthy) {
        v = !s.empty();
      }
      if (v) any = true;
    }
    if (any == c.pattern.negated) return Match::no;
  }
  return Match::yes;
}

bool FileRules::shadowed() const {
  return opts_.has_file(path_) || (path_.ends_with('/') && opts_.has_file(path_ + "index.html"));
}

std::string FileRules::header(std::string_view name) const {
  if (url::iequals(name, "host")) return req_.host;
  for (const auto& [n, v] : req_.headers)
    if (url::iequals(n, name)) return v;
  return {};
}

std::string FileRules::arg(std::string_view name) const {
  for (std::string_view pair : split_list(query_, '&')) {
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
  }
  return {};
}

std::string FileRules::value(const TemplatePart& p) const {
  if (p.kind != PartKind::variable) return url::escape_capture(caps_.group(p.index));
  std::string_view n = p.text;
  if (n == "splat") return url::escape_capture(caps_.named("splat").value_or(""));
  if (n.starts_with("ph:")) return url::escape_capture(caps_.named(n.substr(3)).value_or(""));
  if (n.starts_with("arg:")) return arg(n.substr(4));
  if (n.starts_with("http:")) return header(n.substr(5));
  if (n.starts_with("cookie:")) {  // vercel.json `has: [{type: cookie, key}]`: the value of that cookie
    const std::string cookies = header("cookie");  // kept: split_list's views point into it
    for (std::string_view kv : split_list(cookies, ';'))
      if (kv.substr(0, kv.find('=')) == n.substr(7)) return kv.find('=') == std::string_view::npos ? "" : std::string(kv.substr(kv.find('=') + 1));
    return {};
  }
  if (n == "host") return host_;
  if (n == "http_host") return req_.host;
  if (n == "scheme") return req_.scheme;
  if (n == "uri") return url::escape_capture(path_);
  if (n == "query") return query_;
  if (n == "is_args") return has_query_ && !query_.empty() ? "?" : "";
  if (n == "request_uri") return req_.target;
  if (n == "method") return req_.method;
  return {};
}

std::string FileRules::expand(const Rule& r) const {
  std::string url = expand_template(parse_template(r.target->url), [&](const TemplatePart& p) { return value(p); });
  if (!remainder_.empty()) {
    std::size_t q = url.find('?');
    std::string rest = url::escape_capture(remainder_);
    // `/a/` + "/x": the prefix kept its slash or the target ends with one; do not double it.
    if (q == std::string::npos) q = url.size();
    if (q > 0 && url[q - 1] == '/' && rest.front() == '/') rest.erase(0, 1);
    url.insert(q, rest);
  }
  if (!query_.empty()) {
    if (r.target->query == QueryMode::keep) url += (url.find('?') == std::string::npos ? "?" : "&") + query_;
    else if (r.target->query == QueryMode::append) url += "&" + query_;
  }
  return url;
}

}  // namespace

Outcome simulate_file_rules(const RuleSet& rs, const Request& req, const SimOptions& opts) {
  return FileRules(rs, req, opts).run();
}

}  // namespace rl
