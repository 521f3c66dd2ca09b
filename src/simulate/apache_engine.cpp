// The Apache simulator's engine: mod_rewrite rule lists (apply_rewrite_list / apply_rewrite_rule),
// mod_alias redirects (translate_alias_redir / fixup_redir), hook_uri2file and hook_fixup endings.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

#include "simulate/apache_internal.hpp"
#include "simulate/url.hpp"

namespace rl::apache_sim {

namespace {

constexpr int kMaxInternalRedirects = 10;  // LimitInternalRecursion default
constexpr int kMaxRounds = 10000;          // RewriteRule [N] default limit

bool known_status(int s) {
  return (s >= 100 && s <= 103) || (s >= 200 && s <= 208) || s == 226 || (s >= 300 && s <= 308 && s != 306) ||
         (s >= 400 && s <= 418) || (s >= 421 && s <= 426) || s == 428 || s == 429 || s == 431 || s == 451 ||
         (s >= 500 && s <= 508) || s == 510 || s == 511;
}

Outcome make_answer(int status, std::string note = {}) {
  Outcome o;
  o.kind = OutcomeKind::answer;
  o.status = known_status(status) ? status : 500;
  o.note = std::move(note);
  return o;
}

Outcome make_redirect(int status, std::string location) {
  if (!known_status(status)) {
    // httpd answers 500 but still sends the Location header (SEMANTICS 1.4, `Redirect 399`).
    Outcome o = make_answer(status, "status " + std::to_string(status) + " is unknown to httpd");
    o.location = std::move(location);
    return o;
  }
  Outcome o;
  o.kind = OutcomeKind::redirect;
  o.status = status;
  o.location = std::move(location);
  return o;
}

bool is_redirect_status(int s) { return s >= 300 && s <= 399; }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// mod_rewrite is_absolute_uri(): schemes it treats as absolute URLs ("mailto:" and "news:" have no "//").
std::size_t absolute_scheme_length(std::string_view s) {
  std::size_t n = url::scheme_length(s);
  if (n) return n;
  for (std::string_view p : {"mailto:", "news:"})
    if (s.size() > p.size() && url::iequals(s.substr(0, p.size()), p)) return p.size();
  return 0;
}

// mod_rewrite escape_absolute_uri(): the path after the authority is re-escaped.
std::string escape_absolute(std::string_view uri, std::size_t scheme_len) {
  std::size_t cp = scheme_len;
  if (uri[cp - 1] == '/') {
    while (cp < uri.size() && uri[cp] != '/') ++cp;
    if (cp >= uri.size() || cp + 1 >= uri.size()) return std::string(uri);
    ++cp;
  }
  return std::string(uri.substr(0, cp)) + url::apache_escape_path(uri.substr(cp));
}

// mod_alias alias_matches(): length of the URI matched by a segment prefix, 0 = no match.
std::size_t alias_matches(std::string_view uri, std::string_view alias) {
  std::size_t a = 0, u = 0;
  while (a < alias.size()) {
    if (alias[a] == '/') {
      if (u >= uri.size() || uri[u] != '/') return 0;
      while (a < alias.size() && alias[a] == '/') ++a;
      while (u < uri.size() && uri[u] == '/') ++u;
    } else {
      if (u >= uri.size() || uri[u] != alias[a]) return 0;
      ++u, ++a;
    }
  }
  if (!alias.empty() && alias.back() != '/' && u < uri.size() && uri[u] != '/') return 0;
  return u;
}

// mod_rewrite subst_prefix_path(): replaces directory prefix `match` of `input` with `subst`.
std::string subst_prefix_path(std::string_view input, std::string_view match, std::string_view subst) {
  std::size_t len = match.size();
  if (len && match[len - 1] == '/') --len;
  if (input.substr(0, len) != match.substr(0, len) || input.size() <= len || input[len] != '/') return std::string(input);
  std::string out(subst);
  if (out.empty() || out.back() != '/') out += '/';
  out += input.substr(len + 1);
  return out;
}

std::string cut_query(std::string& s, bool last) {
  std::size_t q = last ? s.rfind('?') : s.find('?');
  if (q == std::string::npos) return {};
  std::string rest = s.substr(q + 1);
  s.resize(q);
  return rest;
}

// Filesystem directories at the root that make mod_rewrite treat a server-context substitution as a
// file path (SEMANTICS 2.6, prefix_stat); a stock Debian root.
bool is_filesystem_prefix(std::string_view path) {
  static constexpr std::array<std::string_view, 19> dirs = {"bin", "boot", "dev",  "etc", "home", "lib", "lib64",
                                                            "media", "mnt", "opt", "proc", "root", "run", "sbin",
                                                            "srv",  "sys",  "tmp",  "usr", "var"};
  std::size_t end = path.find('/', 1);
  std::string_view first = path.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  return std::find(dirs.begin(), dirs.end(), first) != dirs.end();
}

std::string header_value(const Request& req, std::string_view name) {
  if (url::iequals(name, "Host")) return req.host;
  for (const auto& [k, v] : req.headers)
    if (url::iequals(k, name)) return v;
  return {};
}

}  // namespace

bool in_rule_context(const RuleSet& rs, const Rule& r) {
  for (int b = r.scope.block; b >= 0 && b != r.scope.server; b = rs.blocks[static_cast<std::size_t>(b)].parent) {
    const Block& blk = rs.blocks[static_cast<std::size_t>(b)];
    std::string name = url::lower(blk.directive);
    bool negated = !blk.argument.empty() && blk.argument[0] == '!';
    if (name == "ifmodule" || name == "ifversion") {
      if (negated) return false;
    } else if (name == "ifdefine") {
      if (!negated) return false;
    } else {
      return false;
    }
  }
  return true;
}

Engine::Engine(const RuleSet& rs, const Compiled& c, const Request& req, const SimOptions& opts)
    : rs_(rs), c_(c), req_(req), opts_(opts) {}

std::string Engine::docroot() const {
  std::string d = opts_.document_root;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  if (d == "/") d.clear();
  return d;
}

void Engine::fired_rule(const Rule& r, std::string url_after) {
  // Only the rule whose lookups were just expanded used the entry (a mod_alias rule has none).
  fired_.push_back({r.id, r.where, std::move(url_after), r.origin.directive == "RewriteRule" ? map_hit_ : SourceRange{}});
  map_hit_ = SourceRange{};
}

// ap_construct_url() with UseCanonicalName Off: the Host's name and port (SEMANTICS 0.4).
std::string Engine::construct_url(std::string_view path) const {
  url::HostPort hp = url::split_host(req_.host);
  std::string name = hp.name;
  if (name.empty() && server >= 0 && !rs_.blocks[static_cast<std::size_t>(server)].server_names.empty())
    name = rs_.blocks[static_cast<std::size_t>(server)].server_names.front();
  // ap_get_server_port(): the Host's port, else the ServerName's, else the scheme's default.
  return url::absolute_url(req_.scheme, name, hp.port ? *hp.port : server_port(), path);
}

// The port httpd gives the server (s->port): the port written on its ServerName, else 0.
int Engine::server_port() const {
  for (const Unmodelled& u : rs_.unmodelled) {
    if (!url::iequals(u.directive, "ServerName")) continue;
    int b = u.block;
    while (b >= 0 && rs_.blocks[static_cast<std::size_t>(b)].kind != BlockKind::server)
      b = rs_.blocks[static_cast<std::size_t>(b)].parent;
    if (b != server) continue;
    std::vector<std::string> words = directive_words(u.text);
    if (words.size() < 2) continue;
    std::string name = words[1];
    std::size_t scheme = name.find("://");
    if (scheme != std::string::npos) name = name.substr(scheme + 3);
    return url::split_host(name).port.value_or(0);
  }
  return 0;
}

// mod_alias RedirectRelative On (2.4.58+): relative targets stay relative. The vhost's own setting,
// else the main server's.
bool Engine::redirect_relative() const {
  std::optional<bool> own, main;
  for (const Unmodelled& u : rs_.unmodelled) {
    if (!url::iequals(u.directive, "RedirectRelative")) continue;
    std::vector<std::string> words = directive_words(u.text);
    if (words.size() < 2) continue;
    int b = u.block;
    while (b >= 0 && rs_.blocks[static_cast<std::size_t>(b)].kind != BlockKind::server)
      b = rs_.blocks[static_cast<std::size_t>(b)].parent;
    bool on = url::iequals(words[1], "on");
    if (b >= 0 && b == server) own = on;
    else if (b < 0) main = on;
  }
  return own.value_or(main.value_or(false));
}

// ap_directory_walk(): r->filename stops at the first path segment that is a file or does not exist;
// the rest of the URL-path is PATH_INFO.
void Engine::split_path_info(const std::string& path, std::string& filename, std::string& path_info) const {
  const std::string root = docroot();
  std::size_t pos = 0;
  while (pos < path.size()) {
    std::size_t start = path[pos] == '/' ? pos + 1 : pos;
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end == start) {
      pos = end;
      if (pos < path.size()) continue;
      break;
    }
    std::string prefix = path.substr(0, end);
    bool is_file = opts_.has_file(prefix);
    if (is_file || !dir_exists(root + prefix)) {
      filename = root + prefix;
      path_info = path.substr(end);
      return;
    }
    pos = end;
  }
  filename = root + path;
  path_info.clear();
}

bool Engine::file_exists(std::string_view path) const {
  std::string root = docroot();
  if (!starts_with(path, root + "/")) return false;
  std::string_view p = path.substr(root.size());
  return opts_.has_file(p);
}

bool Engine::dir_exists(std::string_view path) const {
  std::string root = docroot();
  if (path == root || path == root + "/") return true;
  if (!starts_with(path, root + "/")) return false;
  std::string p(path.substr(root.size()));
  if (p.size() > 1 && p.back() == '/') p.pop_back();
  if (rs_.format == Format::htaccess && (p + "/") == rs_.dir) return true;
  if (opts_.sorted) return opts_.has_dir(p) || opts_.has_dir(p + "/") || opts_.has_file_under(p);
  for (const std::string& d : opts_.existing_dirs) {
    std::string dd = d;
    if (dd.size() > 1 && dd.back() == '/') dd.pop_back();
    if (dd == p) return true;
  }
  return opts_.has_file_under(p);
}

// mod_rewrite lookup_variable(), on model names (`${http_host}`) and Apache names (`${var:NAME}`).
std::string Engine::variable(std::string_view name, const RewriteState* st) const {
  std::string n(name);
  if (starts_with(n, "http:")) return header_value(req_, n.substr(5));
  if (starts_with(n, "env:")) return env_value(std::string_view(n).substr(4));
  if (starts_with(n, "var:")) n = n.substr(4);
  std::string key = url::lower(n);
  if (starts_with(key, "map:")) return map_value(std::string_view(n).substr(4), nullptr, nullptr, st);
  url::HostPort hp = url::split_host(req_.host);
  url::SplitTarget raw = url::split_target(req_.target);
  const std::optional<std::string>& a = st ? st->args : args;
  if (key == "http_host") return req_.host;
  if (key == "host") return hp.name;
  if (key == "https") return req_.scheme == "https" ? "on" : "off";
  if (key == "scheme" || key == "request_scheme") return req_.scheme;
  if (key == "uri") return uri;
  if (key == "request_uri") return req_.target;
  if (key == "query" || key == "query_string" || key == "args") return a.value_or("");
  if (key == "is_args") return a ? "?" : "";
  if (key == "the_request") return req_.method + " " + req_.target + " HTTP/1.1";
  if (key == "method" || key == "request_method") return req_.method;
  if (key == "server_port") {
    int port = hp.port ? *hp.port : server_port();
    return std::to_string(port ? port : url::default_port(req_.scheme));
  }
  if (key == "server_name") {
    if (!hp.name.empty()) return hp.name;
    return server >= 0 && !rs_.blocks[static_cast<std::size_t>(server)].server_names.empty()
               ? rs_.blocks[static_cast<std::size_t>(server)].server_names.front()
               : std::string();
  }
  if (key == "server_protocol") return "HTTP/1.1";
  if (key == "document_root" || key == "context_document_root") return docroot();
  if (key == "request_filename" || key == "script_filename") {
    if (st) return st->filename;
    return rs_.format == Format::htaccess ? docroot() + uri : uri;
  }
  if (key == "remote_addr" || key == "server_addr") return "127.0.0.1";
  if (key == "is_subreq") return "false";
  if (starts_with(key, "http_")) {
    std::string h = n.substr(5);
    std::replace(h.begin(), h.end(), '_', '-');
    return header_value(req_, h);
  }
  return {};
}

bool Engine::conditions_hold(const Rule& r, const Captures* rule_caps, Captures& cond_caps, RewriteState& st) {
  const CompiledRule& cr = c_.rule(r);
  for (std::size_t i = 0; i < r.conds.size(); ++i) {
    const Condition& c = r.conds[i];
    const Captures* prev_caps = &cond_caps;
    std::string test = expand_template(cr.cond_test[i], [&](const TemplatePart& p) {
      return part_value(p, rule_caps, prev_caps, &st);
    });
    bool ok = false;
    const std::string& operand = c.pattern.text;
    auto cmp = [&](const std::string& a, const std::string& b) {
      return c.pattern.ignore_case ? url::lower(a).compare(url::lower(b)) : a.compare(b);
    };
    // compare_lexicography(): the longer string is the greater; equal lengths compare bytes; no [NC].
    auto lex = [](const std::string& a, const std::string& b) {
      if (a.size() != b.size()) return a.size() > b.size() ? 1 : -1;
      return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
    };
    if (c.op == CondOp::truthy && c.test == "${var:expr}") {
      std::string why;
      Tri t = expr_holds(operand, why);
      if (t == Tri::unknown && unknown_.empty()) unknown_ = why.empty() ? "a RewriteCond expr is not modelled" : why;
      ok = t == Tri::yes;
      if (c.pattern.negated) ok = !ok;
      if (c.or_next) {
        if (!ok) continue;
        while (i + 1 < r.conds.size() && r.conds[i].or_next) ++i;
        continue;
      }
      if (!ok) return false;
      continue;
    }
    switch (c.op) {
      case CondOp::regex: {
        if (!cr.cond_re[i]) break;
        Captures caps;
        MatchStatus m = cr.cond_re[i]->match(test, &caps);
        if (m == MatchStatus::limit) {
          st.limit_rule = &r;
          return false;
        }
        ok = m == MatchStatus::match;
        if (ok && !c.pattern.negated) cond_caps = std::move(caps);
        break;
      }
      case CondOp::equal: ok = cmp(test, operand) == 0; break;
      case CondOp::lt: ok = lex(test, operand) < 0; break;
      case CondOp::gt: ok = lex(test, operand) > 0; break;
      case CondOp::le: ok = lex(test, operand) <= 0; break;
      case CondOp::ge: ok = lex(test, operand) >= 0; break;
      case CondOp::int_eq: ok = std::atol(test.c_str()) == std::atol(operand.c_str()); break;
      case CondOp::int_ne: ok = std::atol(test.c_str()) != std::atol(operand.c_str()); break;
      case CondOp::int_lt: ok = std::atol(test.c_str()) < std::atol(operand.c_str()); break;
      case CondOp::int_gt: ok = std::atol(test.c_str()) > std::atol(operand.c_str()); break;
      case CondOp::int_le: ok = std::atol(test.c_str()) <= std::atol(operand.c_str()); break;
      case CondOp::int_ge: ok = std::atol(test.c_str()) >= std::atol(operand.c_str()); break;
      case CondOp::file_exists:
      case CondOp::size_nonzero:
      case CondOp::url_exists: ok = file_exists(test); break;
      case CondOp::dir_exists: ok = dir_exists(test); break;
      case CondOp::exists: ok = file_exists(test) || dir_exists(test); break;
      case CondOp::executable:
      case CondOp::symlink: ok = false; break;
      case CondOp::truthy: ok = !test.empty() && test != "0"; break;
    }
    if (c.op != CondOp::regex && c.pattern.negated) ok = !ok;
    if (c.op == CondOp::regex && c.pattern.negated) ok = !ok;
    if (c.or_next) {
      if (!ok) continue;
      while (i + 1 < r.conds.size() && r.conds[i].or_next) ++i;  // the rest of the [OR] chain is skipped
      continue;
    }
    if (!ok) return false;
  }
  return true;
}

std::string_view Engine::rule_subject(const std::string& perdir, const RewriteState& st, std::string& buf) {
  if (perdir.empty()) return st.filename;
  // Per-directory: the PATH_INFO split off by the directory walk is appended again to whatever
  // r->filename is now, at every rule ("add path info postfix"; visible with [N]).
  buf = st.filename + st.path_info;
  std::string_view subject = buf;
  if (starts_with(subject, perdir)) subject.remove_prefix(perdir.size());
  return subject;
}

Engine::RuleResult Engine::apply_rule(const Rule& r, const std::string& perdir, RewriteState& st) {
  const CompiledRule& cr = c_.rule(r);
  if (!cr.re) return RuleResult::no_match;
  map_hit_ = SourceRange{};
  std::string full;
  std::string_view subject = rule_subject(perdir, st, full);
  Captures rule_caps;
  MatchStatus m = cr.re->match(subject, &rule_caps);
  if (m == MatchStatus::limit) {
    st.limit_rule = &r;
    return RuleResult::limit;
  }
  bool matched = m == MatchStatus::match;
  if (matched == r.match.negated) return RuleResult::no_match;
  const Captures* rcaps = r.match.negated ? nullptr : &rule_caps;
  Captures cond_caps;
  if (!conditions_hold(r, rcaps, cond_caps, st)) return st.limit_rule ? RuleResult::limit : RuleResult::no_match;

  if (r.action == Action::answer) {
    st.forced = r.status;
    fired_rule(r, "");
    return RuleResult::status;
  }
  if (r.action == Action::none || !r.target) {
    set_env(r, rcaps, &cond_caps, st);
    fired_rule(r, st.filename);
    return RuleResult::no_substitution;
  }

  // do_expand(): back-references are decoded text; [B] escapes them; a '?' brought in by an expansion
  // before any literal '?' is refused with 403 unless [UnsafeAllow3F] (SEMANTICS 2.9).
  bool seen_q = false, unsafe = false;
  std::string out;
  for (const TemplatePart& p : cr.target) {
    if (p.kind == PartKind::literal) {
      seen_q = seen_q || p.text.find('?') != std::string::npos;
      out += p.text;
      continue;
    }
    std::string v;
    if (p.kind == PartKind::variable) {
      v = part_value(p, rcaps, &cond_caps, &st);
    } else {
      v = capture_value(p.kind == PartKind::rule_capture ? rcaps : &cond_caps, p.index);
      if (r.flags->b || !r.flags->b_chars.empty()) v = url::apache_escape_backref(v, r.flags->b_chars, r.flags->bnp);
    }
    if (!seen_q && v.find('?') != std::string::npos) unsafe = true;
    seen_q = seen_q || v.find('?') != std::string::npos;
    out += v;
  }
  set_env(r, rcaps, &cond_caps, st);
  if (unsafe && !r.flags->unsafe_allow_3f) {
    st.forced = 403;
    fired_rule(r, "");
    return RuleResult::status;
  }

  // splitout_queryargs()
  std::size_t scheme_len = absolute_scheme_length(out);
  // QueryMode::drop without QSD is mod_rewrite's QSNONE (a trailing '?'): no query, nothing parsed.
  const bool no_parse = r.target->query == QueryMode::drop && !r.flags->qsd;
  const bool query_scheme = !scheme_len || starts_with(url::lower(out), "http");
  if (no_parse) {
    st.args.reset();
  } else if (query_scheme) {
    if (r.flags->qsd) st.args.reset();
    if (out.find('?') != std::string::npos) {
      std::string qs = cut_query(out, r.flags->qsl);
      if (r.flags->qsa) {
        if (!qs.empty()) st.args = qs + "&" + st.args.value_or("");
      } else {
        st.args = qs;
      }
      if (st.args) {
        if (st.args->empty()) st.args.reset();
        else if (st.args->back() == '&') st.args->pop_back();
      }
    }
  }
  if (!perdir.empty() && (out.empty() || out[0] != '/') && !scheme_len) out = perdir + out;

  st.filename = out;
  st.noescape = r.flags->ne;
  if (cr.explicit_r) {
    // fully_qualify_uri()
    if (!absolute_scheme_length(st.filename))
      st.filename = construct_url((st.filename.empty() || st.filename[0] != '/' ? "/" : "") + st.filename);
    st.status = r.status;
  }
  fired_rule(r, st.filename + (st.args ? "?" + *st.args : ""));
  return RuleResult::matched;
}

ListResult Engine::apply_list(const RuleList& list, const std::string& perdir, RewriteState& st) {
  const std::vector<const Rule*>& rules = list.rules;
  bool changed = false;
  int rounds = 0;
  // Indexed lists try only the candidates for the subject the patterns see now; they are looked up
  // again whenever a rule has changed r->filename (PATH_INFO does not change within a list).
  std::vector<std::uint32_t> cands;
  std::string cands_for, subject_buf;
  bool have_cands = false;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (list.indexed) {
      if (!have_cands || cands_for != st.filename) {
        list.candidates(rule_subject(perdir, st, subject_buf), cands);
        cands_for = st.filename;
        have_cands = true;
      }
      auto next = std::lower_bound(cands.begin(), cands.end(), static_cast<std::uint32_t>(i));
      if (next == cands.end()) break;
      i = *next;
    }
    const Rule& r = *rules[i];
    RuleResult rc = apply_rule(r, perdir, st);
    if (rc == RuleResult::limit) return ListResult::limit;
    if (rc == RuleResult::no_match) {
      // A failed rule of a [C] chain skips the rest of the chain.
      while (i < rules.size() && rules[i]->flags->chain) ++i;
      continue;
    }
    if (rc == RuleResult::status) return ListResult::status;
    changed = true;
    if (r.flags->pt) {
      st.passthrough = true;
      break;
    }
    if (r.flow == Flow::end || r.flags->end) {
      st.end = true;
      break;
    }
    if (r.flow == Flow::stop || r.flags->last) break;
    if (r.flow == Flow::restart) {
      int max = r.flags->next_max > 0 ? r.flags->next_max : kMaxRounds;
      if (++rounds >= max) {
        st.forced = 500;
        return ListResult::status;
      }
      i = static_cast<std::size_t>(-1);
      continue;
    }
    if (r.flags->skip > 0) i += static_cast<std::size_t>(r.flags->skip);
  }
  return changed ? ListResult::changed : ListResult::declined;
}

// mod_alias: first match in file order (SEMANTICS 1.1-1.7).
std::optional<Outcome> Engine::try_aliases(const RuleList& aliases) {
  // Indexed lists try only the candidates for this URL-path (a path with "//" tries every rule:
  // alias_matches() lets one '/' of a Redirect path match several).
  std::vector<std::uint32_t> cands;
  const bool indexed = aliases.indexed && uri.find("//") == std::string::npos;
  if (indexed) aliases.candidates(uri, cands);
  const std::size_t count = indexed ? cands.size() : aliases.rules.size();
  for (std::size_t k = 0; k < count; ++k) {
    const Rule& r = *aliases.rules[indexed ? cands[k] : k];
    const CompiledRule& cr = c_.rule(r);
    std::string found;
    if (r.match.kind == MatchKind::regex) {
      if (!cr.re) continue;
      Captures caps;
      MatchStatus m = cr.re->match(uri, &caps);
      if (m == MatchStatus::limit) {
        Outcome o;
        o.kind = OutcomeKind::limit;
        o.note = "regex match limit reached in rule at line " + std::to_string(r.where.line);
        o.fired = fired_;
        return o;
      }
      if (m != MatchStatus::match) continue;
      if (is_redirect_status(r.status) && r.target) {
        // ap_pregsub(), then apr_uri_parse: the path is escaped, query and fragment are not.
        std::string sub = expand_template(cr.target, [&](const TemplatePart& p) {
          return p.kind == PartKind::rule_capture ? capture_value(&caps, p.index) : std::string();
        });
        std::string head, rest = sub;
        url::UrlParts parts;
        if (url::split_absolute(sub, parts)) {
          url::HostPort hp = url::split_host(parts.authority);
          std::string authority = parts.authority;
          if (hp.port && *hp.port == url::default_port(url::lower(parts.scheme)))
            authority = authority.substr(0, authority.rfind(':'));
          head = parts.scheme + "://" + authority;
          rest = parts.rest;
        }
        std::size_t cut = rest.find_first_of("?#");
        std::string path = rest.substr(0, cut);
        std::string tail = cut == std::string::npos ? "" : rest.substr(cut);
        std::string query, fragment;
        bool has_query = false, has_fragment = false;
        if (!tail.empty() && tail[0] == '?') {
          std::size_t hash = tail.find('#');
          query = tail.substr(1, hash == std::string::npos ? std::string::npos : hash - 1);
          has_query = true;
          if (hash != std::string::npos) fragment = tail.substr(hash + 1), has_fragment = true;
        } else if (!tail.empty()) {
          fragment = tail.substr(1), has_fragment = true;
        }
        found = url::apache_escape_path(head + path);
        if (has_query) found += "?" + query;
        if (has_fragment) found += "#" + fragment;
      }
    } else {
      std::size_t l = alias_matches(uri, r.match.text);
      if (l == 0) continue;
      if (is_redirect_status(r.status) && r.target)
        found = expand_template(cr.target, [](const TemplatePart&) { return std::string(); }) +
                url::apache_escape_path(std::string_view(uri).substr(l));
    }
    fired_rule(r, found);
    if (!is_redirect_status(r.status)) {
      Outcome o = make_answer(r.status);
      o.fired = fired_;
      return o;
    }
    if (found.empty() || (found[0] != '/' && !absolute_scheme_length(found))) {
      // fixup_redir(): "cannot redirect ... target is not a valid absoluteURI or abs_path" (a
      // RedirectMatch back-reference hides this from the start-up check).
      Outcome o = make_answer(500, "the redirect target " + found + " is neither an absolute URL nor a /path");
      o.fired = fired_;
      return o;
    }
    if (!found.empty() && found[0] == '/' && !redirect_relative()) found = construct_url(found);
    if (args && found.find('?') == std::string::npos) found += "?" + *args;
    fired_.back().url_after = found;
    Outcome o = make_redirect(r.status, found);
    o.fired = fired_;
    return o;
  }
  return std::nullopt;
}

// The end of hook_uri2file / hook_fixup for a rewrite to an absolute URL: an external redirect.
Outcome Engine::finish_absolute(RewriteState& st, const std::optional<std::string>& orig_args) {
  std::size_t scheme_len = absolute_scheme_length(st.filename);
  std::string loc = st.noescape ? st.filename : escape_absolute(st.filename, scheme_len);
  if (st.args) {
    bool noescape = st.noescape || (orig_args && *orig_args == *st.args);
    loc += "?" + (noescape ? *st.args : url::apache_escape_path(*st.args));
  }
  Outcome o = make_redirect(is_redirect_status(st.status) ? st.status : 302, loc);
  o.fired = fired_;
  return o;
}

Outcome Engine::run_server(const ContextLists& lists) {
  const RuleList& rewrites = lists.rewrites;
  const RuleList& aliases = lists.aliases;
  RewriteState st;
  st.filename = uri;
  st.args = args;
  const std::optional<std::string> orig_args = args;
  ListResult lr = rewrites.rules.empty() ? ListResult::declined : apply_list(rewrites, "", st);
  auto with_fired = [&](Outcome o) {
    o.fired = fired_;
    return o;
  };
  switch (lr) {
    case ListResult::limit: {
      Outcome o;
      o.kind = OutcomeKind::limit;
      o.note = "regex match limit reached in rule at line " + std::to_string(st.limit_rule->where.line);
      return with_fired(o);
    }
    case ListResult::status: return with_fired(make_answer(st.forced));
    case ListResult::declined: break;
    case ListResult::changed:
      if (absolute_scheme_length(st.filename)) return finish_absolute(st, orig_args);
      args = st.args;
      if (st.passthrough) {
        uri = st.filename;  // [PT]: mod_alias sees the new URL-path
        break;
      }
      if (st.filename.empty() || st.filename[0] != '/') return with_fired(make_answer(400, "rewritten to a relative path"));
      if (is_filesystem_prefix(st.filename))
        return with_fired(make_answer(403, "rewritten to the file-system path " + st.filename));
      {
        // Rewritten to a URL-path: mod_alias translate_name does not run any more (SEMANTICS 2.11).
        if (auto sections = run_sections(lists, true)) return *sections;
        Outcome o;
        o.final_path = st.filename + (st.args ? "?" + *st.args : "");
        o.note = "internal rewrite to " + o.final_path;
        return with_fired(o);
      }
  }
  if (auto o = try_aliases(aliases)) return *o;
  if (auto o = run_sections(lists, false)) return *o;
  Outcome o;
  o.final_path = uri + (args ? "?" + *args : "");
  return with_fired(o);
}

Outcome Engine::run_per_dir() {
  const std::string dir = rs_.dir.empty() ? "/" : rs_.dir;
  const std::string root = docroot();
  perdir_ = root + dir;
  const ContextLists& lists = c_.per_dir_lists();
  const RuleList& rewrites = lists.rewrites;
  const RuleList& aliases = lists.aliases;
  const bool engine = rs_.rewrite_engine.value_or(false);
  bool end_note = false;
  auto with_fired = [&](Outcome o) {
    o.fired = fired_;
    return o;
  };
  for (int redirects = 0;; ++redirects) {
    // The .htaccess is read only for requests that map into its directory.
    std::string dir_no_slash = dir.size() > 1 ? dir.substr(0, dir.size() - 1) : dir;
    if (!starts_with(uri, dir) && uri != dir_no_slash) {
      Outcome o;
      o.final_path = uri + (args ? "?" + *args : "");
      return with_fired(o);
    }
    std::optional<std::string> internal;  // the URL of an internal redirect, if mod_rewrite asked for one
    if (engine && !end_note && !rewrites.rules.empty()) {
      RewriteState st;
      split_path_info(uri, st.filename, st.path_info);
      st.args = args;
      const std::string ofilename = st.filename;
      const std::optional<std::string> orig_args = args;
      ListResult lr = apply_list(rewrites, perdir_, st);
      if (lr == ListResult::limit) {
        Outcome o;
        o.kind = OutcomeKind::limit;
        o.note = "regex match limit reached in rule at line " + std::to_string(st.limit_rule->where.line);
        return with_fired(o);
      }
      if (lr == ListResult::status) return with_fired(make_answer(st.forced));
      if (st.end) end_note = true;
      if (lr == ListResult::changed) {
        if (std::size_t n = absolute_scheme_length(st.filename)) {
          if (rs_.rewrite_base) {
            std::size_t slash = st.filename.find('/', n);
            if (slash != std::string::npos && slash + 1 < st.filename.size())
              st.filename = st.filename.substr(0, slash) +
                            subst_prefix_path(std::string_view(st.filename).substr(slash), perdir_, *rs_.rewrite_base);
          }
          return finish_absolute(st, orig_args);
        }
        args = st.args;
        // [PT] changes nothing here: per-directory rewrites are internal redirects either way.
        if (st.filename != ofilename) {
          std::string next = st.filename;
          if (rs_.rewrite_base) {
            next = subst_prefix_path(next, perdir_, *rs_.rewrite_base);
          } else if (starts_with(next, root + "/")) {
            next = next.substr(root.size());
          }
          internal = next;
        }
      }
    }
    // Sections of the .htaccess (<If>, <Files>) are not simulated: where one applies, the answer is unknown.
    if (auto o = run_sections(lists, true)) return *o;
    // mod_alias fixups run after mod_rewrite's, on this request's URL-path.
    if (auto o = try_aliases(aliases)) return *o;
    if (!internal) {
      Outcome o;
      o.final_path = uri + (args ? "?" + *args : "");
      return with_fired(o);
    }
    if (redirects >= kMaxInternalRedirects)
      return with_fired(make_answer(500, "more than 10 internal redirects (LimitInternalRecursion)"));
    // ap_internal_redirect(): the new URL is parsed and decoded like a request line.
    std::string decoded;
    if (int st = url::apache_decode_path(*internal, decoded); st != 0) return with_fired(make_answer(st));
    uri = decoded;
    next_internal_request_env();
  }
}

}  // namespace rl::apache_sim
