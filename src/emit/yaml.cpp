// redirlint YAML rule-file emitter (docs/yaml-format.md): one reviewed list of redirects from
// which the server configs are generated. Every scalar is double-quoted (YAML 1.2 escapes), so no
// source text can break the document structure.
//
// A YAML document is UTF-8 text: libyaml refuses bytes that are not UTF-8 and raw control characters
// anywhere, comments included, and reads NEL/LS/PS as line breaks. Characters are escaped (`\t`,
// `\xNN`, `\uNNNN` read back as the same code point, hence the same UTF-8 bytes); a byte that is not
// UTF-8 has no YAML escape (`\xE9` is U+00E9, two bytes), so it is written where the reader decodes it
// (`%E9` in an exact or prefix `from`, `\xe9` in a PCRE2 pattern, which matches bytes) or the rule is
// refused (RL301).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

#include "emit/common.hpp"

namespace rl {

using namespace emit_detail;

namespace {

/// The code point of the UTF-8 sequence at s[i] and its length in `len`; -1 (len 1) when the byte
/// there does not start UTF-8 as libyaml reads it (a stray or truncated sequence, an overlong form, a
/// surrogate, past U+10FFFF).
long utf8_at(std::string_view s, std::size_t i, std::size_t& len) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  len = 1;
  if (c < 0x80) return c;
  std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return -1;
  long cp = c & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return -1;
    cp = cp << 6 | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return -1;
  len = n;
  return cp;
}

/// True for a code point libyaml takes as written in a quoted scalar or a comment: printable (YAML
/// `c-printable`), not a line break (NEL, LS and PS end a comment and fold inside a scalar), not a BOM.
bool yaml_literal_char(long cp) {
  if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return false;
  return cp == 0x09 || (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         cp >= 0x10000;
}

/// `\xNN` (below U+0100) or `\uNNNN`: the YAML escape of a code point, or the text shown for a byte.
std::string escape_code(long cp) {
  char buf[12];
  std::snprintf(buf, sizeof buf, cp < 0x100 ? "\\x%02lx" : "\\u%04lx", cp);
  return buf;
}

/// A double-quoted YAML scalar holding exactly the bytes of `s`; nullopt when `s` is not UTF-8.
std::optional<std::string> yq(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0, len = 1; i < s.size(); i += len) {
    long cp = utf8_at(s, i, len);
    if (cp < 0) return std::nullopt;
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += yaml_literal_char(cp) ? std::string(s.substr(i, len)) : escape_code(cp);
    }
  }
  return out + "\"";
}

/// `text` (comments of the output) with what libyaml would refuse or read as a line break shown as
/// `\xNN` / `\uNNNN`: comments are for reading, any byte may come from the source. Without
/// `keep_lines`, LF is shown as `\x0a` too (a value quoted in a one-line message).
std::string readable_comments(std::string_view text, bool keep_lines = true) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0, len = 1; i < text.size(); i += len) {
    long cp = utf8_at(text, i, len);
    if ((cp == '\n' && keep_lines) || (cp >= 0 && yaml_literal_char(cp))) out.append(text.substr(i, len));
    else out += escape_code(cp >= 0 ? cp : static_cast<unsigned char>(text[i]));
  }
  return out;
}

/// `s` with each byte that is not UTF-8 read as the Latin-1 character it would be (`note` text).
std::string latin1_fallback(std::string_view s) {
  std::string out;
  for (std::size_t i = 0, len = 1; i < s.size(); i += len) {
    if (utf8_at(s, i, len) >= 0) {
      out.append(s.substr(i, len));
      continue;
    }
    auto c = static_cast<unsigned char>(s[i]);
    out += static_cast<char>(0xC0 | c >> 6);
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

/// The `from` of an exact or prefix rule: the reader %-decodes it, so '%' and bytes that are not
/// UTF-8 are written %XX; a final "/*" would make it a prefix ("/a/*" is the prefix "/a"), so its '*'
/// is %2A.
std::string from_path(std::string_view p) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0, len = 1; i < p.size(); i += len) {
    auto c = static_cast<unsigned char>(p[i]);
    bool utf8 = utf8_at(p, i, len) >= 0;
    bool star = c == '*' && i + 1 == p.size() && i > 0 && p[i - 1] == '/';
    if (c == '%' || star || !utf8) out += {'%', kHex[c >> 4], kHex[c & 15]};
    else out.append(p.substr(i, len));
  }
  return out;
}

/// A regex `from` with each byte that is not UTF-8 written as the escape `\xNN` (PCRE2 without UTF
/// matches bytes: the same pattern; `\` before such a byte is that byte). nullopt with `\Q`, where an
/// escape would be literal text.
std::optional<std::string> from_regex(std::string_view re) {
  std::string out;
  bool escaped = false;  // the previous character is an escaping backslash
  for (std::size_t i = 0, len = 1; i < re.size(); i += len) {
    if (utf8_at(re, i, len) >= 0) {
      escaped = !escaped && re[i] == '\\';
      out.append(re.substr(i, len));
      continue;
    }
    if (re.find("\\Q") != std::string_view::npos) return std::nullopt;
    if (escaped) out.pop_back();
    escaped = false;
    out += escape_code(static_cast<unsigned char>(re[i]));
  }
  return out;
}

/// The YAML `to` of a target: captures as `$N`, condition captures and server variables refused.
bool yaml_target(const Rule& r, std::string& to, std::string& why) {
  auto ps = parse_template(r.target->url);
  if (!resolve_named_captures(ps, r.match.kind == MatchKind::regex ? r.match.text : "^$")) {
    why = "the target names a capture the pattern does not have";
    return false;
  }
  for (const Piece& p : ps) {
    switch (p.kind) {
      case Piece::literal:
        // With match: regex, `$N` is a capture: a literal `$` before a digit cannot be written.
        for (std::size_t i = 0; i < p.text.size(); ++i) {
          if (p.text[i] == '$' && r.match.kind == MatchKind::regex && i + 1 < p.text.size() &&
              std::isdigit(static_cast<unsigned char>(p.text[i + 1]))) {
            why = "a literal '$' before a digit in a regex rule's target";
            return false;
          }
          to += p.text[i];
        }
        break;
      case Piece::rule_cap:
        if (r.match.kind != MatchKind::regex) {
          why = "captures in the target of a non-regex rule";
          return false;
        }
        to += "$" + std::to_string(p.n);
        break;
      case Piece::cond_cap:
        why = "the target uses %" + std::to_string(p.n) + " (a condition capture)";
        return false;
      case Piece::var:
        why = "the target uses the server variable \"${" + p.text + "}\"";
        return false;
    }
  }
  return true;
}

/// Why host `h` cannot be a YAML `host` ("" when it can): the reader takes a name, or `*.` and a name.
std::string host_why(std::string_view h) {
  std::string shown = readable_comments(h, false);
  if (!yq(h)) return "the host \"" + shown + "\" is not UTF-8";
  if (h.empty() || h.find_first_of("/ \t?#[") != std::string_view::npos || h.find('*', h.starts_with("*.") ? 1 : 0) != std::string_view::npos)
    return "the host pattern \"" + shown + "\" has no YAML rule-file equivalent (a name, or \"*.\" and a name)";
  return "";
}

/// A `note` / `until` line; text that is not UTF-8 is written as Latin-1 (RL302).
std::string text_line(std::string_view key, std::string_view value, const Rule& r, Losses& L) {
  std::optional<std::string> q = yq(value);
  if (!q) {
    L.approximated(r, "bytes of the " + std::string(key) + " that are not UTF-8 are written as Latin-1 characters");
    q = yq(latin1_fallback(value));
  }
  return "    " + std::string(key) + ": " + q.value_or("\"\"") + "\n";
}

bool yaml_redirect_status(int s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }

std::string entry(const Rule& r, Losses& L, std::string& why) {
  if (!r.conds.empty()) {
    why = "conditions (RewriteCond / if) have no YAML rule-file equivalent";
    return "";
  }
  if (r.match.negated) {
    why = "a negated pattern";
    return "";
  }
  if (r.action == Action::none || r.action == Action::rewrite) {
    why = "an internal rewrite is not a redirect";
    return "";
  }
  if (r.action == Action::redirect && !yaml_redirect_status(r.status)) {
    why = "status " + std::to_string(r.status) + " is not a redirect of YAML rule files (301, 302, 303, 307, 308)";
    return "";
  }
  if (r.action == Action::answer && (r.status < 400 || r.status > 599)) {
    why = "a status " + std::to_string(r.status) + " answer has no YAML rule-file equivalent (4xx/5xx only)";
    return "";
  }
  std::optional<std::string> from;
  if (r.match.kind == MatchKind::regex) {
    if (std::optional<std::string> re = from_regex(r.match.text)) from = yq(*re);
    if (!from) {
      why = "bytes that are not UTF-8 inside \\Q...\\E of the pattern";
      return "";
    }
  } else {
    // A request path starts with '/': nginx's `@name` locations are reached only from inside nginx.
    if (r.match.text.empty() || r.match.text.front() != '/') {
      why = "\"" + readable_comments(r.match.text, false) + "\" is not a request path (no leading '/')";
      return "";
    }
    from = yq(from_path(r.match.text));
  }
  std::string out = "  - from: " + *from + "\n";
  switch (r.match.kind) {
    case MatchKind::exact:
      // Without `match:`, a `from` ending in "/*" would be a prefix; from_path escaped the '*'.
      if (r.match.optional_trailing_slash) L.approximated(r, "the trailing slash is no longer optional");
      break;
    case MatchKind::prefix: out += "    match: prefix\n"; break;
    case MatchKind::regex: out += "    match: regex\n"; break;
  }
  if (r.match.ignore_case) out += "    ignore_case: true\n";
  std::string to;
  if (r.action == Action::redirect) {
    if (!r.target) {
      why = "a redirect without target";
      return "";
    }
    if (!yaml_target(r, to, why)) return "";
    std::optional<std::string> q = yq(to);
    if (!q) {
      why = "the target has bytes that are not UTF-8 (a YAML rule file is UTF-8 text)";
      return "";
    }
    if (to.empty()) {
      why = "an empty target";
      return "";
    }
    out += "    to: " + *q + "\n";
  } else if (r.target) {
    // A _redirects answer serves its page with the status; a YAML answer is the status alone.
    L.approximated(r, "the page \"" + readable_comments(r.target->url, false) + "\" of the " + std::to_string(r.status) +
                          " answer is not written (a YAML answer has no target)");
  }
  if (!(r.status_implicit && r.status == 301)) out += "    status: " + std::to_string(r.status) + "\n";
  if (r.target && r.action == Action::redirect) {
    // The reader takes `keep`/`drop` only for a `to` without '?'; with one, the default is replace.
    bool to_query = to.find('?') != std::string::npos;
    if (r.flags->qsl && to.find('?') != to.rfind('?'))
      L.approximated(r, "[QSL] (the query starts at the last '?') is not expressed: YAML's query starts at the first");
    QueryMode qm = r.target->query;
    if (to_query && qm == QueryMode::keep) {
      why = "the request's query is kept unchanged but the target has a '?'";
      return "";
    }
    if (to_query && qm == QueryMode::drop) qm = QueryMode::replace;  // the target's query only: the same
    if (qm != QueryMode::keep && !(to_query && qm == QueryMode::replace)) out += "    query: " + std::string(to_string(qm)) + "\n";
  }
  for (const std::string& h : r.scope.hosts)
    if (std::string w = host_why(h); !w.empty()) {
      why = w;
      return "";
    }
  if (r.scope.hosts.size() == 1) out += "    host: " + *yq(r.scope.hosts[0]) + "\n";
  else if (r.scope.hosts.size() > 1) {
    out += "    host: [";
    for (std::size_t i = 0; i < r.scope.hosts.size(); ++i) out += (i ? ", " : "") + *yq(r.scope.hosts[i]);
    out += "]\n";
  }
  if (r.force) out += "    force: true\n";
  if (!r.scope.schemes.empty()) L.approximated(r, "the scheme limit (" + r.scope.schemes.front() + ") is not written");
  if (r.notes->until) out += text_line("until", *r.notes->until, r, L);
  if (!r.notes->note.empty()) out += text_line("note", r.notes->note, r, L);
  if (r.flow == Flow::next) L.approximated(r, "YAML rules stop at the first match");
  return out;
}

}  // namespace

std::string emit_detail::yaml_comment_text(std::string_view text) { return readable_comments(text); }

Emitted emit_yaml(const RuleSet& rs, const EmitOptions& opts, const SourceFiles&) {
  Losses L(rs, "yaml");
  std::string out = header_comment(opts, "yaml");
  std::string body;
  bool any = false;
  for (const Rule& r : rs.rules) {
    body += carried_comments(r, "  ", false);  // until: is a YAML key
    std::string why = section_refusal(rs, r);
    std::string e = why.empty() ? entry(r, L, why) : "";
    if (e.empty()) {
      L.refused(r, why);
      body += not_converted_block(r, why, "  ");
    } else {
      body += e;
      any = true;
    }
  }
  body += unmodelled_comments(rs, L, "  ");
  // No entry: `redirects:` alone is null, which the parser refuses (RL001, found by tests/fuzz).
  out += any ? "version: 1\nredirects:\n" : "version: 1\nredirects: []\n";
  out += body;
  // Scalars are escaped already: only the comments (source text, file name) can hold such bytes.
  return L.finish(readable_comments(out));
}

}  // namespace rl
