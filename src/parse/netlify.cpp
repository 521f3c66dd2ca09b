// `_redirects` (Netlify / Cloudflare Pages) → model. The grammar is grammar/netlify.hpp (it also lists
// the deviations from the providers); this file holds the actions and the mapping into the model:
// - literal source → MatchKind::exact with optional_trailing_slash (Netlify normalises `/a/` and `/a`);
// - splat / placeholders → regex with named groups `splat` and the placeholder names, the trailing
//   slash optional; targets use `${splat}`, `${ph:NAME}` and `${arg:KEY}` (query placeholders);
// - 200 = internal rewrite (status 0), 3xx = redirect, 4xx/5xx = answer (custom page kept as target).
#include <tao/pegtl.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

#include "grammar/netlify.hpp"
#include "parse/netlify_rule.hpp"
#include "parse/parse.hpp"
#include "parse/yaml_util.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

namespace g = grammar::netlify;
namespace pegtl = tao::pegtl;
using file_rules::ascii_lower;
using file_rules::template_literal;

/// One token of the current line: byte offsets into the file.
struct Tok {
  std::size_t begin = 0, end = 0;
  std::string_view text;
};

struct LineParts {
  bool active = false;  // a rule line is being read
  Tok from;
  std::vector<Tok> query;  // key=value tokens before `to`
  std::optional<Tok> to;
  std::optional<Tok> status;  // as written, `!` included
  std::vector<Tok> conds;     // Key=value tokens after `to`
  std::vector<Tok> junk;
  std::optional<Tok> comment;  // trailing comment
  std::size_t end = 0;         // end of the last token (comment excluded)
};

struct State {
  SourceFiles& files;
  FileId id;
  const ParseOptions& opts;
  RuleSet& rs;
  const char* base;
  LineParts line;
  bool comment_line = false;  // the current line is a comment line
  std::vector<std::string> pending_comments;
  netlify_rule::Counters counters;
};

template <typename In>
Tok token(const In& in, const State& st) {
  return Tok{static_cast<std::size_t>(in.begin() - st.base), static_cast<std::size_t>(in.end() - st.base),
             std::string_view(in.begin(), in.size())};
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<g::from> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.line = LineParts{};
    st.line.active = true;
    st.line.from = token(in, st);
    st.line.end = st.line.from.end;
  }
};

/// Records a token into one of the line's lists and moves the line's end.
template <std::vector<Tok> LineParts::*List>
struct push_token {
  template <typename In>
  static void apply(const In& in, State& st) {
    Tok t = token(in, st);
    (st.line.*List).push_back(t);
    st.line.end = t.end;
  }
};

template <>
struct action<g::query_pair> : push_token<&LineParts::query> {};
template <>
struct action<g::condition> : push_token<&LineParts::conds> {};
template <>
struct action<g::junk> : push_token<&LineParts::junk> {};

template <>
struct action<g::to> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.line.to = token(in, st);
    st.line.end = st.line.to->end;
  }
};

template <>
struct action<g::status> {
  template <typename In>
  static void apply(const In& in, State& st) {
    st.line.status = token(in, st);
    st.line.end = st.line.status->end;
  }
};

template <>
struct action<g::comment> {
  template <typename In>
  static void apply(const In& in, State& st) {
    Tok t = token(in, st);
    if (st.line.active) {
      st.line.comment = t;
    } else {
      st.comment_line = true;
      st.pending_comments.emplace_back(t.text);
    }
  }
};

void build_rule(State& st);

template <>
struct action<g::rule_line> {
  template <typename In>
  static void apply(const In&, State& st) {
    build_rule(st);
  }
};

template <>
struct action<g::line> {
  template <typename In>
  static void apply(const In&, State& st) {
    // Comments directly above a rule belong to it; a blank line or a rule ends the run.
    if (st.line.active || !st.comment_line) st.pending_comments.clear();
    st.line = LineParts{};
    st.comment_line = false;
  }
};

// ---------------------------------------------------------------------------------------------

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// The source path turned into a model pattern.
struct SourcePattern {
  Pattern pattern;
  std::vector<std::string> placeholders;
  bool splat = false;
  std::string error;  // non-empty: the source cannot be used
};

SourcePattern source_pattern(std::string_view path) {
  SourcePattern out;
  out.pattern.original = std::string(path);
  // Literal pieces are kept raw here and decoded per piece, so that `%2A` stays a literal `*`.
  std::string regex = "^";
  std::string literal;  // pending raw literal text
  auto flush = [&] {
    regex += regex_escape(file_rules::percent_decode(literal));
    literal.clear();
  };
  bool dynamic = false;
  bool ends_with_splat_segment = false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '*') {
      dynamic = true;
      for (const std::string& p : out.placeholders)
        if (p == "splat") out.error = "\":splat\" names the `*` match; it cannot also be a placeholder";
      if (i + 1 == path.size() && !literal.empty() && literal.back() == '/' && !out.splat) {
        literal.pop_back();  // `/x/*` also matches `/x` and `/x/` (Netlify normalises the trailing slash)
        flush();
        regex += "(?:/(?<splat>.*))?";
        ends_with_splat_segment = true;
      } else {
        flush();
        regex += out.splat ? ".*" : "(?<splat>.*)";
      }
      out.splat = true;
      continue;
    }
    if (c == ':' && (i == 0 || path[i - 1] == '/') && i + 1 < path.size() && is_name_start(path[i + 1])) {
      std::size_t e = i + 1;
      while (e < path.size() && is_name_char(path[e])) ++e;
      std::string name(path.substr(i + 1, e - i - 1));
      for (const std::string& p : out.placeholders)
        if (p == name) out.error = "placeholder \":" + name + "\" appears twice in \"" + std::string(path) + "\"";
      if (name == "splat" && out.splat) out.error = "\":splat\" names the `*` match; it cannot also be a placeholder";
      if (name.size() > 32) out.error = "placeholder name \":" + name + "\" is longer than 32 characters";
      flush();
      regex += "(?<" + name + ">[^/]+)";
      out.placeholders.push_back(std::move(name));
      dynamic = true;
      i = e - 1;
      continue;
    }
    literal.push_back(c);
  }
  if (!dynamic) {
    out.pattern.kind = MatchKind::exact;
    out.pattern.text = file_rules::percent_decode(literal);
    out.pattern.optional_trailing_slash = out.pattern.text != "/";
    return out;
  }
  if (!ends_with_splat_segment) {
    if (!literal.empty() && literal.back() == '/') literal.pop_back();
    flush();
    regex += "/?";
  }
  regex += "$";
  out.pattern.kind = MatchKind::regex;
  out.pattern.text = std::move(regex);
  return out;
}

/// The `to` token as a Target template: `:splat`, `:placeholder` and query placeholders substituted.
std::string target_template(std::string_view to, const SourcePattern& src,
                            const std::vector<std::pair<std::string, std::string>>& query_names) {
  std::string out;
  std::size_t lit_begin = 0;
  auto flush = [&](std::size_t upto) {
    out += template_literal(to.substr(lit_begin, upto - lit_begin));
  };
  for (std::size_t i = 0; i < to.size(); ++i) {
    if (to[i] != ':' || i + 1 >= to.size() || !is_name_start(to[i + 1])) continue;
    std::size_t e = i + 1;
    while (e < to.size() && is_name_char(to[e])) ++e;
    std::string name(to.substr(i + 1, e - i - 1));
    std::string replacement;
    if (name == "splat" && (src.splat || std::find(src.placeholders.begin(), src.placeholders.end(), name) != src.placeholders.end())) {
      replacement = "${splat}";  // the `*` match, or a `:splat` placeholder (same group name)
    } else {
      for (const std::string& p : src.placeholders)
        if (p == name) replacement = "${ph:" + name + "}";
      for (const auto& [ph, key] : query_names)
        if (ph == name && replacement.empty()) replacement = "${arg:" + key + "}";
    }
    if (replacement.empty()) continue;  // `:8080`, `:unknown`: literal text, as Netlify leaves it
    flush(i);
    out += replacement;
    lit_begin = e;
    i = e - 1;
  }
  flush(to.size());
  return out;
}

std::string list_regex(std::string_view values) {
  std::string re = "^(?:";
  std::size_t b = 0;
  bool first = true;
  while (b <= values.size()) {
    std::size_t e = values.find(',', b);
    if (e == std::string_view::npos) e = values.size();
    std::string_view v = values.substr(b, e - b);
    if (!v.empty()) {
      if (!first) re += "|";
      re += regex_escape(v);
      first = false;
    }
    b = e + 1;
  }
  return re + ")$";
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string with_commas(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

void build_rule(State& st) {
  LineParts& p = st.line;
  auto range = [&](std::size_t b, std::size_t e) { return st.files.range(st.id, b, e); };
  auto field = [&](const Tok& t) { return netlify_rule::Field{std::string(t.text), range(t.begin, t.end)}; };
  bool ok = true;
  std::string from_q = "\"" + std::string(p.from.text) + "\"";
  for (const Tok& j : p.junk) {
    std::string q = "\"" + std::string(j.text) + "\"";
    std::string msg = &j == &p.junk.front() && !p.to && !p.status
                          ? "expected a destination path starting with '/' or an http(s):// URL after " + from_q + ", found " + q
                      : &j == &p.junk.front() && !p.status
                          ? "expected a status code or a Key=value condition after the destination, found " + q
                          : "unexpected " + q + " (conditions are written Key=value, a comment starts with '#')";
    st.rs.parse_diags.push_back(make_diagnostic("RL001", range(j.begin, j.end), std::move(msg)));
    ok = false;
  }
  netlify_rule::Fields f;
  f.from = field(p.from);
  for (const Tok& q : p.query) f.query.push_back(field(q));
  if (p.to) f.to = field(*p.to);
  f.after_from = range(p.from.end, p.from.end);
  f.junk = !p.junk.empty();
  if (p.status) f.status = field(*p.status);
  for (const Tok& c : p.conds) f.conds.push_back(field(c));
  f.where = range(p.from.begin, p.end);
  f.original = std::string(st.files.get(st.id).text.substr(p.from.begin, p.end - p.from.begin));
  f.comments = std::move(st.pending_comments);
  st.pending_comments.clear();
  if (p.comment) {
    std::string_view c = p.comment->text.substr(1);
    while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
    if (c.find("redirlint") == std::string_view::npos) f.note = std::string(c);
  }
  // An unexpected token after the destination is only reported when the destination itself is missing.
  bool junk_blocks = ok;
  netlify_rule::add_rule(f, Format::netlify, "_redirects", st.opts, st.counters, st.rs, junk_blocks);
}

}  // namespace

namespace netlify_rule {

void add_rule(const Fields& p, Format format, std::string_view directive, const ParseOptions& opts, Counters& counters,
              RuleSet& rs, bool ok) {
  auto tok_range = [](const Field& t) { return t.where; };
  auto report = [&](std::string_view code, SourceRange where, std::string msg) {
    rs.parse_diags.push_back(make_diagnostic(code, where, std::move(msg)));
  };
  auto error = [&](std::string_view code, SourceRange where, std::string msg) {
    report(code, where, std::move(msg));
    ok = false;
  };
  std::string from_q = "\"" + std::string(p.from.text) + "\"";
  if (p.from.text.empty()) {
    report("RL001", p.from.where, "the source is empty: write a path starting with '/' or an http(s):// URL");
    return;
  }

  Rule r;
  r.force = p.force;
  r.origin = Origin{format, std::string(directive)};
  r.where = p.where;
  r.original = p.original;
  const bool pages = format == Format::netlify;  // Cloudflare Pages reads `_redirects` only
  if (pages && utf8_length(r.original) > opts.provider_max_line) {
    Diagnostic d = make_diagnostic("RL007", r.where,
                                   "rule is " + with_commas(utf8_length(r.original)) + " characters long: Cloudflare Pages ignores a redirect longer than " +
                                       with_commas(opts.provider_max_line) + " characters");
    rs.parse_diags.push_back(std::move(d));
  }

  // Source: a path or a domain-level URL.
  std::string path(p.from.text);
  std::string scheme, host;
  if (file_rules::split_url(p.from.text, scheme, host, path)) {
    r.scope.hosts.push_back(host);
    r.scope.schemes.push_back(scheme);
    if (host.empty()) error("RL001", tok_range(p.from), "the source URL " + from_q + " has no host name");
  } else if (p.from.text.front() != '/') {
    // Netlify's parser accepts it, but a request path always starts with '/': warn, read it as "/x".
    Diagnostic d = make_diagnostic("RL001", tok_range(p.from), "the source " + from_q + " does not start with '/'; write \"/" +
                                                                   std::string(p.from.text) + "\" (read as such)");
    d.severity = Severity::warning;
    rs.parse_diags.push_back(std::move(d));
    path.insert(path.begin(), '/');
  }
  if (path.rfind("/.netlify", 0) == 0)
    error("RL001", tok_range(p.from), "the source " + from_q + " is under /.netlify, which Netlify reserves");

  // Status and force.
  int status = 301;
  bool implicit = true;
  if (p.status) {
    std::string_view digits = p.status->text;
    bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end() - (digits.back() == '!'), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits.empty() && digits.back() == '!') {
      r.force = true;
      digits.remove_suffix(1);
    }
    implicit = false;
    status = numeric && digits.size() <= 3 ? std::stoi(std::string(digits)) : 0;
    bool known = status == 200 || status == 301 || status == 302 || status == 303 || status == 307 || status == 308 ||
                 (status >= 400 && status <= 599);
    if (!known)
      error("RL004", tok_range(*p.status),
            "status " + std::string(digits) + " is not valid in " + std::string(directive) + " (200 rewrite, 301 302 303 307 308 redirect, 4xx/5xx answer)");
  }

  SourcePattern src = source_pattern(path);
  if (!src.error.empty()) error("RL001", tok_range(p.from), src.error);
  r.match = src.pattern;

  // Query parameter matching: `id=:id` (present, any value) or `id=value` (that value).
  std::vector<std::pair<std::string, std::string>> query_names;  // placeholder → parameter
  for (const Field& q : p.query) {
    std::size_t eq = q.text.find('=');
    std::string key(q.text.substr(0, eq)), value(q.text.substr(eq + 1));
    Condition c;
    c.test = "${arg:" + key + "}";
    c.where = tok_range(q);
    c.original = std::string(q.text);
    c.pattern.original = value;
    if (value.size() > 1 && value[0] == ':' && is_name_start(value[1])) {
      query_names.emplace_back(value.substr(1), key);
      c.op = CondOp::regex;
      c.pattern.text = ".";  // Netlify needs a value: `?id` and `?id=` do not match
    } else {
      c.op = CondOp::equal;
      c.pattern.text = value;
    }
    r.conds.push_back(std::move(c));
  }

  // Conditions after the destination.
  for (const Field& t : p.conds) {
    std::size_t eq = t.text.find('=');
    std::string key(t.text.substr(0, eq));
    std::string_view value = std::string_view(t.text).substr(eq + 1);
    std::string lkey = ascii_lower(key);
    if (lkey == "sign" || lkey == "signed" || lkey == "signing") {
      rs.parse_diags.push_back(make_diagnostic("RL006", tok_range(t), "signed proxy header \"" + std::string(t.text) + "\" is not modelled"));
      continue;
    }
    if (lkey != "country" && lkey != "language" && lkey != "role" && lkey != "cookie") {
      // Netlify ignores a condition it does not know, so the rule stays, without it.
      std::string near = file_rules::did_you_mean(key, {"Country", "Language", "Role", "Cookie"});
      report("RL002", tok_range(t),
            "unknown condition \"" + key + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)") +
                "; known: Country, Language, Role, Cookie");
      continue;
    }
    Condition c;
    c.test = "${" + lkey + "}";
    c.op = CondOp::regex;
    c.pattern.text = list_regex(value);
    c.pattern.original = std::string(value);
    c.pattern.ignore_case = lkey == "country" || lkey == "language";
    c.where = tok_range(t);
    c.original = std::string(t.text);
    r.conds.push_back(std::move(c));
  }

  // Destination (a forward rule `/x/* 200` may leave it out: it then is the source with `:splat`).
  std::string to;
  if (p.to) {
    to = std::string(p.to->text);
  } else if (status >= 200 && status < 300 && path.size() >= 2 && path.compare(path.size() - 2, 2, "/*") == 0) {
    to = path.substr(0, path.size() - 2) + "/:splat";
  } else if (!p.junk) {
    error("RL001", p.after_from, "the rule " + from_q + " has no destination (a path starting with '/' or an http(s):// URL)");
  }

  if (!ok) return;

  Target target;
  target.url = target_template(to, src, query_names);
  std::string lower_to = ascii_lower(to.substr(0, 8));
  target.absolute = lower_to.rfind("http://", 0) == 0 || lower_to.rfind("https://", 0) == 0;
  target.query = !query_names.empty() || !p.query.empty() ? QueryMode::drop
                 : to.find('?') != std::string::npos      ? QueryMode::replace
                                                          : QueryMode::keep;
  r.status = status;
  r.status_implicit = implicit;
  if (status == 200) {
    r.action = Action::rewrite;
    r.status = 0;
    if (target.absolute)
      rs.parse_diags.push_back(make_diagnostic("RL006", r.where, "200 to an external URL is a proxy; analysis treats " + from_q + " as answered by the proxied site"));
  } else if (status >= 300 && status < 400) {
    r.action = Action::redirect;
  } else {
    r.action = Action::answer;
  }
  r.target = std::move(target);
  r.flow = Flow::stop;
  if (!p.comments.empty()) r.notes->comments = p.comments;
  if (!p.note.empty()) r.notes->note = p.note;

  // Cloudflare Pages limits: once, at the first rule past each limit.
  bool dynamic = r.match.kind == MatchKind::regex;
  std::size_t& count = dynamic ? counters.dynamic_rules : counters.static_rules;
  std::size_t limit = dynamic ? opts.provider_max_dynamic : opts.provider_max_static;
  if (++count == limit + 1 && pages)
    rs.parse_diags.push_back(make_diagnostic(
        "RL007", r.where,
        "rule " + from_q + " is " + (dynamic ? "dynamic" : "static") + " rule number " + with_commas(count) +
            ": Cloudflare Pages accepts at most " + with_commas(opts.provider_max_static) + " static and " +
            with_commas(opts.provider_max_dynamic) + " dynamic (splat or placeholder) redirects"));

  r.id = static_cast<RuleId>(rs.rules.size());
  rs.rules.push_back(std::move(r));
}

}  // namespace netlify_rule

RuleSet parse_netlify(SourceFiles& files, FileId id, const ParseOptions& opts) {
  return file_rules::read_rule_file(files, id, Format::netlify, [&](RuleSet& rs) {
    const std::string& text = files.get(id).text;
    rs.rules.reserve(file_rules::count_occurrences(text, "\n") + 1);  // at most one rule a line
    State st{files, id, opts, rs, text.data(), {}, false, {}, {}};
    pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), files.path(id));
    pegtl::parse<g::file, action>(in, st);
  });
}

}  // namespace rl
