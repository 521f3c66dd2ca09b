#include "analysis/facts.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "analysis/quick_example.hpp"
#include "simulate/url.hpp"
#include "util/regex.hpp"

namespace rl::analysis {

namespace {

// Longer location paths are left to the automaton (its state limit).
constexpr std::size_t kMaxLocationPrefix = 1000;

bool is_host_test(std::string_view test) {
  return test == "${http_host}" || test == "${host}" || test == "${server_name}" || test == "${http:Host}";
}

// What a condition on HTTPS / scheme / X-Forwarded-Proto says about the scheme ("" = nothing).
std::string scheme_from_condition(const Condition& c) {
  std::string value;
  if (c.op == CondOp::equal) value = c.pattern.text;
  else if (c.op == CondOp::regex) {
    auto lit = regex_literal(c.pattern.text);
    // %{HTTPS} is exactly "on" or "off": the usual unanchored `RewriteCond %{HTTPS} on` matches one of them.
    if (!lit && c.test == "${https}" && (url::iequals(c.pattern.text, "on") || url::iequals(c.pattern.text, "off")))
      lit = c.pattern.text;
    if (!lit) return "";
    value = *lit;
  } else
    return "";
  value = url::lower(value);
  bool pos = !c.pattern.negated;
  if (c.test == "${https}") {
    if (value == "on") return pos ? "https" : "http";
    if (value == "off") return pos ? "http" : "https";
  } else if (c.test == "${scheme}" || url::iequals(c.test, "${http:X-Forwarded-Proto}")) {
    if (value == "https") return pos ? "https" : "http";
    if (value == "http") return pos ? "http" : "https";
  } else if (c.test == "${server_port}") {
    if (value == "443") return pos ? "https" : "http";
    if (value == "80") return pos ? "http" : "https";
  }
  return "";
}

const Block* block_at(const RuleSet& rs, int i) {
  return i >= 0 && static_cast<std::size_t>(i) < rs.blocks.size() ? &rs.blocks[static_cast<std::size_t>(i)] : nullptr;
}

bool is_catch_all_name(std::string_view n) { return n.empty() || n == "_" || n == "*" || n == "default"; }

}  // namespace

bool is_redirect(const Rule& r) {
  return r.action == Action::redirect && r.target && r.status >= 300 && r.status <= 399;
}

bool is_temporary(int status) { return status == 302 || status == 303 || status == 307; }

std::string scheme_restriction(const RuleSet& rs, const Rule& r) {
  if (r.scope.schemes.size() == 1) return r.scope.schemes[0];
  bool or_pending = false;
  for (const Condition& c : r.conds) {
    bool in_or = or_pending || c.or_next;
    or_pending = c.or_next;
    if (in_or) continue;  // an [OR] group says nothing for sure
    std::string s = scheme_from_condition(c);
    if (!s.empty()) return s;
  }
  if (const Block* b = block_at(rs, r.scope.server)) {
    if (b->https && !b->ports.empty() &&
        std::all_of(b->ports.begin(), b->ports.end(), [](int p) { return p == 443; }))
      return "https";
    if (!b->https && !b->ports.empty() &&
        std::none_of(b->ports.begin(), b->ports.end(), [](int p) { return p == 443 || p == 8443; }))
      return "http";
  }
  return "";
}

bool has_host_limit(const RuleSet& rs, const Rule& r) {
  if (!r.scope.hosts.empty()) return true;
  if (const Block* b = block_at(rs, r.scope.server))
    if (!b->default_server && std::any_of(b->server_names.begin(), b->server_names.end(),
                                          [](const std::string& n) { return !is_catch_all_name(n); }))
      return true;
  return std::any_of(r.conds.begin(), r.conds.end(),
                     [](const Condition& c) { return is_host_test(c.test) && !c.pattern.negated; });
}

std::vector<std::string> literal_hosts(const RuleSet& rs, const Rule& r) {
  std::vector<std::string> out;
  for (const std::string& h : r.scope.hosts) out.push_back(url::lower(h));
  if (const Block* b = block_at(rs, r.scope.server))
    for (const std::string& n : b->server_names)
      if (!is_catch_all_name(n) && n.find_first_of("*~") == std::string::npos && n[0] != '.') out.push_back(url::lower(n));
  for (const Condition& c : r.conds) {
    if (!is_host_test(c.test) || c.pattern.negated || c.or_next) continue;
    std::optional<std::string> lit = c.op == CondOp::equal ? std::optional<std::string>(c.pattern.text)
                                     : c.op == CondOp::regex ? regex_literal(c.pattern.text)
                                                              : std::nullopt;
    if (lit && !lit->empty()) out.push_back(url::lower(*lit));
  }
  return out;
}

std::optional<std::string> regex_literal(std::string_view re) {
  if (re.size() < 2 || re.front() != '^' || re.back() != '$') return std::nullopt;
  if (re.size() >= 3 && re[re.size() - 2] == '\\') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') {
      if (i + 2 >= re.size()) return std::nullopt;
      char n = re[++i];
      if (std::isalnum(static_cast<unsigned char>(n))) return std::nullopt;
      out += n;
    } else if (std::string_view(".[]()*+?{}|^$").find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> capture_group_text(std::string_view p, int n) {
  int count = 0;
  bool in_class = false;
  std::vector<std::pair<std::size_t, int>> open;  // (start of group body, number or 0)
  for (std::size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == '^') ++i;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;
      continue;
    }
    if (c == '(') {
      int num = 0;
      std::size_t body = i + 1;
      if (i + 1 < p.size() && p[i + 1] == '?') {
        if (i + 2 < p.size() && p[i + 2] == '|') return std::nullopt;
        bool named = (i + 2 < p.size() && (p[i + 2] == '\'' || (p[i + 2] == '<' && i + 3 < p.size() && p[i + 3] != '=' && p[i + 3] != '!'))) ||
                     (i + 3 < p.size() && p[i + 2] == 'P' && p[i + 3] == '<');
        if (named) {
          num = ++count;
          std::size_t close = p.find_first_of(">'", i + 3);
          if (close == std::string_view::npos) return std::nullopt;
          body = close + 1;
        } else {
          std::size_t colon = p.find_first_of(":)", i + 2);
          body = colon == std::string_view::npos ? p.size() : colon + 1;
        }
      } else {
        num = ++count;
      }
      open.push_back({body, num});
    } else if (c == ')' && !open.empty()) {
      auto [body, num] = open.back();
      open.pop_back();
      if (num == n) return std::string(p.substr(body, i - body));
    }
  }
  return std::nullopt;
}

TargetShape target_shape(const Target& t) {
  TargetShape s;
  std::vector<TemplatePart> parts = parse_template(t.url);
  if (parts.empty()) return s;
  std::size_t i = 0;
  std::string head = parts[0].kind == PartKind::literal ? parts[0].text : std::string();
  if (parts[0].kind == PartKind::rule_capture || parts[0].kind == PartKind::cond_capture) {
    s.starts_with_capture = true;
    s.scheme = "?";
    s.absolute = true;
    s.authority = parts;
    return s;
  }
  if (parts[0].kind == PartKind::variable && parts[0].text == "scheme" && parts.size() > 1 &&
      parts[1].kind == PartKind::literal && parts[1].text.rfind("://", 0) == 0) {
    s.absolute = true;
    s.scheme = "${scheme}";
    parts[1].text = parts[1].text.substr(3);
    i = 1;
  } else if (parts[0].kind == PartKind::literal && url::scheme_length(head)) {
    s.absolute = true;
    std::size_t n = url::scheme_length(head);
    s.scheme = url::lower(head.substr(0, n - 3));
    parts[0].text = head.substr(n);
  } else if (parts[0].kind == PartKind::variable) {
    // ${http:Referer}, ${arg:url}, ...: the whole URL comes from a variable.
    std::string v = parts[0].text;
    if (v != "uri" && v != "request_uri") {
      s.absolute = true;
      s.scheme = "?";
      s.starts_with_capture = true;
      s.authority = parts;
      return s;
    }
  }
  if (!s.absolute) {
    s.rest = parts;
    return s;
  }
  for (; i < parts.size(); ++i) {
    TemplatePart& p = parts[i];
    if (p.kind == PartKind::literal && p.text.empty()) continue;
    if (p.kind == PartKind::literal) {
      std::size_t cut = p.text.find_first_of("/?#");
      if (cut != std::string::npos) {
        if (cut) s.authority.push_back({PartKind::literal, p.text.substr(0, cut), 0});
        s.rest.push_back({PartKind::literal, p.text.substr(cut), 0});
        ++i;
        break;
      }
      s.authority.push_back(p);
    } else if (p.kind == PartKind::variable && (p.text == "uri" || p.text == "request_uri")) {
      break;
    } else {
      s.authority.push_back(p);
    }
  }
  for (; i < parts.size(); ++i) s.rest.push_back(parts[i]);
  return s;
}

std::optional<std::string> literal_text(const std::vector<TemplatePart>& parts) {
  std::string out;
  for (const TemplatePart& p : parts) {
    if (p.kind != PartKind::literal) return std::nullopt;
    out += p.text;
  }
  return out;
}

std::optional<Language> pattern_language(const Pattern& p) {
  if (p.negated) return std::nullopt;
  switch (p.kind) {
    case MatchKind::exact:
      if (p.optional_trailing_slash) {
        std::string base = p.text;
        if (base.size() > 1 && base.back() == '/') base.pop_back();
        return Language::from_pcre("^" + regex_escape(base) + "/?$", p.ignore_case);
      }
      return Language::literal(p.text, p.ignore_case);
    case MatchKind::prefix: return Language::segment_prefix(p.text, p.ignore_case);
    case MatchKind::regex: return Language::from_pcre(p.text, p.ignore_case);
  }
  return std::nullopt;
}

const Block* location_of(const RuleSet& rs, const Rule& r) {
  for (int b = r.scope.block; b >= 0;) {
    const Block* blk = block_at(rs, b);
    if (!blk) break;
    if (blk->kind == BlockKind::location && rs.format == Format::nginx) return blk;
    b = blk->parent;
  }
  return nullptr;
}

std::optional<Language> rule_language(const RuleSet& rs, const Rule& r) {
  auto own = pattern_language(r.match);
  if (!own) return std::nullopt;
  const Block* loc = location_of(rs, r);
  if (!loc) return own;
  std::optional<Language> l;
  switch (loc->mod) {
    case LocationMod::exact: l = Language::literal(loc->path); break;
    case LocationMod::none:
    case LocationMod::prefix_noregex: l = Language::string_prefix(loc->path); break;
    case LocationMod::regex: l = Language::from_pcre(loc->path, false); break;
    case LocationMod::regex_nocase: l = Language::from_pcre(loc->path, true); break;
    case LocationMod::named: return std::nullopt;
  }
  if (!l) return std::nullopt;
  return own->intersect(*l);
}

namespace {

// The automaton example of rule_language() (example_paths' last source), without building an automaton
// where quick_path_example decides it (issue 8). nullopt: no example.
std::optional<std::string> language_example(const RuleSet& rs, const Rule& r, const Block* loc) {
  // An exact location leaves at most its own path, which example_paths has added already.
  if (loc && loc->mod == LocationMod::exact) return std::nullopt;
  if (r.match.kind == MatchKind::regex)
    if (auto ex = quick_path_example(r.match.text, r.match.ignore_case)) {
      // The quick example is the shortest string of the rule's pattern: when the location accepts it,
      // it is also the example of their intersection.
      bool prefix_loc = loc && (loc->mod == LocationMod::none || loc->mod == LocationMod::prefix_noregex) &&
                        loc->path.size() <= kMaxLocationPrefix && ex->rfind(loc->path, 0) == 0;
      const LocationMod same = r.match.ignore_case ? LocationMod::regex_nocase : LocationMod::regex;
      if (!loc || prefix_loc || (loc->mod == same && loc->path == r.match.text)) return ex;
    }
  auto l = rule_language(rs, r);
  if (!l) return std::nullopt;
  return l->path_example();
}

}  // namespace

std::vector<std::string> example_paths(const RuleSet& rs, const Rule& r) {
  std::optional<Regex> re;
  if (r.match.kind == MatchKind::regex && !r.match.negated) re = Regex::compile(r.match.text, r.match.ignore_case);
  return example_paths(rs, r, re ? &*re : nullptr);
}

std::vector<std::string> example_paths(const RuleSet& rs, const Rule& r, const Regex* match_re) {
  std::vector<std::string> out;
  auto add = [&](const std::string& p) {
    if (p.empty() || p[0] != '/' || std::find(out.begin(), out.end(), p) != out.end()) return;
    out.push_back(p);
  };
  if (r.match.negated) return out;
  const Block* loc = location_of(rs, r);
  bool literal_only = false;
  if (r.match.kind == MatchKind::exact) add(r.match.text);
  else if (r.match.kind == MatchKind::prefix) {
    add(r.match.text);
    add(r.match.text + (!r.match.text.empty() && r.match.text.back() == '/' ? "" : "/") + "redirlint-x");
  } else if (auto lit = regex_literal(r.match.text)) {
    add(*lit);
    // A case-sensitive plain regex outside a location matches its literal alone: the automaton's
    // example would be that same path (issue 8: most regex rules of large sets are of this kind).
    if (!out.empty() && !r.match.ignore_case && !loc) literal_only = true;
  }
  if (loc && (loc->mod == LocationMod::exact || loc->mod == LocationMod::none || loc->mod == LocationMod::prefix_noregex)) {
    add(loc->path);
    if (loc->mod != LocationMod::exact) add(loc->path + (!loc->path.empty() && loc->path.back() == '/' ? "" : "/") + "redirlint-x");
  }
  if (!literal_only && (out.empty() || r.match.kind == MatchKind::regex))
    if (auto ex = language_example(rs, r, loc)) add(*ex);
  // Keep only paths the real patterns accept.
  std::vector<std::string> kept;
  for (const std::string& p : out) {
    if (r.match.kind == MatchKind::regex && (!match_re || !match_re->matches(p))) continue;
    if (r.match.kind == MatchKind::exact && p != r.match.text && !r.match.optional_trailing_slash) continue;
    if (r.match.kind == MatchKind::prefix) {
      const std::string& t = r.match.text;
      if (p.compare(0, t.size(), t) != 0 || !(p.size() == t.size() || t.back() == '/' || p[t.size()] == '/')) continue;
    }
    kept.push_back(p);
  }
  return kept;
}

std::optional<std::string> expand_for_path(const Rule& r, std::string_view path, std::string_view scheme,
                                           std::string_view host) {
  if (!r.target) return std::nullopt;
  std::optional<Regex> re;
  if (r.match.kind == MatchKind::regex) re = Regex::compile(r.match.text, r.match.ignore_case);
  return expand_for_path(r, re ? &*re : nullptr, path, scheme, host);
}

std::optional<std::string> expand_for_path(const Rule& r, const Regex* match_re, std::string_view path,
                                           std::string_view scheme, std::string_view host) {
  if (!r.target) return std::nullopt;
  return expand_for_path(r, parse_template(r.target->url), match_re, path, scheme, host);
}

std::optional<std::string> expand_for_path(const Rule& r, const std::vector<TemplatePart>& parts,
                                           const Regex* match_re, std::string_view path, std::string_view scheme,
                                           std::string_view host) {
  if (!r.target) return std::nullopt;
  const bool files = is_file_rules(r.origin.format);
  Captures caps;
  if (r.match.kind == MatchKind::regex) {
    if (!match_re || match_re->match(path, &caps) != MatchStatus::match) return std::nullopt;
  } else {
    caps.groups.push_back(std::string(path));
  }
  bool ok = true;
  std::string out = expand_template(parts, [&](const TemplatePart& p) -> std::string {
    if (p.kind == PartKind::rule_capture) return capture_value(&caps, p.index);
    if (p.kind == PartKind::cond_capture) ok = false;
    if (p.kind == PartKind::variable) {
      if (p.text == "scheme") return std::string(scheme);
      if (p.text == "host" || p.text == "http_host") return std::string(host);
      if (p.text == "uri" || p.text == "request_uri") return std::string(path);
      if (p.text == "query" || p.text == "is_args" || p.text == "args") return "";
      // `_redirects` / YAML `:splat` and `:name`: the rule's named groups, escaped as the simulator does.
      if (files && match_re && (p.text == "splat" || p.text.starts_with("ph:"))) {
        std::string_view name = p.text == "splat" ? std::string_view("splat") : std::string_view(p.text).substr(3);
        for (const auto& [n, index] : match_re->names())
          if (n == name) return url::escape_capture(caps.group(static_cast<std::size_t>(index)));
        return "";
      }
      ok = false;
    }
    return "";
  });
  if (!ok) return std::nullopt;
  if (r.match.kind == MatchKind::prefix && !files) {
    // mod_alias appends the rest of the path after the prefix.
    out += std::string(path.substr(std::min(path.size(), r.match.text.size())));
  } else if (r.match.kind == MatchKind::prefix && path.size() > r.match.text.size()) {
    // So does a `_redirects` / YAML prefix rule, before the target's query, without doubling a '/'
    // (simulate/file_rules.cpp FileRules::expand).
    std::string rest = url::escape_capture(path.substr(r.match.text.size()));
    std::size_t q = out.find('?');
    if (q == std::string::npos) q = out.size();
    if (q > 0 && out[q - 1] == '/' && rest.front() == '/') rest.erase(0, 1);
    out.insert(q, rest);
  }
  return out;
}

std::string regex_literal_prefix(std::string_view re) {
  if (re.empty() || re[0] != '^') return "";
  std::string out;
  for (std::size_t i = 1; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') {
      if (i + 1 >= re.size() || std::isalnum(static_cast<unsigned char>(re[i + 1]))) break;
      out += re[++i];
      continue;
    }
    if (std::string_view(".[]()*+?{}|^$").find(c) != std::string_view::npos) {
      // A quantifier applies to the last literal character: it is not part of the prefix.
      if ((c == '*' || c == '?' || c == '{') && !out.empty()) out.pop_back();
      break;
    }
    out += c;
  }
  return out;
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string place(const SourceFiles& files, const SourceRange& where) {
  std::string f = where.file < files.size() ? files.path(where.file) : std::string("<unknown>");
  return f + ":" + std::to_string(where.line);
}

std::string today_utc() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  std::chrono::year_month_day ymd{days};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

SimOptions evidence_options(const RuleSet& rs) {
  SimOptions o;
  if (!is_file_rules(rs.format)) return o;
  for (const Rule& r : rs.rules) {
    if (r.action != Action::rewrite || !r.target || r.target->absolute) continue;
    auto lit = literal_text(parse_template(r.target->url));
    if (!lit || lit->empty() || (*lit)[0] != '/') continue;
    std::string path = lit->substr(0, lit->find('?'));
    std::string decoded;
    if (url::percent_decode(path, decoded)) o.existing_files.push_back(decoded);
  }
  return o;
}

bool depends_on_proxy_header(const Rule& r) {
  for (const Condition& c : r.conds)
    if (c.test.rfind("${http:", 0) == 0 && !url::iequals(c.test, "${http:Host}")) {
      std::string name = url::lower(c.test.substr(7));
      if (name.rfind("x-forwarded", 0) == 0 || name.rfind("forwarded", 0) == 0 || name.rfind("x-real", 0) == 0 ||
          name.rfind("cf-", 0) == 0 || name.rfind("x-original", 0) == 0)
        return true;
    }
  return false;
}

bool target_unknown(const Rule& r) {
  if (!r.target) return false;
  for (const TemplatePart& p : parse_template(r.target->url))
    if (p.kind == PartKind::variable && (p.text.rfind("env:", 0) == 0 || p.text.rfind("var:", 0) == 0)) return true;
  return false;
}

std::string encode_path(std::string_view decoded) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : decoded) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace rl::analysis
