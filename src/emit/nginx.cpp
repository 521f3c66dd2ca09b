// nginx emitter: server-level rewrite directives in the source's evaluation order (SEMANTICS §3.1),
// host canonicalisation as its own server, long runs of literal redirects as `location =`.
#include <algorithm>
#include <cctype>
#include <map>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "emit/common.hpp"
#include "util/hex.hpp"
#include "util/regex.hpp"

namespace rl {

using namespace emit_detail;

namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Quotes an nginx token when it contains anything the config tokenizer treats specially
/// (SEMANTICS §3.6). Inside quotes nginx turns `\\` into `\` and `\"` into `"`: both are kept.
std::string ng_quote(std::string_view s, bool force = false) {
  bool need = force || s.empty();
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c)) || std::string_view(";{}\"'#").find(c) != std::string_view::npos)
      need = true;
  // nginx reads `\\` as one backslash in any token, quoted or not; `\"` as a quote.
  std::string out = need ? "\"" : "";
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    char n = i + 1 < s.size() ? s[i + 1] : '\0';
    if (c == '"') out += "\\\"";
    else if (c == '\\' && n == '\\') {
      out += "\\\\\\\\";
      ++i;
    } else if (c == '\\' && n == '"') {
      out += "\\\"";
      ++i;
    } else if (c == '\\' && n == '\0') out += "\\\\";
    else out += c;
  }
  return need ? out + "\"" : out;
}

/// How captures are spelled in the rendered template.
struct CapNames {
  std::string rule;  ///< prefix of named rule groups ("" = positional $N)
  std::string cond;  ///< prefix of named condition groups ("" = %N not available)
  int cond_groups = 9;  ///< groups of the capturing condition: a higher %N is empty (Apache)
};

struct Rendered {
  std::string text;
  bool ok = true;
  std::string why;
  std::vector<std::string> approx;
};

Rendered render(const std::vector<Piece>& ps, const CapNames& names, Format src) {
  Rendered out;
  auto var = [&](const std::string& name, std::size_t i) {
    bool glue = i + 1 < ps.size() && ps[i + 1].kind == Piece::literal && !ps[i + 1].text.empty() &&
                is_name_char(ps[i + 1].text.front());
    out.text += glue ? "${" + name + "}" : "$" + name;
  };
  for (std::size_t i = 0; i < ps.size() && out.ok; ++i) {
    const Piece& p = ps[i];
    switch (p.kind) {
      case Piece::literal:
        if (p.text.find('$') != std::string::npos) {
          out.ok = false;
          out.why = "nginx cannot write a literal '$' in a target";
        } else if (has_line_break(p.text) || p.text.find('\\') != std::string::npos) {
          out.ok = false;
          out.why = "the target contains a line break or backslash";
        }
        out.text += p.text;
        break;
      case Piece::rule_cap:
        if (names.rule.empty()) {
          if (p.n == 0) {
            out.ok = false;
            out.why = "nginx has no $0";
          } else out.text += "$" + std::to_string(p.n);
        } else var(names.rule + std::to_string(p.n), i);
        break;
      case Piece::cond_cap:
        if (names.cond.empty()) {
          out.ok = false;
          out.why = "%" + std::to_string(p.n) + " refers to a condition capture nginx cannot reach here";
        } else if (p.n > names.cond_groups) {
          // Apache: a group the last matched condition does not have is empty.
        } else var(names.cond + std::to_string(p.n), i);
        break;
      case Piece::var: {
        std::string v = nginx_variable(p.text, src);
        if (v.empty()) {
          out.ok = false;
          out.why = "no nginx variable for \"${" + p.text + "}\"";
        } else {
          if (v == "https") out.approx.push_back("nginx $https is \"\" where Apache %{HTTPS} is \"off\"");
          if (v == "uri") out.approx.push_back("nginx sends $uri decoded, Apache re-escapes it");
          var(v, i);
        }
        break;
      }
    }
  }
  return out;
}

/// Does the regex name its own groups by number (\1, \g1, \k<n>, (?1), (?R), (?P=n))? Then one more group
/// around it changes what it means.
bool refers_to_groups(std::string_view re) {
  for (std::size_t i = 0; i + 1 < re.size(); ++i) {
    char n = re[i + 1];
    if (re[i] == '\\') {
      if ((n >= '1' && n <= '9') || n == 'g' || n == 'k') return true;
      ++i;
    } else if (re[i] == '(' && n == '?' && i + 2 < re.size()) {
      char m = re[i + 2];
      if (std::isdigit(static_cast<unsigned char>(m)) || m == '+' || m == '-' || m == 'R' || m == '&' || m == 'P') return true;
    }
  }
  return false;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// The h5bp idiom `RewriteCond %{HTTPS} =on` + `RewriteRule ^ - [E=V:https]` (or `!=on` + `[E=V:http]`):
/// the lower-case name V when `r` is one of those two rules and sets nothing else.
std::optional<std::string> scheme_setting(const Rule& r) {
  if (r.action != Action::none || r.flow != Flow::next || !matches_everything(r.match) || r.conds.size() != 1 ||
      r.flags->env.size() != 1 || r.flags->other.size() != 1)
    return std::nullopt;
  const Condition& c = r.conds[0];
  if (c.test != "${https}" || c.op != CondOp::equal || c.pattern.text != "on" || c.pattern.ignore_case || c.or_next)
    return std::nullopt;
  const std::string& e = r.flags->env[0];
  auto colon = e.find(':');
  if (colon == std::string::npos || colon == 0 || e.find_first_of("$%{}") != std::string::npos) return std::nullopt;
  if (e.substr(colon + 1) != (c.pattern.negated ? "http" : "https")) return std::nullopt;
  return lowered(e.substr(0, colon));
}

/// Env variables that are the request scheme (nginx $scheme): set only by both rules of the idiom above,
/// and read (%{ENV:V}) only after the last of them.
std::set<std::string> scheme_envs(const RuleSet& rs) {
  struct Seen {
    bool https = false, http = false, other = false;
    std::size_t last = 0;
  };
  std::map<std::string, Seen> seen;
  for (const Rule& r : rs.rules) {
    auto v = scheme_setting(r);
    for (const std::string& e : r.flags->env) {
      Seen& s = seen[lowered(e.substr(0, e.find(':')))];
      if (!v || *v != lowered(e.substr(0, e.find(':')))) s.other = true;
      else (r.conds[0].pattern.negated ? s.http : s.https) = true, s.last = r.id;
    }
  }
  std::set<std::string> out;
  for (const auto& entry : seen) {
    const std::string& name = entry.first;
    const Seen& s = entry.second;  // not a structured binding: the lambda below captures it (clang 14)
    if (s.other || !s.https || !s.http) continue;
    std::string ref = "${env:" + name + "}";
    bool early = std::any_of(rs.rules.begin(), rs.rules.end(), [&](const Rule& r) {
      if (r.id > s.last) return false;
      if (r.target && lowered(r.target->url).find(ref) != std::string::npos) return true;
      return std::any_of(r.conds.begin(), r.conds.end(), [&](const Condition& c) { return lowered(c.test).find(ref) != std::string::npos; });
    });
    if (!early) out.insert(name);
  }
  return out;
}

bool is_redirect_status(int s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

/// The literal text of an Apache redirect target as Apache sends it (re-escaped, SEMANTICS 1.6, 2.9).
void apache_literals(const RuleSet& rs, const Rule& r, std::vector<Piece>& tp) {
  if ((rs.format == Format::apache || rs.format == Format::htaccess) && r.action == Action::redirect &&
      ((r.origin.directive == "RewriteRule" && !r.flags->ne) || r.origin.directive == "RedirectMatch"))
    apache_location_literals(tp, r.origin.directive == "RewriteRule", r.flags->qsl);
}

/// True when the literal path of `ps` (before its first '?') has a %XX that nginx's `rewrite` decodes
/// in a redirect (NGX_UNESCAPE_REDIRECT: '&'..'~'); `return` sends it as written.
bool rewrite_decodes(const std::vector<Piece>& ps) {
  for (const Piece& p : ps) {
    if (p.kind != Piece::literal) continue;
    const std::string& t = p.text;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '?') return false;
      if (t[i] != '%' || i + 2 >= t.size() || hex_value(t[i + 1]) < 0 || hex_value(t[i + 2]) < 0) continue;
      int c = hex_value(t[i + 1]) * 16 + hex_value(t[i + 2]);
      if (c > '%' && c < 0x7f) return true;
    }
  }
  return false;
}

/// One `if` test, already in nginx syntax ("$args ~ \"...\""), with the Apache [OR] flag.
struct Test {
  std::string prelude;  ///< `set $rl..t "..."` when the test string is a composite
  std::string cond;
  bool or_next = false;
};

/// The rules' match regexes compiled once, indexed by their literal start (after '^'), so that
/// "does any rule from index j on match this path" tests only the rules that can match it.
class LaterRules {
 public:
  explicit LaterRules(const std::vector<const Rule*>& rules) : compiled_(rules.size()) {
    for (std::size_t k = 0; k < rules.size(); ++k) {
      std::string re = match_regex(rules[k]->match);
      compiled_[k] = Regex::compile(re, rules[k]->match.ignore_case);
      std::string start = compiled_[k] && !rules[k]->match.ignore_case ? literal_start(re) : "";
      (start.empty() ? unindexed_ : by_start_[start]).push_back(k);
    }
  }
  /// True when no rule from index `from` on matches `path` (a regex that failed to compile or hit
  /// a PCRE2 limit counts as matching).
  bool none_match(const std::string& path, std::size_t from) const {
    auto hits = [&](const std::vector<std::size_t>& ks) {
      for (auto k = std::lower_bound(ks.begin(), ks.end(), from); k != ks.end(); ++k)
        if (!compiled_[*k] || compiled_[*k]->match(path) != MatchStatus::no_match) return true;
      return false;
    };
    if (hits(unindexed_)) return false;
    for (std::size_t n = 1; n <= path.size(); ++n) {
      auto it = by_start_.find(path.substr(0, n));
      if (it != by_start_.end() && hits(it->second)) return false;
    }
    return true;
  }

 private:
  /// The literal every match must start with: '^' then plain characters, less one that a
  /// quantifier follows; "" when unsure (alternation anywhere, escapes, groups first).
  static std::string literal_start(const std::string& re) {
    if (re.size() < 2 || re[0] != '^' || re.find('|') != std::string::npos) return "";
    std::size_t n = 1;
    while (n < re.size() && (std::isalnum(static_cast<unsigned char>(re[n])) || re[n] == '/' || re[n] == '_' ||
                             re[n] == '-' || re[n] == '%' || re[n] == '~'))
      ++n;
    if (n > 1 && n < re.size() && (re[n] == '?' || re[n] == '*' || re[n] == '+' || re[n] == '{')) --n;
    return re.substr(1, n - 1);
  }
  std::vector<std::optional<Regex>> compiled_;
  std::map<std::string, std::vector<std::size_t>> by_start_;
  std::vector<std::size_t> unindexed_;
};

class NginxEmitter {
 public:
  NginxEmitter(const RuleSet& rs, const EmitOptions& o, Losses& L) : rs_(rs), o_(o), L_(L) {}

  std::string run();

 private:
  const RuleSet& rs_;
  const EmitOptions& o_;
  Losses& L_;
  bool need_amp_map_ = false;
  // Per server: the variables its rules use, set at the top of the server before any rule runs (a
  // `map` with a regex would overwrite the captures of the rewrite that reads it).
  bool need_empty_query_ = false;
  std::optional<int> origin_port_;  ///< $rl_origin wanted, with the ServerName port (0 = none)
  std::string server_variables() const;
  bool any_internal_rewrite_ = false;
  std::vector<bool> chained_ = chained_rules(rs_);
  /// Env variables that hold the request scheme (scheme_envs): %{ENV:V} is written $scheme.
  std::set<std::string> scheme_env_ = scheme_envs(rs_);
  /// `${env:V}` pieces of such a variable become `${scheme}`.
  /// A .htaccess target that starts with it is absolute once expanded: Apache then adds no directory prefix
  /// (the parser, which cannot expand it, did).
  void scheme_pieces(std::vector<Piece>& ps) const {
    for (Piece& p : ps)
      if (p.kind == Piece::var && p.text.rfind("env:", 0) == 0 && scheme_env_.count(lowered(p.text.substr(4))))
        p.text = "scheme";
    if (rs_.format == Format::htaccess && ps.size() >= 3 && ps[0].kind == Piece::literal &&
        ps[0].text == (rs_.dir.empty() ? "/" : rs_.dir) && ps[1].kind == Piece::var && ps[1].text == "scheme" &&
        ps[2].kind == Piece::literal && ps[2].text.rfind("://", 0) == 0)
      ps.erase(ps.begin());
  }
  bool sets_scheme_env(const Rule& r) const {
    auto v = scheme_setting(r);
    return v && scheme_env_.count(*v);
  }
  /// Index in rs_.rules of the first internal rewrite that changes the query (size() if none):
  /// rule_block asks "is there one before rule r" for every rule, so it is found once.
  std::size_t first_query_rewrite_ = static_cast<std::size_t>(
      std::find_if(rs_.rules.begin(), rs_.rules.end(),
                   [](const Rule& o) {
                     return o.action == Action::rewrite && o.target && o.target->query != QueryMode::keep;
                   }) -
      rs_.rules.begin());

  /// `location_is_match`: the enclosing location matches exactly the requests the rule matches.
  std::string rule_block(const Rule& r, const std::string& ind, bool in_htaccess_location,
                         std::size_t later_rules, bool location_is_match = false);
  bool make_test(const Rule& r, const Condition& c, const std::string& id, int idx, bool name_caps, Test& out,
                 std::string& why);
  std::string query_return(QueryMode q, std::string url);
  std::string empty_query_mark();
  std::string origin(const Rule& r);
  std::string target_for_nginx(const Rule& r, const std::string& rendered);
  std::optional<std::string> canonical_server(const Rule& r, bool leading);
  void apache_source_notes(const Rule& r, const std::vector<Piece>& tp);
  void capture_notes(const Rule& r, const std::vector<Piece>& tp, bool prefix_tail);
  void request_uri_notes(const Rule& r);
};

/// An Apache RewriteRule whose whole path ($1 of a match-all, %{REQUEST_URI}) became nginx's raw
/// $request_uri: Apache expands the decoded path and re-escapes it.
void NginxEmitter::request_uri_notes(const Rule& r) {
  if ((rs_.format != Format::apache && rs_.format != Format::htaccess) || r.origin.directive != "RewriteRule") return;
  L_.approximated(r, "an encoded '?' in the request path: Apache answers 403 (AH10508, no [UnsafeAllow3F]), nginx "
                     "redirects with $request_uri as received", "GET /a%3Fb");
  L_.approximated(r, "Apache re-escapes the decoded request path ('+' for %2B, %7c for '|'), nginx sends $request_uri as received",
                  Weight::encoding);
}

/// How captured text (or the rest of the path a Redirect appends) of an Apache rule comes out in
/// nginx. Only an encoded '?' (and '#' for RedirectMatch) changes the answer; every other character
/// is at most %-encoded differently (SEMANTICS 1.2, 1.6, 2.9, 3.5; tests/differential htaccess/site).
void NginxEmitter::capture_notes(const Rule& r, const std::vector<Piece>& tp, bool prefix_tail) {
  const std::string& d = r.origin.directive;
  if (prefix_tail) {
    std::string from = r.match.text;
    if (!from.empty() && from.back() == '/') from.pop_back();
    L_.approximated(r, "an encoded '?' in the rest of the path: Apache sends it as %3f, nginx decodes it and the rest of the path becomes a query",
                    "GET " + from + "/a%3Fb");
  } else if (d == "RedirectMatch" ? captures_can_hold(r, tp, "?#") : captures_can_hold(r, tp, "?")) {
    if (d == "RewriteRule")
      L_.approximated(r, "a capture can hold an encoded '?' (%3F in the request path): Apache answers 403 (AH10508, no "
                         "[UnsafeAllow3F]), nginx redirects with the '?' decoded");
    else
      L_.approximated(r, "a capture can hold an encoded '?' or '#' (%3F, %23 in the request path): Apache writes them "
                         "decoded (a query that replaces the request's, a fragment), nginx keeps %23 and adds the request's query");
  }
  L_.approximated(r, "Apache %-escapes characters such as '|', '[', '^', '<' of the request path (\"a|b\" as \"a%7cb\"), nginx sends them as received",
                  Weight::encoding);
}

/// Apache behaviours of a rule that nginx does not reproduce (SEMANTICS §2), declared as RL302.
void NginxEmitter::apache_source_notes(const Rule& r, const std::vector<Piece>& tp) {
  bool dynamic = has_captures(tp) || has_vars(tp);
  if (r.flags->qsl && dynamic) L_.approximated(r, "[QSL] (split at the last '?') is not reproduced when captures or variables bring a '?'");
  if (r.flags->ne && has_vars(tp)) L_.approximated(r, "[NE]: Apache sends the variables unescaped");
  bool in_query = false, query_dynamic = false;
  for (const Piece& p : tp) {
    if (p.kind == Piece::literal && p.text.find('?') != std::string::npos) in_query = true;
    else if (in_query && p.kind == Piece::var) query_dynamic = true;
  }
  // A capture that can only hold characters escaped by neither server is copied alike.
  if (in_query && !query_dynamic && captures_differ(r, tp)) query_dynamic = true;
  if (query_dynamic && r.origin.directive == "RewriteRule")
    L_.approximated(r, "Apache re-escapes a query built from captures or variables ('%' becomes '%25')");
  for (const Piece& p : tp)
    if (p.kind == Piece::var && p.text == "server_port")
      L_.approximated(r, "Apache %{SERVER_PORT} is the port of the Host header, nginx $server_port the listening port");
  if (r.action == Action::rewrite && rs_.format == Format::apache && !tp.empty() && tp[0].kind == Piece::literal &&
      tp[0].text.size() > 1 && tp[0].text[0] == '/') {
    std::string seg = tp[0].text.substr(0, tp[0].text.find('/', 1));
    std::error_code ec;
    if (std::filesystem::exists(seg, ec))
      L_.approximated(r, "\"" + seg + "\" exists at the file-system root: Apache serves the substitution as a file path");
  }
  if (r.target && r.target->absolute && r.scope.server >= 0 && !tp.empty() && tp[0].kind == Piece::literal) {
    const Block& b = rs_.blocks[static_cast<std::size_t>(r.scope.server)];
    std::string head = tp[0].text;
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const std::string& n : b.server_names)
      if (head.find("://" + n) != std::string::npos)
        L_.approximated(r, "Apache treats an absolute URL naming its own server \"" + n + "\" specially (internal unless [R], port-sensitive)");
  }
  if (rs_.format == Format::htaccess && r.action == Action::redirect && !rs_.rewrite_base) {
    // A relative substitution in per-directory context gets the file-system directory (2.10).
    std::string_view o = r.original;
    std::size_t a = o.find_first_of(" \t");
    if (a != std::string_view::npos) a = o.find_first_not_of(" \t", a);
    if (a != std::string_view::npos) a = o.find_first_of(" \t", a);
    if (a != std::string_view::npos) a = o.find_first_not_of(" \t", a);
    if (r.origin.directive == "RewriteRule" && a != std::string_view::npos && o[a] != '/' && o[a] != '-' &&
        o.substr(a, 4) != "http" && o[a] != '%' && o[a] != '$')
      L_.approximated(r, "relative substitution without RewriteBase: Apache puts the file-system directory in the Location");
  }
  if (rs_.format == Format::htaccess && r.action == Action::rewrite && !dynamic && !tp.empty()) {
    auto re = Regex::compile(match_regex(r.match), r.match.ignore_case);
    std::string lit = tp[0].text;
    if (re && re->matches(lit.rfind(rs_.dir, 0) == 0 || lit.empty() || lit[0] == '/' ? lit : rs_.dir + lit))
      L_.approximated(r, "the rewritten URL matches the rule again: Apache stops when the URL does not change, nginx loops into a 500");
  }
}

bool NginxEmitter::make_test(const Rule& r, const Condition& c, const std::string& id, int idx, bool name_caps,
                             Test& out, std::string& why) {
  std::vector<Piece> tp = parse_template(c.test);
  std::string lhs;
  // %{HTTPS} on/off is a scheme test in nginx.
  if (c.test == "${https}" && (c.op == CondOp::regex || c.op == CondOp::equal)) {
    std::string t = c.pattern.text;
    if (c.op == CondOp::regex && !t.empty() && t.front() == '^') t.erase(0, 1);
    if (c.op == CondOp::regex && !t.empty() && t.back() == '$') t.pop_back();
    std::string lt = t;
    for (char& ch : lt) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if ((lt == "on" || lt == "off") && (c.pattern.ignore_case || t == lt)) {
      bool https = (lt == "on") != c.pattern.negated;
      out.cond = std::string("$scheme ") + "= " + (https ? "https" : "http");
      return true;
    }
  }
  if (tp.size() == 1 && tp[0].kind == Piece::var) {
    std::string v = nginx_variable(tp[0].text, rs_.format);
    if (v.empty()) {
      why = "no nginx variable for the condition test \"" + c.test + "\"";
      return false;
    }
    if (v == "https") L_.approximated(r, "nginx $https is \"\" where Apache %{HTTPS} is \"off\"");
    if (v == "server_port" && rs_.format != Format::nginx)
      L_.approximated(r, "Apache %{SERVER_PORT} is the port of the Host header, nginx $server_port the listening port");
    lhs = "$" + v;
  } else {
    Rendered rd = render(tp, CapNames{}, rs_.format);
    if (!rd.ok) {
      why = "condition test \"" + c.test + "\": " + rd.why;
      return false;
    }
    for (const auto& a : rd.approx) L_.approximated(r, a);
    lhs = "$" + id + "t" + std::to_string(idx);
    out.prelude = "set " + lhs + " " + ng_quote(rd.text, true) + ";";
  }
  bool neg = c.pattern.negated;
  switch (c.op) {
    case CondOp::regex: {
      std::string re = c.pattern.text;
      if (name_caps) {
        auto named = name_groups(re, id + "c");
        if (!named) {
          why = "cannot name the groups of \"" + re + "\"";
          return false;
        }
        re = "(?<" + id + "c0>" + *named + ")";
      }
      if (has_line_break(re)) {
        why = "the pattern contains a line break";
        return false;
      }
      std::string op = std::string(neg ? "!" : "") + (c.pattern.ignore_case ? "~*" : "~");
      out.cond = lhs + " " + op + " " + ng_quote(re, true);
      break;
    }
    case CondOp::equal:
      if (has_line_break(c.pattern.text) || c.pattern.text.find('$') != std::string::npos) {
        why = "the compared string contains '$' or a line break";
        return false;
      }
      if (c.pattern.ignore_case)
        out.cond = lhs + (neg ? " !~* " : " ~* ") + ng_quote("^" + regex_escape(c.pattern.text) + "$", true);
      else
        out.cond = lhs + (neg ? " != " : " = ") + ng_quote(c.pattern.text, true);
      break;
    case CondOp::file_exists:
    case CondOp::dir_exists:
    case CondOp::exists:
    case CondOp::executable: {
      if (lhs != "$request_filename") {
        why = "file test on \"" + c.test + "\" (nginx tests only $request_filename here)";
        return false;
      }
      const char* flag = c.op == CondOp::file_exists ? "-f" : c.op == CondOp::dir_exists ? "-d" : c.op == CondOp::exists ? "-e" : "-x";
      out.cond = std::string(neg ? "!" : "") + flag + " " + lhs;
      if (rs_.format == Format::apache)
        L_.approximated(r, "in Apache server context REQUEST_FILENAME is not yet a file path; nginx tests $request_filename (root + URI)");
      break;
    }
    case CondOp::truthy:
      out.cond = neg ? lhs + " = \"\"" : lhs;
      break;
    default:
      why = "condition operator \"" + std::string(to_string(c.op)) + "\" has no nginx equivalent";
      return false;
  }
  out.or_next = c.or_next;
  return true;
}

/// The Location of a `return`, with the query behaviour of `t.query` made explicit (`return`
/// never appends the request's query by itself: SEMANTICS §3.3).
std::string NginxEmitter::query_return(QueryMode q, std::string url) {
  bool own_query = url.find('?') != std::string::npos;
  switch (q) {
    case QueryMode::keep:
      if (!own_query) return url + "$is_args$args" + empty_query_mark();
      need_amp_map_ = true;
      return url + "$rl_amp$args";
    case QueryMode::append:
      if (!own_query) return url + "$is_args$args";
      need_amp_map_ = true;
      return url + "$rl_amp$args";
    case QueryMode::replace:
    case QueryMode::drop:
      return url;
  }
  return url;
}

/// Apache keeps the '?' of a request with an empty query (`GET /a?` -> `/b?`, SEMANTICS 1.3, 2.4);
/// nginx writes it only for a non-empty query. "" for other sources.
std::string NginxEmitter::empty_query_mark() {
  if (rs_.format != Format::apache && rs_.format != Format::htaccess) return "";
  need_empty_query_ = true;
  return "$rl_empty_query";
}

/// The variable that holds the origin Apache puts before a relative redirect target: the Host
/// header's name and port, else the port of the vhost's ServerName (SEMANTICS 0.4); nginx would use
/// its listen port.
std::string NginxEmitter::origin(const Rule& r) {
  int server = rs_.format == Format::apache ? r.scope.server : -1;
  int port = server >= 0 ? rs_.blocks[static_cast<std::size_t>(server)].servername_port : 0;
  if (port == 80 || port == 443) port = 0;  // the scheme's default port is left out (http, the common case)
  origin_port_ = port;
  return "$rl_origin";
}

/// `set`s of $rl_empty_query and $rl_origin at the top of a server, when its rules use them.
std::string NginxEmitter::server_variables() const {
  std::string out;
  if (need_empty_query_)
    out += "    # Apache keeps the '?' of a request with an empty query (\"GET /a?\" -> \"/b?\"); nginx would drop it.\n"
           "    set $rl_empty_query \"\";\n    if ($request_uri ~ \"^[^?]*\\?$\") {\n        set $rl_empty_query \"?\";\n    }\n";
  if (origin_port_) {
    std::string port = *origin_port_ ? ":" + std::to_string(*origin_port_) : "";
    out += "    # Apache builds a redirect's Location from the Host header's name and port";
    out += port.empty() ? std::string() : ", else its ServerName port " + port.substr(1);
    out += "; nginx would use its listen port.\n";
    out += "    set $rl_origin \"$scheme://$host" + port + "\";\n"
           "    if ($http_host ~ \":(?<rl_port>[0-9]+)$\") {\n        set $rl_origin \"$scheme://$host:$rl_port\";\n    }\n"
           "    if ($rl_origin ~ \"^(http://.*:80|https://.*:443)$\") {\n        set $rl_origin \"$scheme://$host\";\n    }\n";
  }
  return out;
}

/// A rendered redirect target from an Apache source made absolute the way Apache does it.
std::string NginxEmitter::target_for_nginx(const Rule& r, const std::string& rendered) {
  if ((rs_.format != Format::apache && rs_.format != Format::htaccess) || r.action != Action::redirect ||
      rendered.empty() || rendered[0] != '/')
    return rendered;
  return origin(r) + rendered;
}

std::optional<std::string> NginxEmitter::canonical_server(const Rule& r, bool leading) {
  if (!leading || r.conds.size() != 1 || r.action != Action::redirect || !is_redirect_status(r.status)) return std::nullopt;
  if (r.flow != Flow::stop || !r.target || !matches_everything(r.match) || !r.scope.hosts.empty()) return std::nullopt;
  const Condition& c = r.conds[0];
  if ((c.test != "${http_host}" && c.test != "${host}") || c.op != CondOp::regex || c.pattern.negated || c.or_next)
    return std::nullopt;
  if (!c.pattern.ignore_case && c.test != "${host}") return std::nullopt;
  std::string_view pt = c.pattern.text;
  if (pt.size() < 3 || pt.front() != '^' || pt.back() != '$') return std::nullopt;
  pt = pt.substr(1, pt.size() - 2);
  std::string server_name;
  bool host_capture = false;
  if (auto lit = regex_literal(pt)) {
    server_name = *lit;
    for (char& ch : server_name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  } else if (pt == "www\\.(.+)" || pt == "www\\.(.*)") {
    server_name = "~^www\\.(?<rl_host>.+)$";
    host_capture = true;
  } else {
    return std::nullopt;
  }
  bool bad_name = std::any_of(server_name.begin(), server_name.end(), [](char ch) {
    return std::isspace(static_cast<unsigned char>(ch)) || ch == ';' || ch == '{' || ch == '}' || ch == '"' ||
           ch == '\'' || ch == '#' || ch == '$';
  });
  if (server_name.empty() || (bad_name && !host_capture)) return std::nullopt;
  // The target: SCHEME://HOST then the whole path ($1 of a match-all, or ${uri}), query kept.
  std::vector<Piece> ps = parse_template(r.target->url);
  scheme_pieces(ps);
  bool same_scheme = !ps.empty() && ps[0].kind == Piece::var && ps[0].text == "scheme";
  if (ps.empty() || (ps[0].kind != Piece::literal && !same_scheme)) return std::nullopt;
  std::string head;
  std::size_t i = same_scheme ? 1 : 0;
  for (; i < ps.size() && ps[i].kind == Piece::literal; ++i) head += ps[i].text;
  std::string scheme;
  if (same_scheme && head.rfind("://", 0) == 0) scheme = "$scheme://", head = "http" + head;
  else if (head.rfind("https://", 0) == 0) scheme = "https://";
  else if (head.rfind("http://", 0) == 0) scheme = "http://";
  else return std::nullopt;
  std::string rest = head.substr(same_scheme ? 7 : scheme.size());
  std::string host;
  bool slash_before = false;
  if (host_capture) {
    if (!rest.empty() || i >= ps.size() || ps[i].kind != Piece::cond_cap || ps[i].n != 1) return std::nullopt;
    ++i;
    host = "$rl_host";
    if (i < ps.size() && ps[i].kind == Piece::literal) {
      if (ps[i].text != "/") return std::nullopt;
      slash_before = true;
      ++i;
    }
  } else {
    if (!rest.empty() && rest.back() == '/') {
      slash_before = true;
      rest.pop_back();
    }
    if (rest.empty() || rest.find_first_of("/?#$ ") != std::string::npos) return std::nullopt;
    host = rest;
  }
  if (i + 1 != ps.size()) return std::nullopt;
  const Piece& tail = ps[i];
  bool ok = false;
  if (tail.kind == Piece::var && tail.text == "uri" && !slash_before && r.target->query == QueryMode::keep) ok = true;
  if (tail.kind == Piece::var && tail.text == "request_uri" && !slash_before &&
      (r.target->query == QueryMode::drop || r.target->query == QueryMode::replace))
    ok = true;
  if (tail.kind == Piece::rule_cap && r.target->query == QueryMode::keep) {
    auto re = Regex::compile(match_regex(r.match), r.match.ignore_case);
    Captures caps;
    if (re && re->match("/x/y", &caps) == MatchStatus::match) {
      std::string g = caps.group(static_cast<std::size_t>(tail.n));
      ok = (g == "/x/y" && !slash_before) || (g == "x/y" && slash_before);
    }
  }
  if (!ok) return std::nullopt;
  request_uri_notes(r);
  if (host_capture)
    L_.approximated(r, "nginx lower-cases the Host header before it matches server_name: the captured host name is sent in lower case, Apache sends it as the client wrote it (the same host)", Weight::encoding);
  std::string s = carried_comments(r, "");
  s += "server {\n    listen " + std::to_string(o_.listen_port) + ";\n    server_name " + ng_quote(server_name) +
       ";\n    return " + std::to_string(r.status) + " " + ng_quote(scheme + host + "$request_uri") + ";\n}\n";
  return s;
}

/// Translates one rule into directives at `ind`. Records losses; a refused rule becomes a comment.
std::string NginxEmitter::rule_block(const Rule& r, const std::string& ind, bool in_location, std::size_t later,
                                     bool location_is_match) {
  std::string out = carried_comments(r, ind);
  auto refuse = [&](const std::string& why) {
    L_.refused(r, why);
    return out + not_converted_block(r, why, ind);
  };
  const std::string id = "rl" + std::to_string(r.id + 1);
  if (std::string why = section_refusal(rs_, r); !why.empty()) return refuse(why);
  if (r.flags->proxy) return refuse("proxying ([P]) is not a redirect");
  if (chained_.size() > r.id && chained_[r.id]) return refuse("[S=n] / [C] rule chaining has no nginx equivalent");
  if (sets_scheme_env(r))
    return out + ind + "# redirlint: no effect on redirects (%{ENV:" + r.flags->env[0].substr(0, r.flags->env[0].find(':')) +
           "} is the request scheme, $scheme in nginx): " + rule_label(r) + "\n";
  if (!r.flags->other.empty()) L_.approximated(r, "flags \"" + r.flags->other.front() + "\"... are ignored");
  if (r.flags->b) L_.approximated(r, "[B] escaping of back-references is not reproduced");
  // nginx's configuration has no escape for a line break or NUL: such a path or pattern cannot be written.
  if (has_line_break(r.match.text))
    return refuse(r.match.kind == MatchKind::regex ? "the pattern contains a line break or NUL byte"
                                                   : "the path contains a line break or NUL byte");

  // What the rule does, as the last directive.
  bool redirect = r.action == Action::redirect;
  bool answer = r.action == Action::answer;
  bool rewrite = r.action == Action::rewrite;
  if (r.action == Action::none) {
    if (r.flow == Flow::next || r.flow == Flow::restart) {
      if (!r.flags->other.empty()) return refuse("a rule without substitution that only sets flags");
      return out + ind + "# redirlint: no effect on redirects: " + rule_label(r) + "\n";
    }
  }
  if (redirect && !is_redirect_status(r.status))
    return refuse("status " + std::to_string(r.status) + " with a Location cannot be sent by nginx");
  if (redirect && !r.target) return refuse("a redirect without target");
  if (rewrite && !r.target) return refuse("an internal rewrite without target");
  if (r.flow == Flow::restart && rs_.format != Format::nginx && !in_location)
    L_.approximated(r, "[N] restarts the rules; nginx `last` at server level does not");

  std::vector<Piece> tp;
  if (r.target) {
    tp = parse_template(r.target->url);
    if (!resolve_named_captures(tp, match_regex(r.match)))
      return refuse("the target names a capture the pattern does not have");
  }
  bool from_apache = rs_.format == Format::apache || rs_.format == Format::htaccess;
  apache_literals(rs_, r, tp);
  scheme_pieces(tp);
  bool uses_rule_caps = std::any_of(tp.begin(), tp.end(), [](const Piece& p) { return p.kind == Piece::rule_cap; });
  bool uses_cond_caps = std::any_of(tp.begin(), tp.end(), [](const Piece& p) { return p.kind == Piece::cond_cap; });
  int tail_group = 0;
  std::string mre = rule_match_regex(r, &tail_group);
  if (tail_group) {
    // mod_alias appends the rest of the path (SEMANTICS §1.1); our group is the last one.
    if (uses_rule_caps) return refuse("a prefix rule whose target uses captures");
    tp.push_back(Piece{Piece::rule_cap, "", 1});
    uses_rule_caps = true;
  }
  if (r.flags->ne && uses_rule_caps) L_.approximated(r, "[NE]: nginx escapes captures where Apache sends them raw");
  else if (from_apache && r.action != Action::answer &&
           (tail_group || ((uses_rule_caps || uses_cond_caps) && captures_differ(r, tp))))
    capture_notes(r, tp, tail_group != 0);
  if (from_apache) apache_source_notes(r, tp);

  // ${uri} at the end with the query kept is $request_uri (raw, re-escaped like Apache's %{REQUEST_URI}).
  QueryMode qmode = r.target ? r.target->query : QueryMode::keep;
  if (!tp.empty() && tp.back().kind == Piece::var && tp.back().text == "uri" && qmode == QueryMode::keep) {
    tp.back().text = "request_uri";
    qmode = QueryMode::drop;
    request_uri_notes(r);
  }
  // $rl_empty_query reads the original request; Apache's '?' follows the query as rewritten.
  if (from_apache && redirect && qmode == QueryMode::keep &&
      first_query_rewrite_ < static_cast<std::size_t>(r.id))
    L_.approximated(r, "after an internal rewrite that changed the query, a request with an empty query (\"/a?\") gets a '?' from nginx, not from Apache");

  // Tests: scope, conditions, and the match when the final directive cannot carry it.
  std::vector<Condition> conds;
  if (is_file_rules(rs_.format)) conds = scope_conditions(r);
  conds.insert(conds.end(), r.conds.begin(), r.conds.end());
  for (const Condition& c : conds)
    if (c.test.rfind("${country}", 0) == 0 || c.test.rfind("${language}", 0) == 0 || c.test.rfind("${role}", 0) == 0 ||
        c.test.rfind("${cookie}", 0) == 0)
      return refuse("condition on \"" + c.test + "\" (a Netlify/Cloudflare feature nginx does not have)");
  bool everything = (matches_everything(r.match) && !uses_rule_caps) || (location_is_match && answer);
  bool can_rewrite = (rewrite || (redirect && (r.status == 301 || r.status == 302))) && !r.match.negated;
  // Prefer `return` for redirects that need no rule captures (idiomatic, no query surprises).
  bool decodes = redirect && rewrite_decodes(tp);
  bool use_return = redirect && (!can_rewrite || everything || (decodes && !uses_rule_caps));
  if (decodes && uses_rule_caps && !use_return)
    L_.approximated(r, "nginx `rewrite` decodes the %XX escapes of the target's path that Apache sends escaped");
  bool match_as_test = !everything && (answer || use_return || r.match.negated || r.action == Action::none);
  int last_cond_with_caps = -1;
  for (std::size_t k = 0; k < r.conds.size(); ++k)
    if (r.conds[k].op == CondOp::regex && !r.conds[k].pattern.negated) last_cond_with_caps = static_cast<int>(k);
  std::size_t ntests = conds.size() + (match_as_test ? 1 : 0);
  bool name_rule = match_as_test && ntests > 1 && uses_rule_caps;
  if (match_as_test && uses_rule_caps && tp.size() && std::any_of(tp.begin(), tp.end(), [](const Piece& p) {
        return p.kind == Piece::rule_cap && p.n == 0;
      }))
    name_rule = true;
  bool name_cond = uses_cond_caps;
  if (uses_cond_caps) {
    if (last_cond_with_caps < 0) return refuse("%N with no condition that captures");
    std::size_t k = static_cast<std::size_t>(last_cond_with_caps);
    if (r.conds[k].or_next || (k > 0 && r.conds[k - 1].or_next))
      return refuse("%N taken from an [OR] condition: which condition captured depends on the request");
  }

  std::vector<Test> tests;
  std::size_t scope_n = conds.size() - r.conds.size();
  for (std::size_t k = 0; k < conds.size(); ++k) {
    Test t;
    std::string why;
    bool named = name_cond && k >= scope_n && static_cast<int>(k - scope_n) == last_cond_with_caps;
    if (!make_test(r, conds[k], id, static_cast<int>(k), named, t, why)) return refuse(why);
    tests.push_back(std::move(t));
  }
  std::string mre_final = mre;
  if (name_rule) {
    auto named = name_groups(mre, id + "m");
    if (!named) return refuse("cannot name the groups of \"" + mre + "\"");
    mre_final = "(?<" + id + "m0>" + *named + ")";
  }
  // nginx has no $0: the pattern goes in a group of its own and the rule's captures move up by one.
  bool whole = std::any_of(tp.begin(), tp.end(), [](const Piece& p) { return p.kind == Piece::rule_cap && p.n == 0; });
  if (whole && !name_rule) {
    if (refers_to_groups(mre)) return refuse("nginx has no $0, and the pattern refers to its own groups (one more group would renumber them)");
    if (std::any_of(tp.begin(), tp.end(), [](const Piece& p) { return p.kind == Piece::rule_cap && p.n >= 9; }))
      return refuse("nginx has no $0, and $9 cannot move up to $10");
    mre_final = "(" + mre + ")";
    for (Piece& p : tp)
      if (p.kind == Piece::rule_cap) ++p.n;
  }
  if (match_as_test) {
    Test t;
    std::string op = std::string(r.match.negated ? "!" : "") + (r.match.ignore_case ? "~*" : "~");
    auto lit = literal_path(r.match);
    if (lit && !uses_rule_caps && lit->find('$') == std::string::npos)
      t.cond = std::string("$uri ") + (r.match.negated ? "!= " : "= ") + ng_quote(*lit);
    else
      t.cond = "$uri " + op + " " + ng_quote(mre_final, true);
    tests.insert(tests.begin(), t);
  }

  CapNames names;
  if (name_rule) names.rule = id + "m";
  if (name_cond) {
    names.cond = id + "c";
    names.cond_groups = capture_count(r.conds[static_cast<std::size_t>(last_cond_with_caps)].pattern.text);
  }
  Rendered target;
  if (r.target && !answer) {
    target = render(tp, names, rs_.format);
    if (!target.ok) return refuse(target.why);
    for (const auto& a : target.approx) L_.approximated(r, a);
    target.text = target_for_nginx(r, target.text);
    bool abs = target.text.rfind("http://", 0) == 0 || target.text.rfind("https://", 0) == 0 ||
               target.text.rfind("$scheme://", 0) == 0;
    if (!abs && !target.text.empty() && target.text[0] != '/' && target.text[0] != '$')
      L_.approximated(r, "relative target \"" + target.text + "\" is sent as written by nginx");
  }

  std::string directive;
  if (answer) {
    directive = "return " + std::to_string(r.status) + ";";
  } else if (r.action == Action::none) {
    directive = "break;";
    if (later) L_.approximated(r, "`break` also skips the redirects that follow it at this level");
  } else if (use_return) {
    directive = "return " + std::to_string(r.status) + " " + ng_quote(query_return(qmode, target.text)) + ";";
    if (uses_rule_caps && !from_apache) L_.approximated(r, "nginx `return` does not re-escape captured path text (a request with %XX escapes gets them decoded in Location)");
  } else {
    std::string url = target.text;
    bool own_query = url.find('?') != std::string::npos;
    switch (qmode) {
      case QueryMode::keep:
        if (own_query) L_.approximated(r, "the target's own query is followed by the request's");
        else url += empty_query_mark();
        break;
      case QueryMode::append: break;
      case QueryMode::replace:
      case QueryMode::drop: url += "?"; break;
    }
    std::string re = mre_final;
    if (r.match.ignore_case) re = "(?i)" + re;
    if (match_as_test || everything) re = "^";
    std::string flag;
    if (redirect) flag = r.status == 301 ? " permanent" : " redirect";
    else if (r.flow == Flow::end) flag = " break";
    else if (r.flow == Flow::restart) flag = " last";
    else if (r.flow == Flow::stop) flag = in_location ? " last" : " break";
    directive = "rewrite " + ng_quote(re) + " " + ng_quote(url) + flag + ";";
    if (rewrite) any_internal_rewrite_ = true;
  }
  if (redirect && r.flow == Flow::next && later)
    L_.approximated(r, "Apache goes on with the later rules after [R] without [L]; nginx stops at the redirect");

  // Conditions: one `if`, or per-group flags combined in one variable (nginx has no && / ||).
  for (const Test& t : tests)
    if (!t.prelude.empty()) out += ind + t.prelude + "\n";
  if (tests.empty()) return out + ind + directive + "\n";
  if (tests.size() == 1) return out + ind + "if (" + tests[0].cond + ") {\n" + ind + "    " + directive + "\n" + ind + "}\n";
  int groups = 0;
  std::string all, ones;
  for (std::size_t k = 0; k < tests.size(); ++k) {
    std::string g = "$" + id + "g" + std::to_string(groups);
    if (k == 0 || !tests[k - 1].or_next) out += ind + "set " + g + " \"\";\n";
    out += ind + "if (" + tests[k].cond + ") {\n" + ind + "    set " + g + " 1;\n" + ind + "}\n";
    if (!tests[k].or_next || k + 1 == tests.size()) {
      all += "${" + g.substr(1) + "}";
      ones += "1";
      ++groups;
    }
  }
  out += ind + "set $" + id + " \"" + all + "\";\n";
  out += ind + "if ($" + id + " = " + ones + ") {\n" + ind + "    " + directive + "\n" + ind + "}\n";
  return out;
}

bool alias_class(const Rule& r) {
  const std::string& d = r.origin.directive;
  return d == "Redirect" || d == "RedirectMatch" || d == "RedirectPermanent" || d == "RedirectTemp";
}

/// A plain mod_alias rule (no condition, no section) of `kind`: it can live in a location of its own
/// (`Redirect`: `location ^~`, `RedirectMatch`: `location ~`).
bool plain_alias(const RuleSet& rs, const Rule& r, MatchKind kind) {
  return alias_class(r) && r.match.kind == kind && !r.match.negated && !r.match.ignore_case && r.conds.empty() &&
         r.scope.hosts.empty() && r.scope.schemes.empty() && !r.match.text.empty() &&
         (kind == MatchKind::regex || r.match.text[0] == '/') &&
         (r.action == Action::redirect || r.action == Action::answer) && !has_line_break(r.match.text) &&
         section_refusal(rs, r).empty();
}

/// The nginx locations that together match exactly what `Redirect P` matches: `P` and `P/...`.
std::vector<std::string> prefix_locations(const std::string& p) {
  if (p.back() == '/') return {"^~ " + ng_quote(p)};
  return {"= " + ng_quote(p), "^~ " + ng_quote(p + "/")};
}

/// Is there a mod_alias prefix in `earlier` that matches the path `b` (whole segments, SEMANTICS §1.1:
/// `b` itself, or `b` cut before or after one of its '/')? One lookup per '/', not one per earlier rule.
bool alias_covered(const std::unordered_set<std::string>& earlier, const std::string& b) {
  if (earlier.count(b)) return true;
  for (std::size_t k = 0; k < b.size(); ++k)
    if (b[k] == '/' && ((k > 0 && earlier.count(b.substr(0, k))) || earlier.count(b.substr(0, k + 1)))) return true;
  return false;
}


std::string NginxEmitter::run() {
  std::string text = header_comment(o_, "nginx");
  if (!text.empty())
    text += "# Put this file in the http{} context (e.g. conf.d/). Add `listen 443 ssl;` and certificates as needed.\n";

  // Evaluation order: Apache runs mod_rewrite before mod_alias (SEMANTICS §2.11).
  std::vector<const Rule*> order;
  for (const Rule& r : rs_.rules)
    if (!alias_class(r) || (rs_.format != Format::apache && rs_.format != Format::htaccess)) order.push_back(&r);
  for (const Rule& r : rs_.rules)
    if (alias_class(r) && (rs_.format == Format::apache || rs_.format == Format::htaccess)) order.push_back(&r);

  // Servers: Apache <VirtualHost>s (by scope.server), everything else in one server.
  // Each server's rules in evaluation order (one pass, not one per server).
  std::vector<int> servers;
  std::map<int, std::vector<const Rule*>> rules_of;
  for (const Rule* r : order) {
    int s = rs_.format == Format::apache ? r->scope.server : -1;
    auto [it, fresh] = rules_of.try_emplace(s);
    if (fresh) servers.push_back(s);
    it->second.push_back(r);
  }
  if (rs_.format == Format::apache)
    for (std::size_t b = 0; b < rs_.blocks.size(); ++b)
      if (rs_.blocks[b].kind == BlockKind::server && rules_of.try_emplace(static_cast<int>(b)).second)
        servers.push_back(static_cast<int>(b));
  bool has_vhosts = std::any_of(servers.begin(), servers.end(), [](int s) { return s >= 0; });
  if (has_vhosts)
    for (const Rule* r : order)
      if (r->scope.server < 0)
        L_.approximated(*r, "with <VirtualHost>s Apache uses main-server rules only through RewriteOptions Inherit; nginx gives them their own server");
  // The first <VirtualHost> is Apache's default.
  std::stable_partition(servers.begin(), servers.end(), [](int s) { return s >= 0; });
  if (servers.empty()) servers.push_back(-1);
  bool htaccess = rs_.format == Format::htaccess;
  std::string dir = htaccess ? rs_.dir : "/";

  std::string canon;
  std::string body;
  bool first_server = true;
  for (int s : servers) {
    need_empty_query_ = false;
    origin_port_.reset();
    const std::vector<const Rule*>& rules = rules_of[s];
    std::string ind = htaccess ? "        " : "    ";
    std::string inner;
    std::size_t leading = 0;
    // Host canonicalisation rules at the top become their own servers.
    if (dir == "/")
      while (leading < rules.size()) {
        // The scheme setters only feed %{ENV:V} ($scheme): they stay at the top of the server as comments.
        if (sets_scheme_env(*rules[leading])) {
          inner += rule_block(*rules[leading++], ind, htaccess, 0);
          continue;
        }
        auto c = canonical_server(*rules[leading], true);
        if (!c) break;
        canon += c->empty() ? "" : *c;
        ++leading;
      }
    // Runs of literal redirects (no later rule can see their paths) become `location =` blocks.
    std::string locations;
    std::vector<bool> as_location(rules.size(), false);
    std::optional<LaterRules> later;
    if (!htaccess) {
      std::size_t i = leading;
      while (i < rules.size()) {
        auto literal = [&](const Rule& r) {
          if (!r.conds.empty() || !r.scope.hosts.empty() || !r.scope.schemes.empty() || r.action != Action::redirect ||
              !is_redirect_status(r.status) || r.flow != Flow::stop || !r.target)
            return false;
          auto lit = literal_path(r.match);
          if (!lit || has_line_break(*lit) || lit->find('$') != std::string::npos) return false;
          auto ps = parse_template(r.target->url);
          return !has_captures(ps) && !has_vars(ps);
        };
        std::size_t j = i;
        while (j < rules.size() && literal(*rules[j])) ++j;
        if (j - i >= o_.map_threshold) {
          std::vector<std::string> keys;
          for (std::size_t k = i; k < j; ++k) keys.push_back(*literal_path(rules[k]->match));
          bool safe = true;
          if (!later) later = LaterRules(rules);
          for (const std::string& key : keys)
            if (!later->none_match(key, j)) {
              safe = false;
              break;
            }
          std::set<std::string> seen;
          if (safe)
            for (std::size_t k = i; k < j; ++k) {
              const Rule& r = *rules[k];
              as_location[k] = true;
              std::string key = *literal_path(r.match);
              if (!seen.insert(key).second) {
                locations += "    # redirlint: shadowed by an earlier rule for the same path: " + rule_label(r) + "\n";
                continue;
              }
              std::vector<Piece> tp = parse_template(r.target->url);
              apache_literals(rs_, r, tp);
              Rendered t = render(tp, CapNames{}, rs_.format);
              if (!t.ok) {
                L_.refused(r, t.why);
                locations += not_converted_block(r, t.why, "    ");
                continue;
              }
              t.text = target_for_nginx(r, t.text);
              locations += carried_comments(r, "    ");
              locations += "    location = " + ng_quote(key) + " {\n        return " + std::to_string(r.status) + " " +
                           ng_quote(query_return(r.target->query, t.text)) + ";\n    }\n";
            }
          i = j;
        } else {
          i = std::max(j, i + 1);
        }
      }
    }
    // The plain Redirects then RedirectMatches at the end (Apache runs mod_alias after mod_rewrite) become
    // locations: a matching `^~` prefix stops nginx's regex search, and regex locations go in order, as
    // Apache's first matching Redirect* does. Only when nothing before them rewrites internally (Apache then
    // skips mod_alias; nginx would match the new URI) and the prefixes keep their order.
    if (rs_.format == Format::apache) {
      std::size_t r_from = rules.size(), t;
      auto free = [&](std::size_t k) { return k > leading && !as_location[k - 1]; };
      while (free(r_from) && plain_alias(rs_, *rules[r_from - 1], MatchKind::regex)) --r_from;
      for (t = r_from; free(t) && plain_alias(rs_, *rules[t - 1], MatchKind::prefix);) --t;
      bool plain_before = std::all_of(rules.begin() + static_cast<std::ptrdiff_t>(leading), rules.begin() + static_cast<std::ptrdiff_t>(t),
                                      [](const Rule* r) { return r->action == Action::redirect || r->action == Action::answer; });
      // Segment prefixes nest or are disjoint, so nginx's longest prefix is Apache's first match, except for a
      // Redirect inside an earlier one's path (it never fires) and a location already written (`/a/` then `/a`).
      std::set<std::string> written;
      std::unordered_set<std::string> earlier;
      // nginx builds its location tree in quadratic time: 2,000 Redirects (4,000 locations) load in 0.4 s,
      // 20,000 in 127 s (`nginx -t`, nginx 1.22); beyond that they stay server-level rewrites (20,000: 0.3 s).
      constexpr std::size_t kMaxAliasLocations = 2000;
      if (t < rules.size() && plain_before && rules.size() - t <= kMaxAliasLocations)
        for (std::size_t k = t; k < rules.size(); ++k) {
          const Rule& r = *rules[k];
          as_location[k] = true;
          bool shadowed = k < r_from && alias_covered(earlier, r.match.text);
          if (k < r_from) earlier.insert(r.match.text);
          if (shadowed) {
            locations += carried_comments(r, "    ") + "    # redirlint: never fires, an earlier Redirect covers its path: " + rule_label(r) + "\n";
            continue;
          }
          std::string block = rule_block(r, "        ", true, rules.size() - k - 1, true);
          std::vector<std::string> where = k < r_from ? prefix_locations(r.match.text)
                                                      : std::vector<std::string>{"~ " + ng_quote(r.match.text, true)};
          for (const std::string& w : where)
            if (written.insert(w).second) locations += "    location " + w + " {\n" + block + "    }\n";
        }
    }
    for (std::size_t k = leading; k < rules.size(); ++k) {
      if (as_location[k]) continue;
      const Rule& r = *rules[k];
      inner += rule_block(r, ind, htaccess, rules.size() - k - 1);
    }
    std::string names = "_";
    bool https = false;
    if (s >= 0) {
      const Block& b = rs_.blocks[static_cast<std::size_t>(s)];
      if (!b.server_names.empty()) {
        names.clear();
        for (const std::string& n : b.server_names) names += (names.empty() ? "" : " ") + ng_quote(n);
      }
      https = b.https;
    }
    body += "server {\n    listen " + std::to_string(o_.listen_port) + (first_server && (!canon.empty() || servers.size() > 1) ? " default_server" : "") +
            ";\n    server_name " + names + ";\n";
    if (https) body += "    # the source server uses TLS: add `listen 443 ssl;` and its certificates\n";
    if (rs_.format == Format::apache || htaccess)
      body += "    # Apache refuses %2F in the path before any rule (AllowEncodedSlashes Off)\n"
              "    if ($request_uri ~ \"%2[Ff]\") {\n        return 404;\n    }\n";
    body += server_variables();
    if (htaccess) body += "    location " + ng_quote(dir) + " {\n" + inner + "    }\n";
    else body += inner;
    body += locations;
    body += "}\n";
    first_server = false;
  }
  // Directives the parser kept but did not model, when they can change redirects.
  std::string unmodelled = unmodelled_comments(rs_, L_, "");
  if (need_amp_map_) text += "map $args $rl_amp {\n    \"\" \"\";\n    default \"&\";\n}\n";
  (void)any_internal_rewrite_;
  return text + unmodelled + canon + body;
}

}  // namespace

Emitted emit_nginx(const RuleSet& rs, const EmitOptions& opts, const SourceFiles&) {
  Losses L(rs, "nginx");
  NginxEmitter e(rs, opts, L);
  std::string text = e.run();
  return L.finish(std::move(text));
}

}  // namespace rl
