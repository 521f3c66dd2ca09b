// mod_rewrite: RewriteRule and RewriteCond (SEMANTICS.md §2), plus the template conversion shared
// with mod_alias. Argument checks follow cmd_rewriterule(), cmd_rewritecond() and
// cmd_rewriterule_setflag() in modules/mappers/mod_rewrite.c.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "grammar/apache.hpp"
#include "parse/apache_internal.hpp"
#include "parse/quick_regex.hpp"
#include "util/limits.hpp"
#include "util/regex.hpp"

namespace rl::apache {

namespace pegtl = tao::pegtl;
namespace g = rl::grammar::apache;

// ---- templates ------------------------------------------------------------------------------

namespace {

template <typename Rule>
struct tpl_action : pegtl::nothing<Rule> {};

template <>
struct tpl_action<g::sub_escape> {
  template <typename Input>
  static void apply(const Input& in, Template& t) { t.url += template_literal(in.string_view().substr(1)); }
};
template <>
struct tpl_action<g::sub_rule_ref> {
  template <typename Input>
  static void apply(const Input& in, Template& t) {
    t.url += in.string_view();
    t.rule_refs.emplace_back(in.string_view()[1] - '0', in.iterator().byte);
  }
};
template <>
struct tpl_action<g::sub_cond_ref> {
  template <typename Input>
  static void apply(const Input& in, Template& t) {
    t.url += in.string_view();
    t.cond_refs.emplace_back(in.string_view()[1] - '0', in.iterator().byte);
  }
};
template <>
struct tpl_action<g::sub_var> {
  template <typename Input>
  static void apply(const Input& in, Template& t) {
    std::string_view v = in.string_view();
    t.url += variable_template(v.substr(2, v.size() - 3));
  }
};
// The '|' that starts a lookup's default: the first one not quoted by '\\' nor inside %{...}.
std::size_t default_bar(std::string_view inner) {
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\') ++i;
    else if (inner[i] == '%' && i + 1 < inner.size() && inner[i + 1] == '{') i = std::min(inner.find('}', i), inner.size());
    else if (inner[i] == '|') return i;
  }
  return std::string_view::npos;
}

template <>
struct tpl_action<g::sub_map> {
  template <typename Input>
  static void apply(const Input& in, Template& t) {
    std::string_view v = in.string_view();
    std::size_t colon = v.find(':');
    std::string_view inner = v.substr(colon + 1, v.size() - colon - 2);
    std::size_t bar = default_bar(inner);
    MapLookup m;
    m.map = std::string(v.substr(2, colon - 2));
    m.key = rewrite_template(inner.substr(0, bar)).url;
    if (bar != std::string_view::npos) m.fallback = rewrite_template(inner.substr(bar + 1)).url;
    t.url += "${map:" + std::to_string(t.map_base + t.lookups.size()) + "}";
    t.lookups.push_back(std::move(m));
    t.maps.emplace_back(std::string(v), in.iterator().byte);
  }
};
template <>
struct tpl_action<g::sub_literal> {
  template <typename Input>
  static void apply(const Input& in, Template& t) { t.url += template_literal(in.string_view()); }
};

template <typename Rule>
struct alias_action : pegtl::nothing<Rule> {};
template <>
struct alias_action<g::alias_escape> : tpl_action<g::sub_escape> {};
template <>
struct alias_action<g::alias_ref> : tpl_action<g::sub_rule_ref> {};
template <>
struct alias_action<g::alias_literal> : tpl_action<g::sub_literal> {};

struct VarName {
  const char* apache;
  const char* model;
};

// Variables with a meaning in the model (model.hpp Target); the rest become ${var:NAME}.
constexpr std::array kVars = {
    VarName{"HTTP_HOST", "${http_host}"},          VarName{"REQUEST_URI", "${uri}"},
    VarName{"QUERY_STRING", "${query}"},           VarName{"HTTPS", "${https}"},
    VarName{"THE_REQUEST", "${the_request}"},      VarName{"REQUEST_METHOD", "${method}"},
    VarName{"REQUEST_SCHEME", "${scheme}"},        VarName{"SERVER_PORT", "${server_port}"},
    VarName{"SERVER_NAME", "${server_name}"},      VarName{"HTTP_USER_AGENT", "${http:User-Agent}"},
    VarName{"HTTP_REFERER", "${http:Referer}"},    VarName{"HTTP_COOKIE", "${http:Cookie}"},
    VarName{"HTTP_ACCEPT", "${http:Accept}"},      VarName{"HTTP_FORWARDED", "${http:Forwarded}"},
    VarName{"HTTP_PROXY_CONNECTION", "${http:Proxy-Connection}"},
};

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

}  // namespace

std::string unmodelled_expr_part(std::string_view expr) {
  for (std::size_t i = 0; i + 1 < expr.size(); ++i) {
    char c = expr[i];
    bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(expr[i - 1]));
    // A unary test (-f, -d, -U, -A, ...) other than -z/-n; a function call name(...).
    if (c == '-' && word_start && std::isalpha(static_cast<unsigned char>(expr[i + 1])) &&
        (i + 2 >= expr.size() || !std::isalpha(static_cast<unsigned char>(expr[i + 2]))) && expr[i + 1] != 'z' && expr[i + 1] != 'n')
      return "the test " + quote(expr.substr(i, 2));
    if (std::isalpha(static_cast<unsigned char>(c)) && word_start && expr[i - (i ? 1 : 0)] != '%' && expr[i - (i ? 1 : 0)] != '{') {
      std::size_t j = i;
      while (j < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[j])) || expr[j] == '_')) ++j;
      if (j < expr.size() && expr[j] == '(') return "the function " + quote(expr.substr(i, j - i));
      i = j;
    }
  }
  return {};
}

std::string template_literal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '$' || c == '%') out.push_back(c);
    out.push_back(c);
  }
  return out;
}

std::string variable_template(std::string_view name) {
  auto colon = name.find(':');
  if (colon != std::string_view::npos) {
    std::string prefix = lower(name.substr(0, colon));
    std::string rest(name.substr(colon + 1));
    if (prefix == "http") return "${http:" + rest + "}";
    if (prefix == "env") return "${env:" + rest + "}";
    return "${var:" + std::string(name) + "}";
  }
  for (const VarName& v : kVars)
    if (name == v.apache) return v.model;
  return "${var:" + std::string(name) + "}";
}

Template rewrite_template(std::string_view text, std::size_t map_base) {
  Template t;
  t.map_base = map_base;
  pegtl::memory_input in(text.data(), text.size(), "");
  try {
    pegtl::parse<g::substitution, tpl_action>(in, t);
  } catch (const std::exception&) {
  }
  return t;
}

Template alias_template(std::string_view text, bool regex) {
  Template t;
  if (!regex) {
    t.url = template_literal(text);  // Redirect uses its target verbatim
    return t;
  }
  pegtl::memory_input in(text.data(), text.size(), "");
  try {
    pegtl::parse<g::alias_target, alias_action>(in, t);
  } catch (const std::exception&) {
  }
  return t;
}

// ---- per-directory patterns -----------------------------------------------------------------

namespace {

// The top-level alternatives of a regex (outside groups and classes).
std::vector<std::string_view> top_level_branches(std::string_view re) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < re.size(); ++i) {
    char c = re[i];
    if (c == '\\') {
      if (i + 1 < re.size() && re[i + 1] == 'Q') {
        auto e = re.find("\\E", i + 2);
        i = e == std::string_view::npos ? re.size() : e + 1;
      } else {
        ++i;
      }
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < re.size() && re[j] == '^') ++j;
      if (j < re.size() && re[j] == ']') ++j;
      for (; j < re.size() && re[j] != ']'; ++j) {
        if (re[j] == '\\') ++j;
        else if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
          auto e = re.find(":]", j + 2);
          if (e != std::string_view::npos) j = e + 1;
        }
      }
      i = j;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (c == '|' && depth == 0) {
      out.push_back(re.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(re.substr(std::min(start, re.size())));
  return out;
}

}  // namespace

std::string per_dir_pattern(std::string_view pattern, std::string_view dir) {
  std::vector<std::string_view> branches = top_level_branches(pattern);
  auto rebase = [](std::string_view b) {
    if (!b.empty() && b[0] == '^') return std::string(b.substr(1));
    return ".*?" + std::string(b);
  };
  std::string out = "^" + regex_escape(dir);
  if (branches.size() == 1) return out + rebase(branches[0]);
  out += "(?:";
  for (std::size_t i = 0; i < branches.size(); ++i) out += (i ? "|" : "") + rebase(branches[i]);
  return out + ")";
}

// ---- flags ----------------------------------------------------------------------------------

namespace {

struct FlagItem {
  std::string key, value;
  bool has_value = false;
  std::size_t begin = 0, end = 0;  // value offsets in the flags argument
};

template <typename Rule>
struct flag_action : pegtl::nothing<Rule> {};
template <>
struct flag_action<g::flag_item> {
  template <typename Input>
  static void apply(const Input& in, std::vector<FlagItem>& out) {
    std::string_view item = in.string_view();
    FlagItem f;
    f.begin = in.iterator().byte;
    f.end = f.begin + item.size();
    // cmd_parseflagfield(): leading and trailing blanks of an item are dropped.
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1), ++f.begin;
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1), --f.end;
    auto eq = item.find('=');
    f.key = std::string(item.substr(0, eq));
    if (eq != std::string_view::npos) {
      f.has_value = true;
      f.value = std::string(item.substr(eq + 1));
    }
    out.push_back(std::move(f));
  }
};

/// Splits `[A,B=v]`; false when the brackets are missing (httpd: "bad flag delimiters").
bool split_flags(std::string_view text, std::vector<FlagItem>& out) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  std::string_view inner = text.substr(1, text.size() - 2);
  pegtl::memory_input in(inner.data(), inner.size(), "");
  try {
    pegtl::parse<g::flag_list, flag_action>(in, out);
  } catch (const std::exception&) {
    return false;
  }
  for (FlagItem& f : out) f.begin += 1, f.end += 1;
  return true;
}

// Every RewriteRule flag of httpd 2.4 (short and long names), as cmd_rewriterule_setflag() reads them.
enum class RF { B, BNP, BCTLS, C, CO, DPI, E, END, F, G, H, L, N, NC, NE, NS, P, PT, QSA, QSD, QSL, R, S, T, UA3F, UPS };
struct FlagName {
  const char* name;
  RF flag;
};
constexpr std::array kRuleFlags = {
    FlagName{"B", RF::B},          FlagName{"backrefescaping", RF::B}, FlagName{"BNP", RF::BNP},
    FlagName{"backrefnoplus", RF::BNP}, FlagName{"BCTLS", RF::BCTLS}, FlagName{"C", RF::C},
    FlagName{"chain", RF::C},      FlagName{"CO", RF::CO},            FlagName{"cookie", RF::CO},
    FlagName{"DPI", RF::DPI},      FlagName{"discardpath", RF::DPI},  FlagName{"E", RF::E},
    FlagName{"env", RF::E},        FlagName{"END", RF::END},          FlagName{"F", RF::F},
    FlagName{"forbidden", RF::F},  FlagName{"G", RF::G},              FlagName{"gone", RF::G},
    FlagName{"H", RF::H},          FlagName{"handler", RF::H},        FlagName{"L", RF::L},
    FlagName{"last", RF::L},       FlagName{"N", RF::N},              FlagName{"next", RF::N},
    FlagName{"NC", RF::NC},        FlagName{"nocase", RF::NC},        FlagName{"NE", RF::NE},
    FlagName{"noescape", RF::NE},  FlagName{"NS", RF::NS},            FlagName{"nosubreq", RF::NS},
    FlagName{"P", RF::P},          FlagName{"proxy", RF::P},          FlagName{"PT", RF::PT},
    FlagName{"passthrough", RF::PT}, FlagName{"QSA", RF::QSA},        FlagName{"qsappend", RF::QSA},
    FlagName{"QSD", RF::QSD},      FlagName{"qsdiscard", RF::QSD},    FlagName{"QSL", RF::QSL},
    FlagName{"qslast", RF::QSL},   FlagName{"R", RF::R},              FlagName{"redirect", RF::R},
    FlagName{"S", RF::S},          FlagName{"skip", RF::S},           FlagName{"T", RF::T},
    FlagName{"type", RF::T},       FlagName{"UnsafeAllow3F", RF::UA3F}, FlagName{"UnsafePrefixStat", RF::UPS},
};

struct CondFlagName {
  const char* name;
  int flag;  // 0 NC, 1 OR, 2 NV
};
constexpr std::array kCondFlags = {
    CondFlagName{"NC", 0}, CondFlagName{"nocase", 0}, CondFlagName{"OR", 1},
    CondFlagName{"ornext", 1}, CondFlagName{"NV", 2}, CondFlagName{"novary", 2},
};

template <typename Table>
std::string suggestion(std::string_view key, const Table& table) {
  // `R301` is a missing '='.
  if (key.size() > 1 && (key[0] == 'R' || key[0] == 'r') && std::all_of(key.begin() + 1, key.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      }))
    return "; did you mean \"R=" + std::string(key.substr(1)) + "\"?";
  const char* best = nullptr;
  int best_d = 3;
  for (const auto& f : table) {
    int d = edit_distance(key, f.name, 2);
    const int allowed = key.size() <= 3 ? 1 : 2;  // short flags are all near each other
    if (d < best_d && d <= allowed && !(std::string_view(f.name).size() == 1 && key.size() > 2)) best_d = d, best = f.name;
  }
  if (!best || key.empty()) return "";
  return "; did you mean \"" + std::string(best) + "\"?";
}

/// Status codes httpd accepts in R=code (ap_index_of_response() knows them).
bool known_response(int s) {
  return (s >= 100 && s <= 103) || (s >= 200 && s <= 208) || s == 226 || (s >= 300 && s <= 308) ||
         (s >= 400 && s <= 418) || (s >= 421 && s <= 426) || s == 428 || s == 429 || s == 431 || s == 451 ||
         (s >= 500 && s <= 508) || s == 510 || s == 511;
}

// mod_rewrite's is_absolute_uri(): the schemes after which a substitution is an external URL.
bool is_absolute_substitution(std::string_view s) {
  static const std::array schemes = {"http://", "https://", "ftp://", "ldap://", "news:", "nntp://", "mailto:",
                                     "ajp://", "balancer://", "fcgi://", "gopher://", "h2://", "h2c://",
                                     "scgi://", "uwsgi://", "ws://", "wss://", "unix:"};
  std::string l = lower(s.substr(0, 16));
  for (const char* p : schemes)
    if (l.rfind(p, 0) == 0) return true;
  return false;
}

// The first literal `?` of a template (not inside `${...}`), npos if none.
std::size_t literal_question_mark(std::string_view url, bool last) {
  std::size_t found = std::string_view::npos;
  for (std::size_t i = 0; i < url.size(); ++i) {
    char c = url[i];
    if ((c == '$' || c == '%') && i + 1 < url.size() && url[i + 1] == c) {
      ++i;
    } else if (c == '$' && i + 1 < url.size() && url[i + 1] == '{') {
      auto e = url.find('}', i);
      if (e == std::string_view::npos) break;
      i = e;
    } else if (c == '?') {
      found = i;
      if (!last) break;
    }
  }
  return found;
}

}  // namespace

void Parser::note_map_lookups(const LogicalLine& ln, const Arg& arg, Template& t) {
  for (std::size_t i = 0; i < t.maps.size(); ++i) {
    const auto& [text, at] = t.maps[i];
    SourceRange where = value_range(ln, arg, at, at + text.size());
    map_lookups_.push_back({text.substr(2, text.find(':') - 2), text, where});
    if (i < t.lookups.size()) {
      t.lookups[i].where = where;
      rs_.map_lookups.push_back(std::move(t.lookups[i]));
    }
  }
}

// An absolute substitution naming this virtual host is an internal rewrite unless [R] is given
// (mod_rewrite reduce_uri(), SEMANTICS.md 2.5): its scheme is the request's (http, https for a TLS
// vhost), its host one of the vhost's names and its port the ServerName's port (ap_matches_request_vhost()
// compares with s->port, 0 when ServerName has none: then no URL names the vhost).
void Parser::same_host_rewrites() {
  for (RuleId id : absolute_implicit_) {
    Rule& r = rs_.rules[id];
    if (r.scope.server < 0 || !r.target) continue;
    const Block& server = rs_.blocks[static_cast<std::size_t>(r.scope.server)];
    std::string_view url = r.target->url;
    std::string scheme = lower(url.substr(0, url.find("://")));
    if ((scheme != "http" && scheme != "https") || url.find("://") == std::string_view::npos) continue;
    std::string_view rest = url.substr(scheme.size() + 3);
    std::size_t host_end = rest.find_first_of("/:?#");
    std::string_view host = rest.substr(0, host_end);
    if (host.empty() || host.find_first_of("$%") != std::string_view::npos) continue;
    if (scheme != (server.https ? "https" : "http")) continue;
    int port = scheme == "https" ? 443 : 80;
    std::size_t path_at = host_end == std::string_view::npos ? rest.size() : host_end;
    if (host_end != std::string_view::npos && rest[host_end] == ':') {
      std::size_t e = rest.find_first_of("/?#", host_end);
      std::string digits(rest.substr(host_end + 1, (e == std::string_view::npos ? rest.size() : e) - host_end - 1));
      if (digits.empty() || digits.size() > 5 || !std::all_of(digits.begin(), digits.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
          }))
        continue;
      port = std::stoi(digits);
      path_at = e == std::string_view::npos ? rest.size() : e;
    }
    const std::string h = lower(host);
    bool named = std::find(server.server_names.begin(), server.server_names.end(), h) != server.server_names.end();
    if (!named || port != server.servername_port) continue;
    std::string path(rest.substr(path_at));
    if (path.empty() || path[0] != '/') path.insert(path.begin(), '/');
    r.action = Action::rewrite;
    r.status = 0;
    r.status_implicit = false;
    r.target->url = path;
    r.target->absolute = false;
  }
}

// ---- RewriteCond ----------------------------------------------------------------------------

namespace {

struct CondParts {
  bool negated = false;
  CondOp op = CondOp::regex;
  std::size_t operand_at = 0;
};

template <typename Rule>
struct cond_action : pegtl::nothing<Rule> {};
template <>
struct cond_action<g::cond_not> {
  template <typename Input>
  static void apply(const Input&, CondParts& c) { c.negated = true; }
};
template <>
struct cond_action<g::cond_file_test> {
  template <typename Input>
  static void apply(const Input& in, CondParts& c) {
    switch (in.string_view()[1]) {
      case 'f': c.op = CondOp::file_exists; break;
      case 'd': c.op = CondOp::dir_exists; break;
      case 's': c.op = CondOp::size_nonzero; break;
      case 'x': c.op = CondOp::executable; break;
      case 'U':
      case 'F': c.op = CondOp::url_exists; break;
      default: c.op = CondOp::symlink; break;
    }
    c.operand_at = in.iterator().byte + in.size();
  }
};
template <>
struct cond_action<g::cond_int_op> {
  template <typename Input>
  static void apply(const Input& in, CondParts& c) {
    std::string_view op = in.string_view().substr(1);
    if (op == "lt") c.op = CondOp::int_lt;
    else if (op == "le") c.op = CondOp::int_le;
    else if (op == "gt") c.op = CondOp::int_gt;
    else if (op == "ge") c.op = CondOp::int_ge;
    else if (op == "eq") c.op = CondOp::int_eq;
    else c.op = CondOp::int_ne;
    c.operand_at = in.iterator().byte + in.size();
  }
};
template <>
struct cond_action<g::cond_str_op> {
  template <typename Input>
  static void apply(const Input& in, CondParts& c) {
    std::string_view op = in.string_view();
    if (op == ">=") c.op = CondOp::ge;
    else if (op == "<=") c.op = CondOp::le;
    else if (op == ">") c.op = CondOp::gt;
    else if (op == "<") c.op = CondOp::lt;
    else c.op = CondOp::equal;
    c.operand_at = in.iterator().byte + in.size();
  }
};
template <>
struct cond_action<g::cond_regex> {
  template <typename Input>
  static void apply(const Input& in, CondParts& c) {
    c.op = CondOp::regex;
    c.operand_at = in.iterator().byte;
  }
};

}  // namespace

void Parser::directive_rewrite_cond(const LogicalLine& ln, const std::vector<Arg>& args) {
  if (args.size() < 2 || args.size() > 3 || !args[0].terminated) {
    report("RL001", line_range(ln),
           "RewriteCond: bad argument line: expected TestString CondPattern [flags], got " + std::to_string(args.size()) +
               " arguments" + (args.size() > 3 ? " (httpd has no end-of-line comments)" : ""));
    return;
  }
  PendingCond pc;
  Condition& c = pc.cond;
  c.where = line_range(ln);
  c.original = original(ln);
  bool ornext = false, nocase = false;
  if (args.size() == 3) {
    std::vector<FlagItem> items;
    if (!split_flags(args[2].value, items)) {
      report("RL001", arg_range(ln, args[2]), "RewriteCond: bad flag delimiters in " + quote(args[2].value) + ": expected [flag,...]");
      return;
    }
    for (const FlagItem& f : items) {
      auto it = std::find_if(kCondFlags.begin(), kCondFlags.end(), [&](const CondFlagName& n) { return iequals(n.name, f.key); });
      if (it == kCondFlags.end() || f.has_value) {
        report("RL002", value_range(ln, args[2], f.begin, f.end),
               "unknown RewriteCond flag " + quote(f.key) + suggestion(f.key, kCondFlags));
        continue;
      }
      if (it->flag == 0) nocase = true;
      if (it->flag == 1) ornext = true;
    }
  }
  c.or_next = ornext;
  const Arg& test = args[0];
  const Arg& pat = args[1];
  if (iequals(test.value, "expr")) {
    // An ap_expr condition: the simulator evaluates string tests, -strmatch, =~, !, && and ||; a file
    // test or a function makes the answer unknown.
    c.test = "${var:expr}";
    c.op = CondOp::truthy;
    c.pattern.text = pat.value;
    c.pattern.original = pat.value;
    if (std::string why = unmodelled_expr_part(pat.value); !why.empty())
      report("RL006", c.where, "RewriteCond expr uses " + why + ", which is not modelled: what the rule it guards does is unknown");
    context().pending.push_back(std::move(pc));
    return;
  }
  Template t = rewrite_template(test.value, rs_.map_lookups.size());
  c.test = std::move(t.url);
  int earlier = -1;
  for (const PendingCond& p : context().pending) earlier = std::max(earlier, p.captures);
  for (auto [n, at] : t.cond_refs)
    if (n > earlier)
      report("RL005", value_range(ln, test, at, at + 2),
             "%" + std::to_string(n) + " refers to a group of an earlier RewriteCond, but " +
                 (earlier < 0 ? std::string("no earlier condition of this rule matches a regex")
                              : "the earlier conditions have at most " + count_groups(earlier)));
  for (auto [n, at] : t.rule_refs) pc.rule_refs.emplace_back(n, value_range(ln, test, at, at + 2));
  note_map_lookups(ln, test, t);

  CondParts parts;
  pegtl::memory_input in(pat.value.data(), pat.value.size(), "");
  try {
    pegtl::parse<g::cond_pattern, cond_action>(in, parts);
  } catch (const std::exception&) {
  }
  std::string operand = pat.value.substr(std::min(parts.operand_at, pat.value.size()));
  // `=""` compares with the empty string.
  if (parts.op == CondOp::equal && operand == "\"\"") operand.clear();
  // `!-ne` is `-eq`: httpd inverts.
  if (parts.op == CondOp::int_ne) {
    parts.op = CondOp::int_eq;
    parts.negated = !parts.negated;
  }
  c.op = parts.op;
  c.pattern.negated = parts.negated;
  c.pattern.ignore_case = nocase;
  c.pattern.original = pat.value;
  c.pattern.kind = parts.op == CondOp::regex ? MatchKind::regex : MatchKind::exact;
  c.pattern.text = operand;
  if (parts.op == CondOp::regex) {
    RegexError err;
    auto re = Regex::compile(operand, nocase, &err);
    if (!re) {
      std::size_t o = std::min(err.offset, operand.size());
      std::size_t b = parts.operand_at + (o >= operand.size() && o > 0 ? o - 1 : o);
      report("RL003", value_range(ln, pat, b, std::min(b + 1, pat.value.size())),
             "invalid regex " + quote(operand) + ": " + err.message + " at offset " + std::to_string(err.offset));
      return;
    }
    if (!parts.negated) pc.captures = static_cast<int>(re->capture_count());
  }
  context().pending.push_back(std::move(pc));
}

// ---- RewriteRule ----------------------------------------------------------------------------

void Parser::directive_rewrite_rule(const LogicalLine& ln, const std::vector<Arg>& args) {
  if (args.size() < 2 || args.size() > 3 || !args[0].terminated) {
    report("RL001", line_range(ln),
           "RewriteRule: bad argument line: expected Pattern Substitution [flags], got " + std::to_string(args.size()) +
               " arguments" + (args.size() > 3 ? " (httpd has no end-of-line comments)" : ""));
    context().pending.clear();
    return;
  }
  Rule r = new_rule(ln, "RewriteRule");
  RewriteFlags& fl = *r.flags;
  int forced = 0;             // status from F, G or R=code
  bool redirect_flag = false, status_written = false;
  bool bad_status = false;  // R=code httpd refuses: the rule is left out, like a directive httpd rejects
  const Arg* flag_arg = args.size() == 3 ? &args[2] : nullptr;
  if (flag_arg) {
    std::vector<FlagItem> items;
    if (!split_flags(flag_arg->value, items)) {
      report("RL001", arg_range(ln, *flag_arg),
             "RewriteRule: bad flag delimiters in " + quote(flag_arg->value) + ": expected [flag,...]");
      context().pending.clear();
      return;
    }
    for (const FlagItem& f : items) {
      auto it = std::find_if(kRuleFlags.begin(), kRuleFlags.end(), [&](const FlagName& n) { return iequals(n.name, f.key); });
      SourceRange where = value_range(ln, *flag_arg, f.begin, f.end);
      if (it == kRuleFlags.end()) {
        report("RL002", where, "unknown RewriteRule flag " + quote(f.key) + suggestion(f.key, kRuleFlags));
        continue;
      }
      switch (it->flag) {
        case RF::B:
          fl.b = true;
          if (f.has_value) fl.b_chars = f.value;
          break;
        case RF::BNP: fl.bnp = true; break;
        case RF::BCTLS: fl.bctls = fl.b = true; break;
        case RF::C: fl.chain = true; break;
        case RF::DPI: fl.dpi = true; break;
        case RF::END: fl.end = true; break;
        case RF::F:
          fl.forbidden = true;
          forced = 403;
          break;
        case RF::G:
          fl.gone = true;
          forced = 410;
          break;
        case RF::L: fl.last = true; break;
        case RF::N:
          r.flow = Flow::restart;
          fl.next_max = f.has_value ? std::atoi(f.value.c_str()) : 0;
          break;
        case RF::NC: fl.nocase = true; break;
        case RF::NE: fl.ne = true; break;
        case RF::NS: fl.nosubreq = true; break;
        case RF::P: fl.proxy = true; break;
        case RF::PT: fl.pt = true; break;
        case RF::QSA: fl.qsa = true; break;
        case RF::QSD: fl.qsd = true; break;
        case RF::QSL: fl.qsl = true; break;
        case RF::S: fl.skip = f.has_value ? std::atoi(f.value.c_str()) : 0; break;
        case RF::UA3F: fl.unsafe_allow_3f = true; break;
        case RF::UPS: fl.unsafe_prefix_stat = true; break;
        case RF::R: {
          redirect_flag = true;
          if (!f.has_value || f.value.empty()) break;
          std::string v = lower(f.value);
          int code = 0;
          if (v == "permanent") code = 301;
          else if (v == "temp") code = 302;
          else if (v == "seeother") code = 303;
          else if (std::isdigit(static_cast<unsigned char>(v[0]))) code = std::atoi(v.c_str());
          if (code == 0 || !known_response(code)) {
            report("RL004", where, "invalid HTTP response code " + quote(f.value) + " for flag 'R' (httpd refuses to start)");
            bad_status = true;
            break;
          }
          forced = code;
          status_written = true;
          break;
        }
        case RF::E: {
          Template et = rewrite_template(f.has_value ? f.value : std::string(), rs_.map_lookups.size());
          for (rl::MapLookup& m : et.lookups) rs_.map_lookups.push_back(std::move(m));
          fl.env.push_back(std::move(et.url));
          fl.other.push_back(f.key + (f.has_value ? "=" + f.value : std::string()));
          break;
        }
        case RF::CO:
        case RF::H:
        case RF::T: fl.other.push_back(f.key + (f.has_value ? "=" + f.value : std::string())); break;
      }
    }
  }
  if (bad_status) {
    context().pending.clear();
    return;
  }
  // Pattern.
  const Arg& pa = args[0];
  std::string_view regex = pa.value;
  std::size_t regex_at = 0;
  if (!regex.empty() && regex[0] == '!') {
    r.match.negated = true;
    regex.remove_prefix(1);
    regex_at = 1;
  }
  r.match.kind = MatchKind::regex;
  r.match.ignore_case = fl.nocase;
  r.match.original = std::string(regex);
  int counted = 0;
  if (!quick_valid_regex(regex, counted)) {
    RegexError err;
    auto re = Regex::compile(regex, fl.nocase, &err);
    if (!re) {
      std::size_t o = std::min(err.offset, regex.size());
      std::size_t b = regex_at + (o >= regex.size() && o > 0 ? o - 1 : o);
      report("RL003", value_range(ln, pa, b, std::min(b + 1, pa.value.size())),
             "invalid regex " + quote(regex) + ": " + err.message + " at offset " + std::to_string(err.offset));
      context().pending.clear();
      return;
    }
    counted = static_cast<int>(re->capture_count());
  }
  const int groups = r.match.negated ? 0 : counted;
  const Context& ctx = context();
  r.match.text = ctx.per_dir ? per_dir_pattern(regex, ctx.dir) : std::string(regex);

  // Conditions collected since the previous rule of this context.
  int cond_groups = -1;
  for (PendingCond& p : context().pending) {
    for (auto& [n, where] : p.rule_refs)
      if (n > groups)
        report("RL005", where, "$" + std::to_string(n) + " in a RewriteCond refers to group " + std::to_string(n) +
                                   " of the RewriteRule pattern " + quote(regex) + ", which has " + count_groups(groups));
    cond_groups = std::max(cond_groups, p.captures);
    r.conds.push_back(std::move(p.cond));
  }
  context().pending.clear();

  // Substitution.
  const Arg& sa = args[1];
  const std::string& subst = sa.value;
  Template t = rewrite_template(subst, rs_.map_lookups.size());
  for (auto [n, at] : t.rule_refs)
    if (n > groups)
      report("RL005", value_range(ln, sa, at, at + 2),
             "$" + std::to_string(n) + " refers to group " + std::to_string(n) + ", but the pattern " + quote(regex) +
                 (r.match.negated ? " is negated and sets no groups" : " has " + count_groups(groups)));
  for (auto [n, at] : t.cond_refs)
    if (n > cond_groups)
      report("RL005", value_range(ln, sa, at, at + 2),
             "%" + std::to_string(n) + " refers to a RewriteCond group, but " +
                 (cond_groups < 0 ? std::string("no RewriteCond before this rule matches a regex")
                                  : "its conditions have at most " + count_groups(cond_groups)) +
                 (at + 2 < subst.size() && std::isxdigit(static_cast<unsigned char>(subst[at + 2]))
                      ? " (a literal %-escape must be written \\%)"
                      : ""));
  note_map_lookups(ln, sa, t);
  if (fl.proxy) report("RL006", r.where, "RewriteRule [P] (proxy) is not modelled: the request goes to another server");

  const bool dash = subst == "-";
  const bool absolute = is_absolute_substitution(subst) || t.url.rfind("${scheme}://", 0) == 0;
  if (forced != 0 && (forced < 300 || forced > 399)) {
    r.action = Action::answer;
    r.status = forced;
    r.flow = Flow::stop;  // F, G and R=4xx imply L
  } else {
    // `-` with [R=3xx] sets r->status and nothing else: no redirect (NOSUB ends the rule).
    if (redirect_flag && !dash) {
      r.action = Action::redirect;
      r.status = forced != 0 ? forced : 302;
      r.status_implicit = !status_written;
    } else if (absolute && !fl.proxy) {
      r.action = Action::redirect;
      r.status = 302;
      r.status_implicit = true;
      absolute_implicit_.push_back(r.id);
    } else if (dash) {
      r.action = Action::none;
    } else {
      r.action = Action::rewrite;
    }
    if (fl.end) r.flow = Flow::end;
    else if (fl.last) r.flow = Flow::stop;
    else if (r.flow != Flow::restart) r.flow = Flow::next;
  }
  if (r.action == Action::redirect || r.action == Action::rewrite) {
    Target tg;
    tg.url = std::move(t.url);
    tg.absolute = absolute;
    std::size_t q = literal_question_mark(tg.url, fl.qsl);
    bool has_q = q != std::string::npos;
    bool trailing = has_q && q + 1 == tg.url.size();
    if (trailing) tg.url.pop_back();
    if (fl.qsd) tg.query = has_q && !trailing ? QueryMode::replace : QueryMode::drop;
    else if (!has_q) tg.query = QueryMode::keep;
    else if (trailing) tg.query = fl.qsa ? QueryMode::keep : QueryMode::drop;
    else tg.query = fl.qsa ? QueryMode::append : QueryMode::replace;
    const bool rooted = !tg.url.empty() && (tg.url[0] == '/' || tg.url.rfind("${uri}", 0) == 0 || tg.url.rfind("${request_uri}", 0) == 0);
    r.target = std::move(tg);
    if (ctx.per_dir && !absolute && !rooted)
      relative_targets_.emplace_back(r.id, stack_.empty() ? 0 : stack_.back().context);
  }
  rs_.rules.push_back(std::move(r));
}

}  // namespace rl::apache

namespace rl::apache {

// cmd_rewritemap(): `RewriteMap NAME TYPE:SOURCE`. txt: and rnd: files are read now (httpd reads them at
// each lookup; it refuses to start when the file is missing), int: names one of four functions, the
// other types (dbm:, prg:, dbd:, fastdbd:) are not modelled: lookups of such a map are unknown.
void Parser::directive_rewrite_map(const LogicalLine& ln, std::string_view name, const std::vector<Arg>& args) {
  RewriteMapDef m;
  m.where = line_range(ln);
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
    if (it->block >= 0 && rs_.blocks[static_cast<std::size_t>(it->block)].kind == BlockKind::server) {
      m.server = it->block;
      break;
    }
  m.name = args.empty() ? std::string() : args[0].value;
  maps_defined_.push_back(m.name);
  std::string spec = args.size() > 1 ? args[1].value : std::string();
  std::size_t colon = spec.find(':');
  m.type = lower(spec.substr(0, colon == std::string::npos ? 0 : colon));
  if (m.type.rfind("dbm=", 0) == 0) m.type = "dbm";
  m.source = colon == std::string::npos ? std::string() : spec.substr(colon + 1);
  if (m.type == "txt" || m.type == "rnd") {
    m.readable = read_map_file(m);
  } else if (m.type == "int") {
    const std::string f = lower(m.source);
    m.readable = f == "tolower" || f == "toupper" || f == "escape" || f == "unescape";
    if (!m.readable) m.why = "int:" + m.source + " is not one of httpd's internal maps (tolower, toupper, escape, unescape)";
  } else {
    m.why = (m.type.empty() ? std::string("a map without a type") : m.type + ": maps") + " are not modelled";
  }
  add_unmodelled(ln, name, !m.readable);
  if (!m.readable)
    report("RL006", m.where, "RewriteMap " + quote(m.name) + ": " + m.why + "; what a rule that looks it up does is unknown");
  rs_.maps.push_back(std::move(m));
}

bool Parser::read_map_file(RewriteMapDef& m) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file_dir = fs::absolute(fs::path(files_.path(id_)), ec).parent_path();
  // ap_server_root_relative(): a relative path is taken from ServerRoot (the checked file's directory
  // stands for it when the file does not set one).
  fs::path p(m.source);
  if (p.is_relative()) p = (server_root_.empty() ? file_dir : fs::path(server_root_)) / p;
  m.path = p.lexically_normal().string();
  const std::string root = fs::weakly_canonical(opts_.include_root.empty() ? file_dir : fs::path(opts_.include_root), ec).string();
  const std::string key = fs::weakly_canonical(p, ec).string();
  const bool inside = root == "/" || (key.size() > root.size() && key.compare(0, root.size(), root) == 0 && key[root.size()] == '/');
  if (!inside) {
    m.why = "the map file " + quote(m.path) + " is outside " + quote(root) + " and is not read (--include-root DIR allows it)";
    return false;
  }
  FileId id = 0;
  std::string why;
  switch (files_.load(m.path, id, why, opts_.max_file_bytes)) {
    case ReadStatus::ok: break;
    case ReadStatus::too_large:
      m.why = "the map file " + quote(m.path) + " is larger than the limit and is not read (" +
              limit_hint(LimitId::file_bytes, opts_.max_file_bytes) + ")";
      return false;
    default:
      m.why = "cannot read the map file " + quote(m.path) + " (" + why + "; httpd refuses to start without it)";
      return false;
  }
  rs_.files.push_back(id);
  // lookup_map_txtfile(): lines starting with '#' or a space are skipped; the key is the first word, the
  // value the second (a line without one is skipped); the first line with the key wins.
  const std::string& text = files_.get(id).text;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  for (std::size_t at = 0; at < text.size();) {
    std::size_t eol = text.find('\n', at);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + at, eol - at);
    if (!line.empty() && line[0] != '#' && !space(line[0])) {
      std::size_t k = 0;
      while (k < line.size() && !space(line[k])) ++k;
      std::size_t v = k;
      while (v < line.size() && space(line[v])) ++v;
      std::size_t e = v;
      while (e < line.size() && !space(line[e])) ++e;
      if (e > v)
        m.entries.push_back({std::string(line.substr(0, k)), std::string(line.substr(v, e - v)), files_.range(id, at, at + line.size())});
    }
    at = eol + 1;
  }
  return true;
}

}  // namespace rl::apache
