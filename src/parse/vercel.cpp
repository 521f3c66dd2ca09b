// vercel.json → model (docs/formats/vercel.md). `redirects` entries become redirects that apply before
// the filesystem (Rule::force), `rewrites` entries internal rewrites that apply only when no file
// answers; both are first match in file order. Sources are path-to-regexp 6 patterns compiled as
// Vercel compiles them (strict, case-sensitive, anchored): `:name` → `(?<name>[^/#?]+?)`, `:name*`,
// `:name+`, `:name?`, `(regex)`, `{...}` groups. `has` / `missing` become conditions.
// JSON is read by nlohmann's SAX parser through an iterator that records how far the lexer read, which
// gives each value its byte range (nlohmann 3.11 keeps no positions).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <map>

#include "parse/parse.hpp"
#include "parse/yaml_util.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

/// A JSON value with its byte range (and, for an object member, its key's range).
struct JMember;
struct JNode {
  enum Kind { null, boolean, number, string, array, object } kind = null;
  bool b = false;
  double num = 0;
  bool integer = false;
  std::string str;
  std::vector<JMember> members;  // not std::pair<std::string, JNode>: clang rejects the pair of an incomplete type
  std::vector<JNode> items;
  std::size_t begin = 0, end = 0, key_begin = 0, key_end = 0;
  const JNode* get(std::string_view k) const;
};

struct JMember {
  std::string name;
  JNode value;
};

const JNode* JNode::get(std::string_view k) const {
  for (const auto& [name, v] : members)
    if (name == k) return &v;
  return nullptr;
}

/// Input iterator over the text that records the furthest byte the lexer has read.
struct CountingIt {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p = nullptr;
  const char* base = nullptr;
  std::size_t* seen = nullptr;
  reference operator*() const {
    *seen = std::max(*seen, static_cast<std::size_t>(p - base) + 1);
    return *p;
  }
  CountingIt& operator++() {
    ++p;
    return *this;
  }
  CountingIt operator++(int) {
    CountingIt t = *this;
    ++p;
    return t;
  }
  bool operator==(const CountingIt& o) const { return p == o.p; }
  bool operator!=(const CountingIt& o) const { return p != o.p; }
};

class Builder : public nlohmann::json_sax<nlohmann::json> {
 public:
  Builder(std::string_view text, const std::size_t& seen) : text_(text), seen_(seen) {}
  JNode root;
  std::size_t error_at = std::string::npos;
  std::string error;

  bool null() override { return scalar(JNode{}); }
  bool boolean(bool v) override {
    JNode n;
    n.kind = JNode::boolean;
    n.b = v;
    return scalar(std::move(n));
  }
  bool number_integer(number_integer_t v) override { return num(static_cast<double>(v), true); }
  bool number_unsigned(number_unsigned_t v) override { return num(static_cast<double>(v), true); }
  bool number_float(number_float_t v, const string_t&) override { return num(v, false); }
  bool string(string_t& v) override {
    JNode n;
    n.kind = JNode::string;
    n.str = v;
    n.end = seen_;
    n.begin = string_begin(n.end);
    return place(std::move(n));
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(JNode::object); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(JNode::array); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    key_ = k;
    key_end_ = seen_;
    key_begin_ = string_begin(key_end_);
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    error_at = position == 0 ? 0 : position - 1;
    error = ex.what();
    std::size_t cut = error.find("syntax error");
    if (cut != std::string::npos) error = error.substr(cut);
    return false;
  }

 private:
  std::size_t string_begin(std::size_t end) const {
    // The opening quote: the first '"' before the closing one that is not escaped.
    for (std::size_t i = end >= 2 ? end - 2 : 0; i > 0; --i) {
      if (text_[i] != '"') continue;
      std::size_t bs = 0;
      while (i > bs && text_[i - 1 - bs] == '\\') ++bs;
      if (bs % 2 == 0) return i;
    }
    return 0;
  }
  bool num(double v, bool integer) {
    JNode n;
    n.kind = JNode::number;
    n.num = v;
    n.integer = integer;
    return scalar(std::move(n));
  }
  bool scalar(JNode n) {
    // Literals end where the lexer stopped, less the one character it read ahead (numbers).
    std::size_t e = std::min(seen_, text_.size());
    auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+'; };
    while (e > 0 && !part(text_[e - 1])) --e;
    std::size_t b = e;
    while (b > 0 && part(text_[b - 1])) --b;
    n.begin = b;
    n.end = e;
    return place(std::move(n));
  }
  bool open(JNode::Kind k) {
    JNode n;
    n.kind = k;
    n.begin = seen_ ? seen_ - 1 : 0;
    n.key_begin = key_begin_;
    n.key_end = key_end_;
    stack_.push_back({std::move(n), key_});
    return true;
  }
  bool close() {
    auto [n, k] = std::move(stack_.back());
    stack_.pop_back();
    n.end = seen_;
    key_ = k;
    key_begin_ = n.key_begin;
    key_end_ = n.key_end;
    return place(std::move(n));
  }
  bool place(JNode n) {
    if (stack_.empty()) {
      root = std::move(n);
      return true;
    }
    JNode& parent = stack_.back().first;
    if (parent.kind == JNode::array) {
      parent.items.push_back(std::move(n));
    } else {
      n.key_begin = key_begin_;
      n.key_end = key_end_;
      parent.members.push_back(JMember{key_, std::move(n)});
    }
    return true;
  }

  std::string_view text_;
  const std::size_t& seen_;
  std::vector<std::pair<JNode, std::string>> stack_;
  std::string key_;
  std::size_t key_begin_ = 0, key_end_ = 0;
};

bool pcre_name(std::string_view n) {
  if (n.empty() || n.size() > 32 || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

/// A path-to-regexp 6 source compiled the way Vercel compiles it (strict, sensitive, end).
struct Compiled {
  std::string regex, error;
  std::vector<std::string> names;  // named parameters (`:name`)
  /// Optional named parameters (`/:name*`, `/:name?`) with a prefix: name -> prefix. The source regex
  /// also captures prefix and value as `rlp_NAME`, so that a destination `/:name*` can drop its prefix
  /// when the parameter matched nothing, as path-to-regexp's compile does.
  std::vector<std::pair<std::string, char>> optional_prefixed;
  /// The PCRE2 group number of each path-to-regexp parameter, in order (`$1` is the first one's):
  /// the `rlp_` groups shift them.
  std::vector<int> group_numbers;
  bool dynamic = false;
  std::string literal;  // the whole source when it has no parameter (decoded)
};

Compiled compile_source(std::string_view s) {
  Compiled out;
  constexpr std::string_view kDefault = "[^/#?]+?";
  std::string re = "^", path;
  auto flush = [&] {
    re += regex_escape(file_rules::percent_decode(path));
    out.literal += file_rules::percent_decode(path);
    path.clear();
  };
  auto name_at = [&](std::size_t& i) {
    std::size_t b = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    return std::string(s.substr(b, i - b));
  };
  auto pattern_at = [&](std::size_t& i) -> std::optional<std::string> {  // s[i] == '('
    int depth = 1;
    std::size_t b = ++i;
    if (i < s.size() && s[i] == '?') return std::nullopt;  // "Pattern cannot start with ?"
    while (i < s.size()) {
      if (s[i] == '\\') {
        i += 2;
        continue;
      }
      if (s[i] == ')' && --depth == 0) return std::string(s.substr(b, i++ - b));
      if (s[i] == '(' && ++depth && (i + 1 >= s.size() || s[i + 1] != '?')) return std::nullopt;  // capturing group inside
      ++i;
    }
    return std::nullopt;
  };
  int groups = 0;
  auto param = [&](std::string prefix, const std::string& name, std::string pattern, char mod) {
    out.dynamic = true;

    std::string group = pcre_name(name) ? "(?<" + name + ">" : "(";
    if (pcre_name(name)) out.names.push_back(name);
    std::string pre = regex_escape(prefix);
    if (!prefix.empty()) {
      std::string outer = "(?:";
      if ((mod == '*' || mod == '?') && pcre_name(name) && name.size() <= 28) {
        outer = "(?<rlp_" + name + ">";
        out.optional_prefixed.emplace_back(name, prefix[0]);
        ++groups;
      }
      if (mod == '+' || mod == '*')
        re += outer + pre + group + "(?:" + pattern + ")(?:" + pre + "(?:" + pattern + "))*))" + (mod == '*' ? "?" : "");
      else
        re += outer + pre + group + pattern + "))" + (mod ? std::string(1, mod) : "");
    } else {
      if (mod == '+' || mod == '*') re += group + "(?:" + pattern + ")" + mod + ")";
      else re += group + pattern + ")" + (mod ? std::string(1, mod) : "");
    }
    out.group_numbers.push_back(++groups);  // after the `rlp_` group that encloses it
  };
  for (std::size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      path += s[i + 1];
      i += 2;
      continue;
    }
    if (c == ':' || c == '(') {
      std::string name, pattern(kDefault);
      if (c == ':') {
        ++i;
        name = name_at(i);
        if (name.empty()) return out.error = "missing parameter name at " + std::to_string(i), out;
      }
      if (i < s.size() && s[i] == '(') {
        auto p = pattern_at(i);
        if (!p) return out.error = "invalid pattern at " + std::to_string(i) + " (a group inside must be non-capturing: (?:...))", out;
        pattern = *p;
      }
      std::string prefix;
      if (!path.empty() && (path.back() == '/' || path.back() == '.')) {
        prefix = std::string(1, path.back());
        path.pop_back();
      }
      flush();
      char mod = i < s.size() && (s[i] == '*' || s[i] == '+' || s[i] == '?') ? s[i++] : 0;
      param(prefix, name, pattern, mod);
      continue;
    }
    if (c == '{' || c == '}' || c == '*' || c == '+' || c == '?') {
      // Groups and stray modifiers: path-to-regexp 6 syntax redirlint does not compile.
      return out.error = "\"" + std::string(1, c) + "\" at " + std::to_string(i) + ": groups {...} and modifiers outside a parameter are not modelled", out;
    }
    path += c;
    ++i;
  }
  flush();
  out.regex = re + "$";
  return out;
}

class Reader {
 public:
  Reader(const SourceFiles& files, FileId id, const ParseOptions& opts, RuleSet& rs)
      : files_(files), id_(id), opts_(opts), rs_(rs), text_(files.get(id).text) {}

  void run(const JNode& root) {
    if (root.kind != JNode::object) return diag("RL001", root, "vercel.json must be a JSON object");
    std::size_t routes = 0;
    for (const auto& [key, v] : root.members) {
      if (key == "redirects" || key == "rewrites") {
        if (v.kind != JNode::array) {
          diag("RL001", v, "\"" + key + "\" must be an array of objects");
          continue;
        }
        for (const JNode& e : v.items) {
          if (++routes == opts_.vercel_max_routes + 1) limit(e, routes);
          entry(e, key == "redirects");
        }
      } else if (key == "headers" || key == "routes") {
        if (v.kind == JNode::array)
          for (const JNode& e : v.items)
            if (++routes == opts_.vercel_max_routes + 1) limit(e, routes);
        if (key == "routes") diag("RL006", v, "\"routes\" (Vercel's legacy routing) is not modelled; its redirects are not checked");
      } else if ((key == "trailingSlash" && v.kind == JNode::boolean) || (key == "cleanUrls" && v.kind == JNode::boolean && v.b)) {
        diag("RL006", v, "\"" + key + "\" makes Vercel add its own redirects (" +
                             (key == "cleanUrls" ? std::string("/a.html -> /a") : v.b ? "/a -> /a/" : "/a/ -> /a") +
                             ", 308); they are not modelled");
      }
    }
  }

 private:
  void limit(const JNode& e, std::size_t n) {
    diag("RL007", e, "route number " + std::to_string(n) + ": a Vercel deployment accepts at most " +
                         std::to_string(opts_.vercel_max_routes) + " routes (redirects, rewrites and headers together)");
  }
  SourceRange range(const JNode& n) const { return files_.range(id_, n.begin, n.end); }
  void diag(std::string_view code, const JNode& n, std::string msg) {
    rs_.parse_diags.push_back(make_diagnostic(code, range(n), std::move(msg)));
  }
  const JNode* string_field(const JNode& e, std::string_view k, bool& ok) {
    const JNode* v = e.get(k);
    if (v && v->kind != JNode::string) {
      diag("RL001", *v, "\"" + std::string(k) + "\" must be a string");
      ok = false;
      return nullptr;
    }
    return v;
  }

  void condition(const JNode& c, bool negated, const Compiled& src, Rule& r, bool& ok) {
    if (c.kind != JNode::object) return diag("RL001", c, "a has/missing entry must be an object {\"type\": ..., \"key\": ..., \"value\": ...}"), void(ok = false);
    const JNode* type = string_field(c, "type", ok);
    const JNode* key = string_field(c, "key", ok);
    const JNode* value = string_field(c, "value", ok);
    if (!type) return diag("RL001", c, "a has/missing entry needs \"type\" (header, cookie, query, host)"), void(ok = false);
    Condition cond;
    cond.where = range(c);
    cond.original = std::string(text_.substr(c.begin, c.end - c.begin));
    cond.pattern.negated = negated;
    const std::string& t = type->str;
    if (t == "host") {
      if (!value) return diag("RL001", c, "a host condition needs \"value\""), void(ok = false);
      bool literal = value->str.find_first_of("\\^$.|?*+()[]{}") == std::string::npos ||
                     regex_escape(file_rules::ascii_lower(value->str)) == value->str;
      std::string host = value->str;
      host.erase(std::remove(host.begin(), host.end(), '\\'), host.end());
      if (!negated && literal) {
        r.scope.hosts.push_back(file_rules::ascii_lower(host));
        return;
      }
      cond.test = "${host}";
    } else if (t == "header" || t == "cookie" || t == "query") {
      if (!key) return diag("RL001", c, "a " + t + " condition needs \"key\""), void(ok = false);
      cond.test = t == "header" ? "${http:" + key->str + "}" : t == "cookie" ? "${cookie:" + key->str + "}" : "${arg:" + key->str + "}";
    } else {
      return diag("RL001", *type, "unknown condition type \"" + t + "\" (header, cookie, query, host)"), void(ok = false);
    }
    if (value) {
      cond.op = CondOp::regex;
      cond.pattern.text = "^(?:" + value->str + ")$";
      cond.pattern.original = value->str;
      std::string err;
      if (auto re = Regex::compile(cond.pattern.text, false); !re) {
        diag("RL003", *value, "PCRE2 rejects the value pattern \"" + value->str + "\"");
        ok = false;
      }
    } else {
      cond.op = CondOp::truthy;
    }
    (void)src;
    r.conds.push_back(std::move(cond));
  }

  void entry(const JNode& e, bool redirect) {
    if (e.kind != JNode::object) return diag("RL001", e, "each entry must be an object with \"source\" and \"destination\"");
    bool ok = true;
    const JNode* source = string_field(e, "source", ok);
    const JNode* dest = string_field(e, "destination", ok);
    if (!source) return ok ? diag("RL001", e, "entry without \"source\"") : void();
    if (!dest) return ok ? diag("RL001", e, "entry without \"destination\"") : void();
    Rule r;
    r.origin = Origin{Format::vercel, redirect ? "redirects" : "rewrites"};
    r.where = range(e);
    r.original = std::string(text_.substr(e.begin, e.end - e.begin));
    if (source->str.empty() || source->str[0] != '/') {
      diag("RL001", *source, "the source \"" + source->str + "\" must start with '/'");
      ok = false;
    }
    Compiled src = compile_source(source->str);
    if (!src.error.empty()) {
      diag("RL006", *source, "path-to-regexp source \"" + source->str + "\" not modelled: " + src.error);
      return;
    }
    r.match.original = source->str;
    if (src.dynamic) {
      r.match.kind = MatchKind::regex;
      r.match.text = src.regex;
      if (!Regex::compile(src.regex, false)) {
        diag("RL003", *source, "the source \"" + source->str + "\" compiles to a regex PCRE2 rejects: " + src.regex);
        return;
      }
    } else {
      r.match.kind = MatchKind::exact;
      r.match.text = src.literal;
    }
    static const std::vector<std::string_view> kKeys = {"source", "destination", "permanent", "statusCode", "has", "missing",
                                                        "basePath", "locale"};
    for (const auto& [k, v] : e.members) {
      if (std::find(kKeys.begin(), kKeys.end(), k) != kKeys.end()) continue;
      std::string near = file_rules::did_you_mean(k, kKeys);
      rs_.parse_diags.push_back(make_diagnostic("RL002", files_.range(id_, v.key_begin, v.key_end),
                                                "unknown key \"" + k + "\"" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)")));
    }
    for (const char* k : {"has", "missing"}) {
      const JNode* list = e.get(k);
      if (!list) continue;
      if (list->kind != JNode::array) {
        diag("RL001", *list, std::string("\"") + k + "\" must be an array");
        ok = false;
        continue;
      }
      for (const JNode& c : list->items) condition(c, std::string_view(k) == "missing", src, r, ok);
    }
    // Status: statusCode wins; else permanent (default true) → 308, false → 307.
    r.status = redirect ? 308 : 0;
    r.status_implicit = redirect;
    if (const JNode* p = e.get("permanent")) {
      if (p->kind != JNode::boolean) diag("RL001", *p, "\"permanent\" must be true or false"), ok = false;
      else r.status = p->b ? 308 : 307, r.status_implicit = false;
    }
    if (const JNode* sc = e.get("statusCode")) {
      int v = sc->kind == JNode::number && sc->integer && sc->num >= 100 && sc->num <= 999 ? static_cast<int>(sc->num) : 0;
      if (v == 0 || (v >= 300 && v < 400 && v != 301 && v != 302 && v != 303 && v != 307 && v != 308) || v < 300) {
        diag("RL004", *sc, "\"statusCode\" must be a redirect code (301, 302, 303, 307, 308)");
        ok = false;
      }
      r.status = v;
      r.status_implicit = false;
      if (v >= 400) {
        // What Vercel does with a 4xx/5xx code on a redirect (before the filesystem) is not documented:
        // no claim (astro docs end their list with `/:lang/(.*)` -> 404, which would hide every page).
        diag("RL006", *sc, "\"statusCode\": " + std::to_string(v) +
                               " on a redirect: Vercel's handling of a non-redirect code is not documented; the entry is not modelled");
        ok = false;
      }
    }
    // Destination: `:name` of a source parameter, `$N` of a group.
    Target t;
    const std::string& d = dest->str;
    std::string lower = file_rules::ascii_lower(d.substr(0, 8));
    t.absolute = lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
    std::string url;
    std::size_t lit = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (d[i] == '$' && i + 1 < d.size() && std::isdigit(static_cast<unsigned char>(d[i + 1]))) {
        std::size_t k = static_cast<std::size_t>(d[i + 1] - '0');
        int g = k >= 1 && k <= src.group_numbers.size() ? src.group_numbers[k - 1] : static_cast<int>(k);
        if (g > 9) {  // templates hold $1..$9
          diag("RL006", *dest, "\"$" + std::string(1, d[i + 1]) + "\" is capture group " + std::to_string(g) + " of the compiled source; not modelled");
          return;
        }
        std::string n = std::to_string(g);
        url += file_rules::template_literal(d.substr(lit, i - lit)) + "$" + n;
        lit = ++i + 1;
        continue;
      }
      if (d[i] != ':' || i + 1 >= d.size()) continue;
      std::size_t j = i + 1;
      while (j < d.size() && (std::isalnum(static_cast<unsigned char>(d[j])) || d[j] == '_')) ++j;
      std::string name = d.substr(i + 1, j - i - 1);
      if (std::find(src.names.begin(), src.names.end(), name) == src.names.end()) continue;
      // path-to-regexp compile: a modifier is part of the token; an optional token that matched nothing
      // leaves out its prefix too ("/docs/:path*" with no path is "/docs").
      char mod = j < d.size() && (d[j] == '*' || d[j] == '+' || d[j] == '?') ? d[j] : 0;
      std::size_t b = i;
      std::string ref = "${ph:" + name + "}";
      // Not at the start: "/:path*" stays "/" (not an empty Location) when the path is empty (assumed).
      if ((mod == '*' || mod == '?') && i > lit && i > 1)
        for (const auto& [n, pre] : src.optional_prefixed)
          if (n == name && d[i - 1] == pre) b = i - 1, ref = "${ph:rlp_" + name + "}";
      url += file_rules::template_literal(d.substr(lit, b - lit)) + ref;
      lit = j + (mod ? 1 : 0);
      i = lit - 1;
    }
    url += file_rules::template_literal(d.substr(lit));
    t.url = url;
    t.query = d.find('?') == std::string::npos ? QueryMode::keep : QueryMode::append;
    r.target = std::move(t);
    if (r.action != Action::answer) r.action = redirect ? Action::redirect : Action::rewrite;
    if (!redirect && r.target->absolute)
      diag("RL006", e, "a rewrite to an external URL is a proxy; analysis treats \"" + source->str + "\" as answered by the proxied site");
    r.force = redirect;  // redirects run before the filesystem, rewrites after it
    r.flow = Flow::stop;
    if (!ok) return;
    r.id = static_cast<RuleId>(rs_.rules.size());
    rs_.rules.push_back(std::move(r));
  }

  const SourceFiles& files_;
  FileId id_;
  const ParseOptions& opts_;
  RuleSet& rs_;
  std::string_view text_;
};

}  // namespace

RuleSet parse_vercel(SourceFiles& files, FileId id, const ParseOptions& opts) {
  return file_rules::read_rule_file(files, id, Format::vercel, [&](RuleSet& rs) {
    const std::string& text = files.get(id).text;
    std::size_t seen = 0;
    Builder b(text, seen);
    CountingIt first{text.data(), text.data(), &seen}, last{text.data() + text.size(), text.data(), &seen};
    bool parsed = nlohmann::json::sax_parse(first, last, &b, nlohmann::json::input_format_t::json, true, true);
    if (!parsed) {
      std::size_t at = std::min(b.error_at == std::string::npos ? seen : b.error_at, text.size());
      rs.parse_diags.push_back(make_diagnostic("RL001", files.range(id, at, std::min(at + 1, text.size())), "JSON: " + b.error));
      return;
    }
    Reader(files, id, opts, rs).run(b.root);
  });
}

}  // namespace rl
