// Netlify / Cloudflare Pages `_redirects` emitter: `FROM TO STATUS[!]`, first match wins.
// Netlify ignores one trailing slash, passes the query string through by default, and has splats
// (`/a/*` -> `:splat`) but no general regexes.
#include <algorithm>
#include <cctype>

#include "emit/common.hpp"
#include "util/regex.hpp"

namespace rl {

using namespace emit_detail;

namespace {

bool plain_token(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '#' || c == '\0';
  });
}

/// A literal path as a _redirects source token: the reader %-decodes literal text, so what it would
/// read otherwise is written %XX: '%', a '*' (splat), a ':' starting a segment (placeholder), '#',
/// whitespace and control characters (the token's end).
std::string netlify_path(std::string_view p) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    auto c = static_cast<unsigned char>(p[i]);
    bool placeholder = c == ':' && (i == 0 || p[i - 1] == '/');
    if (c == '%' || c == '*' || c == '#' || placeholder || c <= 0x20 || c == 0x7f) out += {'%', kHex[c >> 4], kHex[c & 15]};
    else out += static_cast<char>(c);
  }
  return out;
}

/// `s` quoted in a one-line message: line breaks and NUL shown as \n \r \0.
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\0' ? "\\0" : std::string(1, c);
  return out;
}

/// A source path in _redirects syntax for a full-path regex, when it is a literal with at most one
/// trailing `(.*)` group: `^/blog/(.*)$` -> "/blog/*". `group` gets that group's number.
std::optional<std::string> splat_from_regex(const std::string& re, int& group) {
  group = 0;
  if (re.size() < 2 || re.front() != '^') return std::nullopt;
  std::string body = re.substr(1);
  for (std::string_view tail : {"(.*)$", "(?<splat>.*)$"}) {
    if (body.size() > tail.size() && body.compare(body.size() - tail.size(), tail.size(), tail) == 0) {
      auto lit = regex_literal(body.substr(0, body.size() - tail.size()));
      if (!lit || lit->empty() || lit->back() != '/' || lit->find(':') != std::string::npos) return std::nullopt;
      group = 1;
      return netlify_path(*lit) + "*";
    }
  }
  if (body.size() > 1 && body.back() == '$') {
    auto lit = regex_literal(body.substr(0, body.size() - 1));
    if (lit && !lit->empty() && lit->find(':') == std::string::npos && lit->find('*') == std::string::npos) return netlify_path(*lit);
  }
  return std::nullopt;
}

std::string line_for(const Rule& r, Losses& L, std::string& why) {
  if (!r.conds.empty()) {
    why = "conditions (RewriteCond / if) have no _redirects equivalent";
    return "";
  }
  if (!r.scope.hosts.empty() || !r.scope.schemes.empty()) {
    why = "host or scheme scope has no _redirects equivalent";
    return "";
  }
  if (r.match.negated) {
    why = "a negated pattern";
    return "";
  }
  if (r.action == Action::answer || r.action == Action::none || !r.target) {
    why = "_redirects answers need a page to serve (status " + std::to_string(r.status) + ")";
    return "";
  }
  int status = r.action == Action::rewrite ? 200 : r.status;
  if (status != 200 && status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
    why = "status " + std::to_string(status) + " is not a _redirects redirect";
    return "";
  }
  if (r.action == Action::rewrite) L.approximated(r, "an internal rewrite becomes a 200 rewrite (the target is served)");
  std::vector<Piece> ps = parse_template(r.target->url);
  std::string from;
  int group = 0;
  bool splat = false;
  switch (r.match.kind) {
    case MatchKind::exact:
      from = netlify_path(r.match.text);
      if (!r.match.optional_trailing_slash && from != "/") L.approximated(r, "_redirects also matches \"" + from + "\" with a trailing slash added or removed");
      break;
    case MatchKind::prefix: {
      if (has_captures(ps) || has_vars(ps)) {
        why = "a prefix rule whose target uses captures";
        return "";
      }
      std::string p = r.match.text;
      if (p.empty() || p.back() != '/') p += "/";
      from = netlify_path(p) + "*";
      splat = true;
      group = 1;
      std::string t = r.target->url;
      if (!t.empty() && t.back() != '/') t += "/";
      ps = parse_template(t);
      ps.push_back(Piece{Piece::rule_cap, "", 1});
      L.approximated(r, "\"" + one_line(r.match.text) + "\" alone is redirected to the target with a trailing slash");
      break;
    }
    case MatchKind::regex: {
      auto s = splat_from_regex(r.match.text, group);
      if (!s) {
        why = "regex \"" + one_line(r.match.text) + "\" has no _redirects equivalent (only literal paths and trailing splats)";
        return "";
      }
      from = *s;
      splat = group > 0;
      if (r.match.ignore_case) L.approximated(r, "case-insensitive matching is not expressed");
      break;
    }
  }
  if (!resolve_named_captures(ps, r.match.kind == MatchKind::regex ? r.match.text : "^$")) {
    why = "the target names a capture the pattern does not have";
    return "";
  }
  std::string to;
  for (const Piece& p : ps) {
    switch (p.kind) {
      case Piece::literal: to += p.text; break;
      case Piece::rule_cap:
        if (!splat || p.n != group) {
          why = "capture $" + std::to_string(p.n) + " is not the splat";
          return "";
        }
        to += ":splat";
        break;
      case Piece::cond_cap:
      case Piece::var:
        why = "the target uses a condition capture or a server variable";
        return "";
    }
  }
  switch (r.target->query) {
    case QueryMode::keep: break;
    case QueryMode::replace: break;
    case QueryMode::drop:
      L.approximated(r, "_redirects passes the request's query string through");
      break;
    case QueryMode::append: L.approximated(r, "the request's query string is not appended to the target's"); break;
  }
  if (!plain_token(from) || !plain_token(to)) {
    why = "a path with whitespace or '#' cannot be written in _redirects";
    return "";
  }
  // A request path starts with '/' (nginx's `@name` locations are reached only from inside nginx).
  if (from.front() != '/') {
    why = "\"" + from + "\" is not a request path (no leading '/')";
    return "";
  }
  if (from.rfind("/.netlify", 0) == 0) {
    why = "paths under /.netlify are reserved by Netlify";
    return "";
  }
  std::string head = to.substr(0, 8);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (to.front() != '/' && head.rfind("http://", 0) != 0 && head.rfind("https://", 0) != 0) {
    why = "relative target \"" + to + "\" (a _redirects destination starts with '/' or http(s)://)";
    return "";
  }
  if (r.flow == Flow::next) L.approximated(r, "_redirects stops at the first match");
  std::string line = from + " " + to + " " + std::to_string(status);
  if (r.force) line += "!";
  return line + "\n";
}

}  // namespace

Emitted emit_netlify(const RuleSet& rs, const EmitOptions& opts, const SourceFiles&) {
  Losses L(rs, "_redirects");
  std::string out = header_comment(opts, "_redirects");
  for (const Rule& r : rs.rules) {
    out += carried_comments(r, "");
    std::string why = section_refusal(rs, r);
    std::string line = why.empty() ? line_for(r, L, why) : "";
    if (line.empty()) {
      L.refused(r, why);
      out += not_converted_block(r, why, "");
    } else {
      out += line;
    }
  }
  out += unmodelled_comments(rs, L, "");
  return L.finish(std::move(out));
}

}  // namespace rl
