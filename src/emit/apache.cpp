// Apache emitter (server context or .htaccess): mod_alias where it is exact, mod_rewrite otherwise.
// Escaping follows SEMANTICS §1.6 (RedirectMatch double-encodes literal %XX) and §2.9 (`%N` is a
// back-reference in a RewriteRule substitution; literal `%` is written `\%`).
#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include "util/hex.hpp"
#include <cctype>

#include "emit/common.hpp"
#include "util/regex.hpp"

namespace rl {

using namespace emit_detail;

namespace {

/// Quotes an Apache argument when it has whitespace, quotes, or would start a comment.
std::string ap_quote(std::string_view s) {
  bool need = s.empty() || s.front() == '#';
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'') need = true;
  if (!need) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// Quotes a RewriteRule / RewriteCond argument for mod_rewrite's own tokenizer (parseargline), which,
/// unlike ap_getword_conf, ends a quoted argument at the first matching quote (`\"` does not escape it)
/// and only knows `\` before whitespace. A `"` inside is written in single quotes, or (both quotes
/// present) unquoted with `\` before each space and before a leading quote: the substitution and
/// condition strings read `\x` as `x` (do_expand) and PCRE reads `\ ` and `\"` as the characters.
std::string rw_quote(std::string_view s) {
  if (s.find('"') == std::string_view::npos) return ap_quote(s);
  bool space = false;
  for (char c : s) space = space || std::isspace(static_cast<unsigned char>(c));
  bool quote_first = s.front() == '"' || s.front() == '\'';
  if (!space && !quote_first) return std::string(s);
  if (s.find('\'') == std::string_view::npos) return "'" + std::string(s) + "'";
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((i == 0 && quote_first) || std::isspace(static_cast<unsigned char>(s[i]))) out += '\\';
    out += s[i];
  }
  return out;
}

/// Bytes Apache re-escapes when it builds the Location of a RewriteRule / RedirectMatch
/// (ap_escape_uri: everything but alphanumerics and "$-_.+!*'(),:;@&=/~"; the real server sends
/// `/x;y` as is).
bool reescaped_by_apache(unsigned char c) {
  if (std::isalnum(c)) return false;
  return std::string_view("$-_.+!*'(),:;@&=/~").find(static_cast<char>(c)) == std::string_view::npos;
}

struct ApTarget {
  std::string text;
  bool ok = true;
  std::string why;
  bool needs_ne = false;
  bool query_from_request_uri = false;  ///< ${request_uri} became %{REQUEST_URI} + the request's query
  std::vector<std::string> approx;
};

/// Renders a target template as a RewriteRule substitution (`alias` = RedirectMatch/Redirect syntax).
ApTarget render(std::vector<Piece> ps, Format src, bool alias, bool regex_alias) {
  ApTarget out;
  bool dynamic = has_captures(ps) || has_vars(ps);
  if (!ps.empty() && ps.back().kind == Piece::var && ps.back().text == "request_uri") {
    ps.back().text = "uri";
    out.query_from_request_uri = true;
  }
  if (ps.size() >= 2 && ps.back().kind == Piece::var && ps.back().text == "query" &&
      ps[ps.size() - 2].kind == Piece::var && ps[ps.size() - 2].text == "is_args") {
    ps.resize(ps.size() - 2);
    out.query_from_request_uri = true;
  }
  // A literal character Apache would re-escape ('#', '{', '"', ...) is sent as written only with
  // [NE]; NE also leaves captures unescaped (declared by captures_differ where they may differ) and
  // variables decoded, so next to a variable it is a declared difference instead.
  bool literal_escaped = false;
  for (const Piece& p : ps)
    if (p.kind == Piece::literal)
      for (char ch : p.text)
        if (ch != '?' && ch != '%' && reescaped_by_apache(static_cast<unsigned char>(ch))) literal_escaped = true;
  bool ne_mode = !dynamic || (literal_escaped && !has_vars(ps));
  if (!alias && literal_escaped) {
    if (ne_mode) out.needs_ne = true;
    else out.approx.push_back("a literal character of the target is %-escaped by Apache next to a variable (no [NE])");
  }
  for (const Piece& p : ps) {
    switch (p.kind) {
      case Piece::literal:
        if (alias && p.text.find("${") != std::string::npos) {
          out.ok = false;
          out.why = "httpd would replace \"${...}\" with an environment variable when it reads the config";
          return out;
        }
        for (std::size_t i = 0; i < p.text.size(); ++i) {
          unsigned char c = static_cast<unsigned char>(p.text[i]);
          if (c == '\n' || c == '\r' || c == '\0') {
            out.ok = false;
            out.why = "the target contains a line break";
            return out;
          }
          if (c == '\\') {
            out.ok = false;
            out.why = "the target contains a backslash";
            return out;
          }
          if (alias) {
            // mod_alias: `$` is only special in RedirectMatch; `%XX` is kept by Redirect but
            // double-encoded by RedirectMatch (SEMANTICS §1.6), so the caller avoids that case.
            if (c == '$' && regex_alias) out.text += "\\";
            out.text += static_cast<char>(c);
            continue;
          }
          if (c == '%' && i + 2 < p.text.size() && hex_value(p.text[i + 1]) >= 0 && hex_value(p.text[i + 2]) >= 0) {
            unsigned char d = static_cast<unsigned char>(hex_value(p.text[i + 1]) * 16 + hex_value(p.text[i + 2]));
            if (ne_mode) {
              out.needs_ne = true;  // [NE] sends it exactly as written
              out.text += "\\%";
              continue;
            }
            if (reescaped_by_apache(d) && d != '?' && d >= 0x20 && d != 0x7f && d != '"') {
              if (d == '%') out.text += "\\%";
              else if (d == '$') out.text += "\\$";
              else out.text += static_cast<char>(d);
              i += 2;
              continue;
            }
            out.approx.push_back("literal \"%" + p.text.substr(i + 1, 2) +
                                 "\" is re-escaped by Apache next to captures");
            out.text += "\\%";
            continue;
          }
          // `\{` is `{` for mod_rewrite; it keeps httpd's start-up `${VAR}` substitution (an
          // environment leak into Location) away from a literal "${" or "%{".
          if (c == '$' || c == '%' || c == '{') out.text += "\\";
          out.text += static_cast<char>(c);
        }
        break;
      case Piece::rule_cap: out.text += "$" + std::to_string(p.n); break;
      case Piece::cond_cap:
        if (alias) {
          out.ok = false;
          out.why = "mod_alias has no condition captures";
          return out;
        }
        out.text += "%" + std::to_string(p.n);
        break;
      case Piece::var: {
        std::string v = apache_variable(p.text, src);
        if (v.empty() || alias) {
          out.ok = false;
          out.why = "no Apache variable for \"${" + p.text + "}\"";
          return out;
        }
        if (p.text == "uri" && src == Format::nginx && !out.query_from_request_uri)
          out.approx.push_back("Apache re-escapes %{REQUEST_URI} where nginx sends $uri decoded");
        if (p.text == "server_name" && src == Format::nginx)
          out.approx.push_back("Apache %{SERVER_NAME} is the request's host, nginx $server_name the first server_name");
        if (p.text == "host" && src == Format::nginx)
          out.approx.push_back("Apache %{SERVER_NAME} stands for nginx $host (the same unless UseCanonicalName is on)");
        out.text += "%{" + v + "}";
        break;
      }
    }
  }
  return out;
}

bool is_redirect_status(int s) { return s >= 300 && s <= 399; }

bool alias_origin(const Rule& r) {
  const std::string& d = r.origin.directive;
  return d == "Redirect" || d == "RedirectMatch" || d == "RedirectPermanent" || d == "RedirectTemp";
}

std::string status_word(int s) { return std::to_string(s); }

class ApacheEmitter {
 public:
  ApacheEmitter(const RuleSet& rs, const EmitOptions& o, Losses& L, bool htaccess)
      : rs_(rs), o_(o), L_(L), htaccess_(htaccess), dir_(htaccess ? o.htaccess_dir : "/") {
    if (dir_.empty() || dir_.back() != '/') dir_ += '/';
    if (dir_.front() != '/') dir_ = "/" + dir_;
  }
  std::string run();

 private:
  const RuleSet& rs_;
  const EmitOptions& o_;
  Losses& L_;
  bool htaccess_;
  std::string dir_;
  std::vector<bool> chained_ = chained_rules(rs_);

  bool alias_ok(const Rule& r) const;
  std::string alias_line(const Rule& r);
  std::string rewrite_lines(const Rule& r, const std::vector<Condition>& extra, const std::string& ind);
  std::optional<std::string> location_regex(int block, bool& nocase, int& loc) const;
  std::string condition_line(const Rule& r, const Condition& c, bool& ok, std::string& why);
  void nginx_source_notes(const Rule& r, const std::vector<Piece>& tp);
  void fallback_notes(const Rule& r);
  bool slashes_kept(int server) const;
};

/// nginx `merge_slashes off` in effect for server block `server` (-1 = none): Apache gets
/// `MergeSlashes Off` in its <VirtualHost> / server context.
bool ApacheEmitter::slashes_kept(int server) const {
  std::optional<bool> m = server >= 0 ? rs_.blocks[static_cast<std::size_t>(server)].merge_slashes : std::nullopt;
  if (!m) m = rs_.merge_slashes;
  return m && !*m;
}

/// nginx `error_page CODE... [=CODE] URI` and `try_files ... URI` pass requests to another URI or
/// named location whose rules then answer them (with another status for `=CODE`); the Apache
/// output has rules only: a rule reached that way answers fewer requests in Apache.
void ApacheEmitter::fallback_notes(const Rule& r) {
  auto server_of = [&](int b) {
    while (b >= 0 && rs_.blocks[static_cast<std::size_t>(b)].kind != BlockKind::server)
      b = rs_.blocks[static_cast<std::size_t>(b)].parent;
    return b;
  };
  std::vector<std::pair<std::string, std::string>> fallbacks;  // (target, directive as written)
  for (const std::string& e : rs_.error_pages) fallbacks.emplace_back(e.substr(e.rfind(' ') + 1), "error_page " + e);
  for (std::size_t b = 0; b < rs_.blocks.size(); ++b) {
    const Block& blk = rs_.blocks[b];
    if (server_of(static_cast<int>(b)) != r.scope.server) continue;
    for (const std::string& e : blk.error_pages) fallbacks.emplace_back(e.substr(e.rfind(' ') + 1), "error_page " + e);
    if (!blk.try_files.empty()) {
      std::string all;
      for (const std::string& a : blk.try_files) all += " " + a;
      fallbacks.emplace_back(blk.try_files.back(), "try_files" + all);
    }
  }
  if (fallbacks.empty()) return;
  std::optional<Regex> re;
  for (const auto& [target, directive] : fallbacks) {
    bool reached = false;
    if (target.empty() || target[0] == '=') continue;
    if (target[0] == '@') {
      for (int b = r.scope.block; b >= 0 && !reached; b = rs_.blocks[static_cast<std::size_t>(b)].parent)
        reached = rs_.blocks[static_cast<std::size_t>(b)].path == target;
    } else if (target[0] == '/') {
      if (!re) re = Regex::compile(match_regex(r.match), r.match.ignore_case);
      reached = !re || re->match(target.substr(0, target.find('?'))) != MatchStatus::no_match;
    }
    if (reached) {
      L_.approximated(r, "nginx also sends requests here through \"" + directive +
                             "\"; the Apache output has no such fallback (those requests get Apache's own answer)");
      return;
    }
  }
}

/// nginx behaviours of a rule that Apache does not reproduce (SEMANTICS §3), declared as RL302.
void ApacheEmitter::nginx_source_notes(const Rule& r, const std::vector<Piece>& tp) {
  for (const Piece& p : tp)
    if (p.kind == Piece::var && p.text == "server_port")
      L_.approximated(r, "nginx $server_port is the listening port, Apache %{SERVER_PORT} the port of the Host header");
  if (!tp.empty() && tp.back().kind == Piece::literal && !tp.back().text.empty() && tp.back().text.back() == '?' &&
      r.origin.directive == "return")
    L_.approximated(r, "nginx sends the trailing '?' of the target; Apache drops it");
  // Settings that change how nginx writes Location.
  std::optional<bool> absolute = rs_.absolute_redirect, sn = rs_.server_name_in_redirect;
  for (int b = r.scope.block; b >= 0; b = rs_.blocks[static_cast<std::size_t>(b)].parent) {
    const Block& blk = rs_.blocks[static_cast<std::size_t>(b)];
    if (blk.absolute_redirect && !absolute) absolute = blk.absolute_redirect;
    if (blk.server_name_in_redirect && !sn) sn = blk.server_name_in_redirect;
  }
  bool relative = !tp.empty() && tp[0].kind == Piece::literal && !tp[0].text.empty() && tp[0].text[0] == '/';
  if (relative && absolute && !*absolute)
    L_.approximated(r, "absolute_redirect off: nginx sends the Location relative, Apache makes it absolute");
  if (relative && sn && *sn)
    L_.approximated(r, "server_name_in_redirect on: nginx names its server_name in Location, Apache the request's Host");
  // %{REQUEST_URI} is the original path in Apache, nginx $uri the rewritten one.
  bool uses_uri = std::any_of(tp.begin(), tp.end(), [](const Piece& p) { return p.kind == Piece::var && p.text == "uri"; });
  if (uses_uri)
    for (const Rule& o : rs_.rules) {
      if (&o == &r) break;
      if (o.action == Action::rewrite) {
        L_.approximated(r, "after an internal rewrite nginx $uri is the new path; Apache %{REQUEST_URI} stays the original");
        break;
      }
    }
}

bool ApacheEmitter::alias_ok(const Rule& r) const {
  if (!r.conds.empty() || r.match.negated || r.flow != Flow::stop || r.flags->ne || r.flags->b) return false;
  // A line break or NUL in the path: the RewriteRule path refuses it (httpd ends the line there).
  if (has_line_break(r.match.text)) return false;
  if (is_file_rules(rs_.format) && (!r.scope.hosts.empty() || !r.scope.schemes.empty()))
    return false;
  if (rs_.format == Format::nginx && r.scope.block >= 0 &&
      rs_.blocks[static_cast<std::size_t>(r.scope.block)].kind != BlockKind::server)
    return false;
  if (r.action == Action::answer) return r.status >= 400 && r.status <= 599;
  if (r.action != Action::redirect || !r.target || !is_redirect_status(r.status)) return false;
  // mod_alias makes Location from the Host's port and keeps the '?' of "GET /a?": not nginx's way.
  if (rs_.format == Format::nginx) return false;
  auto ps = parse_template(r.target->url);
  if (has_vars(ps)) {
    for (const Piece& p : ps)
      if (p.kind == Piece::var && p.text != "splat" && p.text.rfind("ph:", 0) != 0) return false;
  }
  if (std::any_of(ps.begin(), ps.end(), [](const Piece& p) { return p.kind == Piece::cond_cap; })) return false;
  const std::string& u = r.target->url;
  if (!(u.rfind("/", 0) == 0 || u.find("://") != std::string::npos)) return false;
  if (r.target->query == QueryMode::drop || r.target->query == QueryMode::append) return false;
  if (r.target->query == QueryMode::replace && u.find('?') == std::string::npos) return false;
  if (r.match.kind == MatchKind::prefix) return !has_captures(ps) && !r.match.ignore_case;
  // RedirectMatch double-encodes a literal %XX (SEMANTICS §1.6).
  return u.find("%%") == std::string::npos;
}

std::string ApacheEmitter::alias_line(const Rule& r) {
  std::string out;
  if (r.match.kind == MatchKind::prefix) {
    out = "Redirect " + status_word(r.status) + " " + ap_quote(r.match.text);
  } else {
    std::string re = match_regex(r.match);
    if (r.match.ignore_case) re = "(?i)" + re;
    out = "RedirectMatch " + status_word(r.status) + " " + ap_quote(re);
  }
  if (r.action == Action::redirect) {
    auto ps = parse_template(r.target->url);
    resolve_named_captures(ps, match_regex(r.match));
    ApTarget t = render(ps, rs_.format, true, r.match.kind != MatchKind::prefix);
    if (!t.ok) return "";
    out += " " + ap_quote(t.text);
  }
  return out + "\n";
}

std::optional<std::string> ApacheEmitter::location_regex(int block, bool& nocase, int& loc) const {
  nocase = false;
  loc = -1;
  for (int b = block; b >= 0; b = rs_.blocks[static_cast<std::size_t>(b)].parent)
    if (rs_.blocks[static_cast<std::size_t>(b)].kind == BlockKind::location) {
      loc = b;
      break;
    }
  if (loc < 0) return std::string();
  const Block& l = rs_.blocks[static_cast<std::size_t>(loc)];
  switch (l.mod) {
    case LocationMod::exact: return "^" + regex_escape(l.path) + "$";
    case LocationMod::none:
    case LocationMod::prefix_noregex: return "^" + regex_escape(l.path);
    case LocationMod::regex_nocase: nocase = true; return l.path;
    case LocationMod::regex: return l.path;
    case LocationMod::named: return std::nullopt;
  }
  return std::nullopt;
}

/// nginx `$arg_NAME` tests as a test on the raw query string (nginx does not decode $arg_ either).
std::optional<Condition> arg_condition(const Condition& c) {
  if (c.test.rfind("${arg:", 0) != 0 || c.test.back() != '}') return std::nullopt;
  std::string name = regex_escape(c.test.substr(6, c.test.size() - 7));
  Condition q = c;
  q.test = "${query}";
  q.op = CondOp::regex;
  q.pattern.ignore_case = false;
  if (c.op == CondOp::equal && !c.pattern.ignore_case) {
    q.pattern.text = "(^|&)" + name + "=" + regex_escape(c.pattern.text) + "(&|$)";
    if (c.pattern.text.empty()) q.pattern.text = "(^|&)" + name + "=(&|$)|^(?!(.*&)?" + name + "=)";
    return q;
  }
  if (c.op == CondOp::truthy) {
    q.pattern.text = "(^|&)" + name + "=(?!0(&|$))[^&]";
    return q;
  }
  return std::nullopt;
}

std::string ApacheEmitter::condition_line(const Rule& r, const Condition& cin, bool& ok, std::string& why) {
  std::optional<Condition> argc = arg_condition(cin);
  const Condition& c = argc ? *argc : cin;
  if (argc) L_.approximated(r, "nginx $arg_ takes the first \"" + cin.test + "\" parameter; the Apache test looks at any");
  auto tp = parse_template(c.test);
  Format vars_of = rs_.format;
  bool file_test = c.op == CondOp::file_exists || c.op == CondOp::dir_exists || c.op == CondOp::exists ||
                   c.op == CondOp::executable || c.op == CondOp::size_nonzero || c.op == CondOp::symlink;
  if (file_test && !htaccess_ && rs_.format == Format::nginx && tp.size() == 1 && tp[0].kind == Piece::var &&
      nginx_variable(tp[0].text, rs_.format) == "request_filename") {
    // In server context %{REQUEST_FILENAME} is not a file yet; nginx's $request_filename is root + URI.
    L_.approximated(r, "the file test assumes DocumentRoot is the nginx root");
    tp = parse_template("${var:DOCUMENT_ROOT}${uri}");
    vars_of = Format::apache;
  }
  ApTarget test = render(tp, vars_of, false, false);
  if (!test.ok) {
    ok = false;
    why = "condition test \"" + c.test + "\": " + test.why;
    return "";
  }
  for (const auto& a : test.approx)
    if (a.find("REQUEST_URI") == std::string::npos) L_.approximated(r, a);
  if (test.query_from_request_uri) {
    ok = false;
    why = "condition on the raw request URI";
    return "";
  }
  std::string pat;
  bool neg = c.pattern.negated;
  switch (c.op) {
    case CondOp::regex: {
      pat = c.pattern.text;
      // A regex that starts like an operator would be read as one.
      if (!pat.empty() && std::string_view("=<>-!").find(pat[0]) != std::string_view::npos) pat = "\\" + pat;
      break;
    }
    case CondOp::equal: pat = "=" + c.pattern.text; break;
    case CondOp::lt: pat = "<" + c.pattern.text; break;
    case CondOp::gt: pat = ">" + c.pattern.text; break;
    case CondOp::le: pat = "<=" + c.pattern.text; break;
    case CondOp::ge: pat = ">=" + c.pattern.text; break;
    case CondOp::int_eq: pat = "-eq " + c.pattern.text; break;
    case CondOp::int_ne: pat = "-ne " + c.pattern.text; break;
    case CondOp::int_lt: pat = "-lt " + c.pattern.text; break;
    case CondOp::int_gt: pat = "-gt " + c.pattern.text; break;
    case CondOp::int_le: pat = "-le " + c.pattern.text; break;
    case CondOp::int_ge: pat = "-ge " + c.pattern.text; break;
    case CondOp::file_exists: pat = "-f"; break;
    case CondOp::dir_exists: pat = "-d"; break;
    case CondOp::size_nonzero: pat = "-s"; break;
    case CondOp::symlink: pat = "-l"; break;
    case CondOp::url_exists: pat = "-U"; break;
    case CondOp::exists:
      pat = "-f";
      L_.approximated(r, "nginx -e (file or directory) is tested as Apache -f");
      break;
    case CondOp::executable: pat = "-x"; break;
    case CondOp::truthy:
      pat = ".";
      L_.approximated(r, "nginx treats \"0\" as false; Apache tests for a non-empty value");
      break;
  }
  if (has_line_break(pat)) {
    ok = false;
    why = "the condition pattern contains a line break";
    return "";
  }
  if (pat.find(' ') != std::string::npos && c.op != CondOp::regex && c.op != CondOp::equal) {
    // -eq 5: two words for Apache are one argument
  }
  std::vector<std::string> flags;
  if (c.pattern.ignore_case) flags.push_back("NC");
  if (c.or_next) flags.push_back("OR");
  std::string line = "RewriteCond " + rw_quote(test.text) + " " + rw_quote((neg ? "!" : "") + pat);
  if (!flags.empty()) {
    line += " [";
    for (std::size_t i = 0; i < flags.size(); ++i) line += (i ? "," : "") + flags[i];
    line += "]";
  }
  return line + "\n";
}

std::string ApacheEmitter::rewrite_lines(const Rule& r, const std::vector<Condition>& extra, const std::string& ind) {
  std::string out;
  auto refuse = [&](const std::string& why) {
    L_.refused(r, why);
    return not_converted_block(r, why, ind);
  };
  if (r.flags->proxy) return refuse("proxying ([P]) is not a redirect");
  if (chained_.size() > r.id && chained_[r.id] && rs_.format != Format::apache && rs_.format != Format::htaccess)
    return refuse("[S=n] / [C] rule chaining");
  if (r.action == Action::answer && r.status >= 300 && r.status <= 399)
    return refuse("status " + std::to_string(r.status) + " without a Location cannot be sent by Apache");
  if (r.action == Action::redirect && (!r.target || !is_redirect_status(r.status)))
    return refuse("a redirect without target");
  std::vector<Condition> conds = extra;
  if (is_file_rules(rs_.format)) {
    auto sc = scope_conditions(r);
    conds.insert(conds.end(), sc.begin(), sc.end());
  }
  conds.insert(conds.end(), r.conds.begin(), r.conds.end());
  for (const Condition& c : conds)
    if (c.test.rfind("${country}", 0) == 0 || c.test.rfind("${language}", 0) == 0 ||
        c.test.rfind("${role}", 0) == 0 || c.test.rfind("${cookie}", 0) == 0)
      return refuse("condition on \"" + c.test + "\" (a Netlify/Cloudflare feature Apache does not have)");

  int tail = 0;
  std::string re = match_regex(r.match, &tail);
  std::vector<Piece> tp;
  if (r.target) {
    tp = parse_template(r.target->url);
    if (!resolve_named_captures(tp, re)) return refuse("the target names a capture the pattern does not have");
    if (tail) {
      if (has_captures(tp)) return refuse("a prefix rule whose target uses captures");
      tp.push_back(Piece{Piece::rule_cap, "", tail});
    }
  }
  // The pattern as this context sees it.
  std::string pattern = re;
  if (htaccess_) {
    std::string anchored = "^" + regex_escape(dir_);
    std::string alt = "^" + dir_;  // directory written without escapes (no metacharacters in it)
    auto quantified = [&](std::size_t at) {
      return at < pattern.size() && std::string_view("?*+{").find(pattern[at]) != std::string_view::npos;
    };
    if (dir_ == "/" && pattern.rfind("^/?", 0) == 0) pattern = "^" + pattern.substr(3);  // optional slash: never there
    else if (pattern.rfind(anchored, 0) == 0 && !quantified(anchored.size())) pattern = "^" + pattern.substr(anchored.size());
    else if (pattern.rfind(alt, 0) == 0 && !quantified(alt.size())) pattern = "^" + pattern.substr(alt.size());
    else if (matches_everything(r.match)) pattern = "^";
    else if (r.conds.empty() && !std::any_of(tp.begin(), tp.end(), [](const Piece& p) { return p.kind == Piece::cond_cap; })) {
      // Match the full path with a condition; the rule's captures become %N.
      Condition c;
      c.test = "${uri}";
      c.pattern.text = re;
      c.pattern.ignore_case = r.match.ignore_case;
      c.pattern.negated = r.match.negated;
      conds.push_back(c);
      for (Piece& p : tp)
        if (p.kind == Piece::rule_cap) p.kind = Piece::cond_cap;
      pattern = "^";
    } else {
      return refuse("pattern \"" + re + "\" cannot be rewritten for a .htaccess in \"" + dir_ + "\"");
    }
  }
  if (has_line_break(pattern)) return refuse("the pattern contains a line break");

  std::string subst = "-";
  std::vector<std::string> flags;
  ApTarget t;
  if (r.target && r.action != Action::answer && r.action != Action::none) {
    t = render(tp, rs_.format, false, false);
    if (!t.ok) return refuse(t.why);
    for (const auto& a : t.approx) L_.approximated(r, a);
    if (rs_.format == Format::nginx && has_captures(tp) && captures_differ(r, tp))
      L_.approximated(r, r.origin.directive == "return"
                             ? "nginx `return` sends captured text unescaped; Apache re-escapes it and answers 403 when a capture brings a '?'"
                             : "captured text is escaped differently (nginx keeps %26 in a query, Apache answers 403 when a capture brings a '?')");
    if (rs_.format == Format::nginx) nginx_source_notes(r, tp);
    subst = t.text;
    QueryMode q = r.target->query;
    if (t.query_from_request_uri) {
      if (q == QueryMode::drop || q == QueryMode::keep) q = QueryMode::keep;
      else L_.approximated(r, "the request's query is combined differently");
    }
    bool own = subst.find('?') != std::string::npos;
    bool nginx_relative = rs_.format == Format::nginx && r.action == Action::redirect && !subst.empty() && subst[0] == '/';
    if (nginx_relative) {
      // nginx builds Location from the Host name and its own listen port, Apache from the Host's
      // port (SEMANTICS 0.4): the origin is written out, without the port of this <VirtualHost>.
      subst = "%{REQUEST_SCHEME}://%{SERVER_NAME}" + subst;
    }
    switch (q) {
      case QueryMode::keep:
        if (own) flags.push_back("QSA");
        else if (rs_.format == Format::nginx && r.action == Action::redirect && !t.query_from_request_uri) {
          if (r.target->query_mark_always)
            L_.approximated(r, "nginx sends the '?' of \"?$args\" also to a request without a query; Apache does not");
          else
            subst += "?%{QUERY_STRING}";  // nginx writes '?' only for a non-empty query (Apache: also for "GET /a?")
        }
        break;
      case QueryMode::append: flags.push_back("QSA"); break;
      case QueryMode::replace:
        if (!own) subst += "?";
        break;
      case QueryMode::drop:
        if (own) flags.push_back("QSD");
        else subst += "?";
        break;
    }
    if (subst.empty()) subst = "/";
    bool absolute = subst.find("://") != std::string::npos;
    if (!absolute && subst.front() != '/' && subst.front() != '%' && subst.front() != '$')
      L_.approximated(r, "relative target \"" + subst + "\" is resolved against the directory by Apache");
  }
  if (r.match.ignore_case) flags.push_back("NC");
  switch (r.action) {
    case Action::redirect: flags.push_back("R=" + std::to_string(r.status)); break;
    case Action::answer:
      if (r.status == 403) flags.push_back("F");
      else if (r.status == 410) flags.push_back("G");
      else flags.push_back("R=" + std::to_string(r.status));
      break;
    case Action::rewrite:
      if (rs_.format == Format::nginx || is_file_rules(rs_.format)) {
        if (r.flags->pt) flags.push_back("PT");
      }
      break;
    case Action::none: break;
  }
  if (t.needs_ne || r.flags->ne) flags.push_back("NE");
  if (r.flags->b) flags.push_back(r.flags->b_chars.empty() ? "B" : "B=" + r.flags->b_chars);
  if (r.flags->unsafe_allow_3f) flags.push_back("UnsafeAllow3F");
  if (r.flags->chain) flags.push_back("C");
  if (r.flags->skip > 0) flags.push_back("S=" + std::to_string(r.flags->skip));
  switch (r.flow) {
    case Flow::stop:
      if (r.action != Action::answer) flags.push_back("L");
      break;
    case Flow::end: flags.push_back(r.action == Action::none && rs_.format == Format::nginx ? "L" : "END"); break;
    case Flow::restart:
      if (rs_.format == Format::nginx) {
        flags.push_back("L");
        if (!htaccess_) L_.approximated(r, "nginx `last` searches the locations again; Apache [L] ends the rewriting");
      } else {
        flags.push_back("N");
      }
      break;
    case Flow::next: break;
  }
  for (const std::string& f : r.flags->other) flags.push_back(f);
  for (const Condition& c : conds) {
    bool ok = true;
    std::string why;
    std::string line = condition_line(r, c, ok, why);
    if (!ok) return refuse(why);
    out += ind + line;
  }
  std::string fl;
  for (std::size_t i = 0; i < flags.size(); ++i) fl += (i ? "," : "") + flags[i];
  out += ind + "RewriteRule " + rw_quote((r.match.negated ? "!" : "") + pattern) + " " + rw_quote(subst);
  if (!fl.empty()) out += " [" + fl + "]";
  return out + "\n";
}

std::string ApacheEmitter::run() {
  std::string text = header_comment(o_, htaccess_ ? "htaccess" : "apache");
  if (!text.empty() && htaccess_ && dir_ != "/")
    text += "# For the .htaccess of the URL directory " + dir_ + "\n";
  bool from_apache = rs_.format == Format::apache || rs_.format == Format::htaccess;
  bool all_alias = std::all_of(rs_.rules.begin(), rs_.rules.end(), [&](const Rule& r) { return alias_ok(r); });

  // Order: nginx runs server-level rewrites, then one location chosen by its own precedence
  // (SEMANTICS §3.2): exact, longest ^~ prefix, regexes in file order, longest plain prefix.
  struct Item {
    const Rule* rule = nullptr;
    int loc = -1;
    int rank = 0;
    std::size_t key = 0;
    std::string loc_re;
    bool loc_nocase = false;
    int server = -1;
    int server_rank = 0;
  };
  // nginx servers become <VirtualHost>s when there are several; the default one first (it is
  // Apache's default too).
  std::vector<int> servers;
  if (rs_.format == Format::nginx) {
    std::set<int> seen;
    for (const Rule& r : rs_.rules)
      if (seen.insert(r.scope.server).second) servers.push_back(r.scope.server);
  }
  bool vhosts = servers.size() > 1 && !htaccess_;
  // Apache takes the first vhost whose name matches (and the first as default); nginx prefers exact
  // names, then the longest leading wildcard, then trailing wildcards, then regexes (SEMANTICS 3.8).
  auto server_rank = [&](int s) {
    if (s < 0) return std::pair{5, 0};
    const Block& b = rs_.blocks[static_cast<std::size_t>(s)];
    if (b.default_server) return std::pair{0, 0};
    int best = 4, len = 0;
    for (const std::string& n : b.server_names) {
      int k = n.empty() || n == "_" || n[0] == '~' ? 4 : n[0] == '*' || n[0] == '.' ? 2 : n.back() == '*' ? 3 : 1;
      if (k < best || (k == best && static_cast<int>(n.size()) > len)) best = k, len = static_cast<int>(n.size());
    }
    return std::pair{best, -len};
  };
  if (!servers.empty()) {
    // The first server is nginx's default when none says default_server.
    bool has_default = std::any_of(servers.begin(), servers.end(), [&](int s) {
      return s >= 0 && rs_.blocks[static_cast<std::size_t>(s)].default_server;
    });
    int first = has_default ? -2 : servers.front();
    std::stable_sort(servers.begin(), servers.end(), [&](int a, int b) {
      if (a == first || b == first) return a == first && b != first;
      return server_rank(a) < server_rank(b);
    });
  }
  std::map<int, int> rank_of_server;
  for (std::size_t i = 0; i < servers.size(); ++i) rank_of_server.try_emplace(servers[i], static_cast<int>(i));
  std::vector<Item> items;
  for (const Rule& r : rs_.rules) {
    Item it;
    it.rule = &r;
    if (vhosts) {
      it.server = r.scope.server;
      it.server_rank = rank_of_server.at(r.scope.server);
    }
    if (rs_.format == Format::nginx) {
      auto lre = location_regex(r.scope.block, it.loc_nocase, it.loc);
      if (!lre) {
        items.push_back(it);
        continue;
      }
      it.loc_re = *lre;
      if (it.loc >= 0) {
        const Block& l = rs_.blocks[static_cast<std::size_t>(it.loc)];
        switch (l.mod) {
          case LocationMod::exact: it.rank = 1; break;
          case LocationMod::prefix_noregex: it.rank = 2; it.key = 100000 - l.path.size(); break;
          case LocationMod::regex:
          case LocationMod::regex_nocase: it.rank = 3; it.key = static_cast<std::size_t>(it.loc); break;
          default: it.rank = 4; it.key = 100000 - l.path.size(); break;
        }
      }
    }
    items.push_back(it);
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.server_rank, a.rank, a.key, a.loc) < std::tie(b.server_rank, b.rank, b.key, b.loc);
  });
  if (rs_.format == Format::nginx) {
    // A ^~ prefix that a longer plain prefix extends is not the longest match for that longer path.
    // The plain prefixes sorted by path: those extending a path are one range (not a scan per rule).
    std::vector<std::pair<std::string_view, std::size_t>> plain;
    for (std::size_t k = 0; k < items.size(); ++k)
      if (items[k].rank == 4 && items[k].loc >= 0)
        plain.emplace_back(rs_.blocks[static_cast<std::size_t>(items[k].loc)].path, k);
    std::sort(plain.begin(), plain.end());
    std::map<int, std::vector<std::size_t>> extenders;  // by ^~ location: the items extending it, in order
    for (const Item& a : items) {
      if (a.rank != 2 || a.loc < 0) continue;
      const Block& la = rs_.blocks[static_cast<std::size_t>(a.loc)];
      auto [ext, fresh] = extenders.try_emplace(a.loc);
      if (fresh) {
        for (auto p = std::lower_bound(plain.begin(), plain.end(), std::pair{std::string_view(la.path), std::size_t{0}});
             p != plain.end() && p->first.starts_with(la.path); ++p)
          if (p->first.size() > la.path.size()) ext->second.push_back(p->second);
        std::sort(ext->second.begin(), ext->second.end());
      }
      for (std::size_t k : ext->second) {
        const Block& lb = rs_.blocks[static_cast<std::size_t>(items[k].loc)];
        L_.approximated(*a.rule, "location \"^~ " + la.path + "\" is extended by \"" + lb.path + "\"; Apache rule order cannot express it");
      }
    }
  }

  std::string body;
  bool rewrite_used = false;
  std::string ind = vhosts ? "    " : "";
  int last_loc = -2;
  int last_server = -2;
  std::size_t vhost_scanned = 0;  // body before this offset holds no "<VirtualHost" (searched once)
  bool vhost_open = false;
  std::string stop_for_loc;
  auto close_loc = [&] {
    if (!stop_for_loc.empty()) body += stop_for_loc;
    stop_for_loc.clear();
  };
  for (const Item& it : items) {
    const Rule& r = *it.rule;
    bool new_server = it.server != last_server;
    if (it.loc != last_loc || new_server) {
      close_loc();
      last_loc = it.loc;
    }
    last_server = it.server;
    if (vhosts && new_server) {
      if (!vhost_open) {
        std::string_view tag = "<VirtualHost";
        vhost_open = body.find(tag, vhost_scanned >= tag.size() ? vhost_scanned - tag.size() + 1 : 0) != std::string::npos;
        vhost_scanned = body.size();
      }
      if (vhost_open) body += "</VirtualHost>\n";
      body += "<VirtualHost *:" + std::to_string(o_.listen_port) + ">\n";
      std::vector<std::string> names;
      if (it.server >= 0)
        for (const std::string& n : rs_.blocks[static_cast<std::size_t>(it.server)].server_names)
          if (!n.empty() && n != "_" && n[0] != '~' && !has_line_break(n) && n.find_first_of(" \"'<>") == std::string::npos) {
            if (n.front() == '.') {
              names.push_back(n.substr(1));
              names.push_back("*" + n);
            } else {
              names.push_back(n);
            }
          }
      // ServerName takes no wildcard: the first literal name, the rest (wildcards too) as aliases.
      auto lit = std::find_if(names.begin(), names.end(), [](const std::string& n) { return n.find_first_of("*?") == std::string::npos; });
      if (lit != names.end()) {
        body += "    ServerName " + *lit + "\n";
        names.erase(lit);
      }
      if (!names.empty()) {
        body += "    ServerAlias";
        for (const std::string& n : names) body += " " + n;
        body += "\n";
      }
      body += "    RewriteEngine On\n    AllowEncodedSlashes On\n";
      if (slashes_kept(it.server)) body += "    MergeSlashes Off\n";
    }
    body += carried_comments(r, ind);
    if (vhosts && it.server >= 0)
      for (const std::string& n : rs_.blocks[static_cast<std::size_t>(it.server)].server_names)
        if (!n.empty() && n[0] == '~') {
          L_.approximated(r, "server_name regex \"" + n + "\" has no Apache equivalent");
          break;
        }
    if (htaccess_ && (r.match.kind == MatchKind::prefix || r.match.kind == MatchKind::exact) && dir_ != "/" &&
        r.match.text.rfind(dir_, 0) != 0) {
      L_.refused(r, "\"" + r.match.text + "\" is outside the .htaccess directory \"" + dir_ + "\"");
      body += not_converted_block(r, "outside the .htaccess directory " + dir_, ind);
      continue;
    }
    if (rs_.format == Format::nginx) {
      fallback_notes(r);
      if (htaccess_ && slashes_kept(r.scope.server))
        L_.approximated(r, "merge_slashes off: nginx matches runs of '/' as sent; a .htaccess cannot set MergeSlashes (Apache merges them)");
      else if (slashes_kept(r.scope.server))
        L_.approximated(r, "merge_slashes off: Apache's MergeSlashes Off still merges a leading run of '/' (GET //a//x is /a//x), nginx keeps it",
                        "GET //a//x");
    }
    bool as_alias = from_apache ? (alias_origin(r) && alias_ok(r)) : (all_alias && alias_ok(r));
    if (as_alias) {
      std::string line = alias_line(r);
      if (!line.empty()) {
        body += ind + line;
        continue;
      }
    }
    if (from_apache && alias_origin(r) && !as_alias)
      L_.approximated(r, "written as RewriteRule, which Apache runs before the mod_alias rules");
    std::vector<Condition> extra;
    if (it.loc >= 0) {
      Condition c;
      c.test = "${uri}";
      c.pattern.text = it.loc_re;
      c.pattern.ignore_case = it.loc_nocase;
      c.where = r.where;
      // A rule whose match already is the location's match (nginx `return`) needs no extra test.
      if (!(r.match.kind == MatchKind::regex && r.match.text == it.loc_re) &&
          !(r.match.kind == MatchKind::exact && it.loc_re == "^" + regex_escape(r.match.text) + "$"))
        extra.push_back(c);
      const Block& l = rs_.blocks[static_cast<std::size_t>(it.loc)];
      if (l.parent >= 0 && rs_.blocks[static_cast<std::size_t>(l.parent)].kind == BlockKind::location)
        L_.approximated(r, "nested nginx locations are flattened");
      stop_for_loc = ind + "RewriteCond %{REQUEST_URI} " + rw_quote(it.loc_re) + (it.loc_nocase ? " [NC]" : "") +
                     "\n" + ind + "RewriteRule ^ - [L]\n";
    }
    if (r.action == Action::none && (r.flow == Flow::next || r.flow == Flow::restart) && r.flags->other.empty()) {
      body += ind + "# redirlint: no effect on redirects: " + rule_label(r) + "\n";
      continue;
    }
    std::string lines = rewrite_lines(r, extra, ind);
    if (lines.find("RewriteRule") != std::string::npos && L_.of(r) != Fidelity::not_converted) rewrite_used = true;
    body += lines;
  }
  close_loc();
  if (vhosts && last_server != -2) body += "</VirtualHost>\n";
  std::string unmod = unmodelled_comments(rs_, L_, "");
  if (rewrite_used && !vhosts) text += "RewriteEngine On\n";
  // nginx decodes %2F like any escape; Apache refuses it unless told otherwise (SEMANTICS 0.2).
  if (rs_.format == Format::nginx && !htaccess_ && !vhosts) text += "AllowEncodedSlashes On\n";
  if (rs_.format == Format::nginx && !htaccess_ && !vhosts &&
      slashes_kept(rs_.rules.empty() ? -1 : rs_.rules.front().scope.server))
    text += "MergeSlashes Off\n";
  return text + unmod + body;
}

}  // namespace

Emitted emit_apache(const RuleSet& rs, const EmitOptions& opts, const SourceFiles&, bool htaccess) {
  Losses L(rs, htaccess ? "htaccess" : "apache");
  ApacheEmitter e(rs, opts, L, htaccess);
  std::string text = e.run();
  return L.finish(std::move(text));
}

}  // namespace rl
