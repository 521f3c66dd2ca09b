// redirlint YAML rule-file emitter (docs/yaml-format.md): one reviewed list of redirects from
// which the server configs are generated. Every scalar is double-quoted (YAML 1.2 escapes), so no
// source text can break the document structure.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "emit/common.hpp"

namespace rl {

using namespace emit_detail;

namespace {

std::string yq(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
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
  // `from` of exact and prefix rules is %-decoded when read: a literal '%' is written %25.
  std::string from = r.match.text;
  if (r.match.kind != MatchKind::regex) {
    std::string enc;
    for (char c : from) enc += c == '%' ? std::string("%25") : std::string(1, c);
    from = enc;
  }
  std::string out = "  - from: " + yq(from) + "\n";
  switch (r.match.kind) {
    case MatchKind::exact:
      if (r.match.optional_trailing_slash) L.approximated(r, "the trailing slash is no longer optional");
      break;
    case MatchKind::prefix: out += "    match: prefix\n"; break;
    case MatchKind::regex: out += "    match: regex\n"; break;
  }
  if (r.match.ignore_case) out += "    ignore_case: true\n";
  if (r.action == Action::redirect) {
    if (!r.target) {
      why = "a redirect without target";
      return "";
    }
    std::string to;
    if (!yaml_target(r, to, why)) return "";
    out += "    to: " + yq(to) + "\n";
  }
  if (!(r.status_implicit && r.status == 301)) out += "    status: " + std::to_string(r.status) + "\n";
  if (r.target && r.action == Action::redirect) {
    std::string_view q = r.target->query == QueryMode::keep ? "" : to_string(r.target->query);
    if (!q.empty()) out += "    query: " + std::string(q) + "\n";
  }
  if (r.scope.hosts.size() == 1) out += "    host: " + yq(r.scope.hosts[0]) + "\n";
  else if (r.scope.hosts.size() > 1) {
    out += "    host: [";
    for (std::size_t i = 0; i < r.scope.hosts.size(); ++i) out += (i ? ", " : "") + yq(r.scope.hosts[i]);
    out += "]\n";
  }
  if (r.force) out += "    force: true\n";
  if (!r.scope.schemes.empty()) L.approximated(r, "the scheme limit (" + r.scope.schemes.front() + ") is not written");
  if (r.notes->until) out += "    until: " + yq(*r.notes->until) + "\n";
  if (!r.notes->note.empty()) out += "    note: " + yq(r.notes->note) + "\n";
  if (r.flow == Flow::next) L.approximated(r, "YAML rules stop at the first match");
  return out;
}

}  // namespace

Emitted emit_yaml(const RuleSet& rs, const EmitOptions& opts, const SourceFiles&) {
  Losses L(rs, "yaml");
  std::string out = header_comment(opts, "yaml");
  std::string body;
  bool any = false;
  for (const Rule& r : rs.rules) {
    body += carried_comments(r, "  ");
    std::string why;
    std::string e = entry(r, L, why);
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
  return L.finish(std::move(out));
}

}  // namespace rl
