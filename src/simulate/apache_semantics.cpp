// Apache simulation semantics beyond the rule lists themselves: mod_rewrite's environment
// ([E=NAME:value], %{ENV:NAME}) and what an internal redirect does to it.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <functional>

#include "simulate/apache_internal.hpp"
#include "simulate/url.hpp"

namespace rl::apache_sim {

namespace {

// Directives that set environment variables outside mod_rewrite (mod_setenvif, mod_env).
constexpr std::array<std::string_view, 8> kEnvSetters = {"setenvif",   "setenvifnocase",     "setenvifexpr", "browsermatch",
                                                         "browsermatchnocase", "setenv", "passenv",      "unsetenv"};

// The variable names an env-setting directive may set: its words after the first, with `!` and
// `=value` stripped (over-approximate: a regex word that equals a name counts too).
bool sets_variable(std::string_view text, std::string_view name) {
  std::vector<std::string> words = directive_words(text);
  for (std::size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (!w.empty() && w.front() == '!') w.remove_prefix(1);
    w = w.substr(0, w.find('='));
    if (url::iequals(w, name)) return true;
  }
  return false;
}

}  // namespace

// do_expand_env(): each [E=...] is expanded like the substitution, then split at the first ':'.
void Engine::set_env(const Rule& r, const Captures* rule_caps, const Captures* cond_caps, RewriteState& st) {
  for (const std::string& tpl : r.flags->env) {
    std::string text = expand_template(parse_template(tpl), [&](const TemplatePart& p) {
      return part_value(p, rule_caps, cond_caps, &st);
    });
    const bool unset = !text.empty() && text.front() == '!';
    if (unset) text.erase(0, 1);
    std::size_t colon = text.find(':');
    std::string name = text.substr(0, colon);
    std::string value = colon == std::string::npos ? std::string() : text.substr(colon + 1);
    auto it = std::find_if(env_.begin(), env_.end(), [&](const auto& kv) { return url::iequals(kv.first, name); });
    if (unset) {
      if (it != env_.end()) env_.erase(it);
    } else if (it != env_.end()) {
      it->second = std::move(value);
    } else {
      env_.emplace_back(std::move(name), std::move(value));
    }
  }
}

// lookup_variable("ENV:NAME"): r->subprocess_env. A name no [E=] has set is empty, unless a directive
// outside mod_rewrite may set it: then the answer is unknown.
std::string Engine::env_value(std::string_view name) const {
  for (const auto& [k, v] : env_)
    if (url::iequals(k, name)) return v;
  if (unknown_.empty())
    for (const Unmodelled& u : rs_.unmodelled) {
      std::string d = url::lower(u.directive);
      if (std::find(kEnvSetters.begin(), kEnvSetters.end(), d) == kEnvSetters.end() || !sets_variable(u.text, name))
        continue;
      unknown_ = "%{ENV:" + std::string(name) + "} may be set by " + u.directive + " at line " + std::to_string(u.where.line) +
                 ", which is not simulated";
      break;
    }
  return {};
}

// ap_internal_redirect() -> rename_original_env(): the new request sees the old variables as REDIRECT_NAME.
void Engine::next_internal_request_env() {
  for (auto& kv : env_) kv.first = "REDIRECT_" + kv.first;
}

}  // namespace rl::apache_sim

namespace rl::apache_sim {

namespace {

// apr_fnmatch() without flags other than case folding: `*`, `?`; a `[` set is not modelled.
Tri fnmatch(std::string_view pat, std::string_view s, bool nocase) {
  if (pat.find('[') != std::string_view::npos) return Tri::unknown;
  if (pat.empty()) return s.empty() ? Tri::yes : Tri::no;
  if (pat[0] == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i)
      if (fnmatch(pat.substr(1), s.substr(i), nocase) == Tri::yes) return Tri::yes;
    return Tri::no;
  }
  if (s.empty()) return Tri::no;
  char a = pat[0], b = s[0];
  if (nocase) a = static_cast<char>(std::tolower(static_cast<unsigned char>(a))), b = static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
  if (a != '?' && a != b) return Tri::no;
  return fnmatch(pat.substr(1), s.substr(1), nocase);
}

Tri tri_not(Tri t) { return t == Tri::unknown ? t : (t == Tri::yes ? Tri::no : Tri::yes); }
Tri tri_of(bool b) { return b ? Tri::yes : Tri::no; }

// A recursive-descent reader of the ap_expr subset real configs use in <If> (expr.html): string
// comparisons, -strmatch/-strcmatch/-fnmatch, =~ / !~, !, &&, ||, parentheses, true/false. Anything
// else (file tests, functions, -ipmatch, -in, unknown variables) is Tri::unknown with a reason.
class ExprReader {
 public:
  ExprReader(std::string_view text, std::function<std::optional<std::string>(std::string_view)> var)
      : s_(text), var_(std::move(var)) {}

  Tri evaluate(std::string& why) {
    Tri t = parse_or();
    skip_ws();
    if (!failed_ && i_ != s_.size()) fail("unexpected " + std::string(s_.substr(i_, 12)));
    if (failed_) {
      why = why_;
      return Tri::unknown;
    }
    if (t == Tri::unknown) why = why_;
    return t;
  }

 private:
  void fail(std::string why) {
    if (!failed_) why_ = "the ap_expr is not modelled (" + why + ")";
    failed_ = true;
  }
  void unknown(std::string why) {
    if (why_.empty()) why_ = std::move(why);
  }
  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(std::string_view tok) {
    skip_ws();
    if (s_.substr(i_, tok.size()) != tok) return false;
    i_ += tok.size();
    return true;
  }
  Tri parse_or() {
    Tri t = parse_and();
    while (!failed_ && eat("||")) {
      Tri u = parse_and();
      t = (t == Tri::yes || u == Tri::yes) ? Tri::yes : (t == Tri::unknown || u == Tri::unknown) ? Tri::unknown : Tri::no;
    }
    return t;
  }
  Tri parse_and() {
    Tri t = parse_unary();
    while (!failed_ && eat("&&")) {
      Tri u = parse_unary();
      t = (t == Tri::no || u == Tri::no) ? Tri::no : (t == Tri::unknown || u == Tri::unknown) ? Tri::unknown : Tri::yes;
    }
    return t;
  }
  Tri parse_unary() {
    skip_ws();
    if (eat("!") ) return tri_not(parse_unary());
    if (eat("(")) {
      Tri t = parse_or();
      if (!eat(")")) fail("missing ')'");
      return t;
    }
    if (eat("true")) return Tri::yes;
    if (eat("false")) return Tri::no;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '-') {  // unary test: -f, -d, -e, -s, -U, -A, -z, -n, -T, -R ...
      std::size_t start = i_;
      ++i_;
      while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_]))) ++i_;
      std::string op(s_.substr(start, i_ - start));
      std::optional<std::string> w = word();
      if (failed_) return Tri::unknown;
      if (op == "-z" && w) return tri_of(w->empty());
      if (op == "-n" && w) return tri_of(!w->empty());
      why_ = "the ap_expr test " + op + " is not modelled (it depends on the file system or a subrequest)";
      return Tri::unknown;
    }
    return comparison();
  }
  Tri comparison() {
    std::optional<std::string> left = word();
    if (failed_) return Tri::unknown;
    skip_ws();
    static constexpr std::array<std::string_view, 16> ops = {"==", "!=", "<=", ">=", "=~", "!~", "<", ">", "=",
                                                             "-strmatch", "-strcmatch", "-fnmatch", "-eq", "-ne", "-lt", "-gt"};
    std::string op;
    for (std::string_view o : ops)
      if (s_.substr(i_, o.size()) == o) {
        op = std::string(o);
        break;
      }
    if (op.empty()) {
      for (std::string_view o : {"-le", "-ge"})
        if (s_.substr(i_, o.size()) == o) op = std::string(o);
    }
    if (op.empty()) {
      fail("no comparison operator at " + std::string(s_.substr(i_, 12)));
      return Tri::unknown;
    }
    i_ += op.size();
    if (op == "=~" || op == "!~") {
      std::optional<Tri> m = regex_match(left);
      if (!m) return Tri::unknown;
      return op == "=~" ? *m : tri_not(*m);
    }
    std::optional<std::string> right = word();
    if (failed_) return Tri::unknown;
    if (!left || !right) return Tri::unknown;
    const std::string& a = *left;
    const std::string& b = *right;
    if (op == "==" || op == "=") return tri_of(a == b);
    if (op == "!=") return tri_of(a != b);
    if (op == "<") return tri_of(a < b);
    if (op == "<=") return tri_of(a <= b);
    if (op == ">") return tri_of(a > b);
    if (op == ">=") return tri_of(a >= b);
    if (op == "-strmatch" || op == "-fnmatch") {
      if (op == "-fnmatch" && b.find('/') != std::string::npos) {
        unknown("-fnmatch with '/' in the pattern is not modelled");
        return Tri::unknown;
      }
      return fnmatch(b, a, false);
    }
    if (op == "-strcmatch") return fnmatch(b, a, true);
    long x = std::atol(a.c_str()), y = std::atol(b.c_str());
    if (op == "-eq") return tri_of(x == y);
    if (op == "-ne") return tri_of(x != y);
    if (op == "-lt") return tri_of(x < y);
    if (op == "-gt") return tri_of(x > y);
    if (op == "-le") return tri_of(x <= y);
    return tri_of(x >= y);
  }
  std::optional<Tri> regex_match(const std::optional<std::string>& subject) {
    skip_ws();
    char open = 0, close = 0;
    if (i_ < s_.size() && s_[i_] == '/') open = close = '/';
    else if (i_ + 1 < s_.size() && s_[i_] == 'm' && !std::isalnum(static_cast<unsigned char>(s_[i_ + 1])))
      open = s_[++i_], close = open;
    if (!open) {
      fail("a regex must be written /.../ or m#...#");
      return std::nullopt;
    }
    ++i_;
    std::string re;
    while (i_ < s_.size() && s_[i_] != close) {
      if (s_[i_] == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == close) ++i_;
      re += s_[i_++];
    }
    if (i_ >= s_.size()) {
      fail("unterminated regex");
      return std::nullopt;
    }
    ++i_;
    bool icase = false;
    while (i_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[i_]))) icase = icase || s_[i_++] == 'i';
    auto compiled = Regex::compile(re, icase);
    if (!compiled) {
      fail("invalid regex " + re);
      return std::nullopt;
    }
    if (!subject) return Tri::unknown;
    MatchStatus m = compiled->match(*subject);
    if (m == MatchStatus::limit) {
      unknown("regex match limit reached in an ap_expr");
      return Tri::unknown;
    }
    return tri_of(m == MatchStatus::match);
  }
  // A string word: %{VAR}, 'quoted' or "quoted" (with %{VAR} inside), a number; `.` concatenates.
  // nullopt = its value is unknown (the reason is kept).
  std::optional<std::string> word() {
    std::optional<std::string> out = word_part();
    while (!failed_) {
      std::size_t save = i_;
      skip_ws();
      if (i_ < s_.size() && s_[i_] == '.' && (i_ + 1 >= s_.size() || s_[i_ + 1] != '.')) {
        ++i_;
        std::optional<std::string> more = word_part();
        if (out && more) *out += *more;
        else out.reset();
        continue;
      }
      i_ = save;
      break;
    }
    return out;
  }
  std::optional<std::string> word_part() {
    skip_ws();
    if (i_ >= s_.size()) {
      fail("missing operand");
      return std::nullopt;
    }
    char c = s_[i_];
    if (c == '%' && i_ + 1 < s_.size() && s_[i_ + 1] == '{') return variable_ref();
    if (c == '\'' || c == '"') {
      ++i_;
      std::optional<std::string> out = std::string();
      while (i_ < s_.size() && s_[i_] != c) {
        if (s_[i_] == '%' && i_ + 1 < s_.size() && s_[i_ + 1] == '{') {
          std::optional<std::string> v = variable_ref();
          if (out && v) *out += *v;
          else out.reset();
          continue;
        }
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
        if (out) *out += s_[i_];
        ++i_;
      }
      if (i_ >= s_.size()) {
        fail("unterminated string");
        return std::nullopt;
      }
      ++i_;
      return out;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t start = i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      return std::string(s_.substr(start, i_ - start));
    }
    fail("operand " + std::string(s_.substr(i_, 12)));
    return std::nullopt;
  }
  std::optional<std::string> variable_ref() {
    std::size_t close = s_.find('}', i_);
    if (close == std::string_view::npos) {
      fail("unclosed %{");
      return std::nullopt;
    }
    std::string_view name = s_.substr(i_ + 2, close - i_ - 2);
    i_ = close + 1;
    std::optional<std::string> v = var_(name);
    if (!v) unknown("%{" + std::string(name) + "} in an ap_expr is not modelled");
    return v;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::function<std::optional<std::string>(std::string_view)> var_;
  bool failed_ = false;
  std::string why_;
};

}  // namespace

// ap_expr variables (expr.html) as the request has them; nullopt = not modelled.
std::optional<std::string> Engine::expr_variable(std::string_view name) const {
  std::string n = url::lower(name);
  if (n.rfind("http:", 0) == 0) return variable("http:" + std::string(name.substr(5)), nullptr);
  if (n.rfind("env:", 0) == 0) return env_value(name.substr(4));
  static constexpr std::array<std::string_view, 10> plain = {"http_host", "https", "request_method", "request_scheme",
                                                             "query_string", "the_request", "server_name", "server_port",
                                                             "server_protocol", "document_root"};
  if (n == "request_uri") return uri;
  if (std::find(plain.begin(), plain.end(), n) != plain.end()) return variable("var:" + n, nullptr);
  if (n.rfind("http_", 0) == 0) return variable("var:" + n, nullptr);
  return std::nullopt;
}

Tri Engine::expr_holds(std::string_view expr, std::string& why) const {
  std::string_view e = expr;
  while (!e.empty() && std::isspace(static_cast<unsigned char>(e.front()))) e.remove_prefix(1);
  while (!e.empty() && std::isspace(static_cast<unsigned char>(e.back()))) e.remove_suffix(1);
  if (e.size() >= 2 && (e.front() == '"' || e.front() == '\'') && e.back() == e.front()) e = e.substr(1, e.size() - 2);
  ExprReader reader(e, [this](std::string_view name) { return expr_variable(name); });
  return reader.evaluate(why);
}

}  // namespace rl::apache_sim

namespace rl::apache_sim {

namespace {

enum Stage { kDirectory = 0, kFiles = 1, kLocation = 2, kIf = 3, kNone = -1 };

Stage stage_of(std::string_view lname) {
  if (lname == "directory" || lname == "directorymatch") return kDirectory;
  if (lname == "files" || lname == "filesmatch") return kFiles;
  if (lname == "location" || lname == "locationmatch") return kLocation;
  if (lname == "if" || lname == "elseif" || lname == "else") return kIf;
  return kNone;
}

bool is_match_section(const Block& b) {
  std::string n = url::lower(b.directive);
  return n == "directorymatch" || n == "locationmatch" || n == "filesmatch" || b.argument.rfind("~", 0) == 0;
}

// The regex or path of a section as httpd reads it (quotes removed, `~` form included).
std::string section_argument(const Block& b) {
  std::vector<std::string> words = directive_words(b.argument);
  if (words.empty()) return {};
  if (words[0] == "~" && words.size() > 1) return words[1];
  return words[0];
}

}  // namespace

// Whether one section block applies to the current request (ap_location_walk, ap_directory_walk,
// ap_file_walk, ap_if_walk).
Tri Engine::block_applies(int index, std::string& why) const {
  const Block& b = rs_.blocks[static_cast<std::size_t>(index)];
  std::string name = url::lower(b.directive);
  bool negated = !b.argument.empty() && b.argument[0] == '!';
  if (name == "ifmodule" || name == "ifversion") return negated ? Tri::no : Tri::yes;
  if (name == "ifdefine") return negated ? Tri::yes : Tri::no;
  if (name == "if" || name == "elseif" || name == "else") {
    // An <ElseIf>/<Else> applies when every earlier section of its chain did not.
    if (name != "if") {
      for (int p = index - 1; p >= 0; --p) {
        const Block& prev = rs_.blocks[static_cast<std::size_t>(p)];
        if (prev.parent != b.parent) continue;
        std::string pn = url::lower(prev.directive);
        if (pn != "if" && pn != "elseif") break;
        Tri t = expr_holds(prev.argument, why);
        if (t != Tri::no) return t == Tri::yes ? Tri::no : Tri::unknown;
        if (pn == "if") break;
      }
    }
    return name == "else" ? Tri::yes : expr_holds(b.argument, why);
  }
  std::string arg = section_argument(b);
  if (name == "location" || name == "locationmatch") {
    if (is_match_section(b)) {
      auto re = Regex::compile(arg, false);
      if (!re) return Tri::no;
      return tri_of(re->matches(uri));
    }
    if (arg.find_first_of("*?[") != std::string::npos) {
      why = "<Location " + arg + "> with wildcards is not simulated";
      return Tri::unknown;
    }
    // ap_location_walk(): a prefix that ends at a '/' of the URI or at its end.
    if (uri.compare(0, arg.size(), arg) != 0) return Tri::no;
    return tri_of(arg.empty() || arg.back() == '/' || uri.size() == arg.size() || uri[arg.size()] == '/');
  }
  if (name == "directory" || name == "directorymatch" || name == "files" || name == "filesmatch") {
    std::string filename, path_info;
    split_path_info(uri, filename, path_info);
    if (name == "files" || name == "filesmatch") {
      std::string base = filename.substr(filename.rfind('/') + 1);
      if (is_match_section(b)) {
        auto re = Regex::compile(arg, false);
        return re ? tri_of(re->matches(base)) : Tri::no;
      }
      return fnmatch(arg, base, false);
    }
    if (is_match_section(b)) {
      why = "<" + b.directive + " " + arg + "> is not simulated";
      return Tri::unknown;
    }
    std::string dir = arg;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    const std::string root = docroot();
    // A directory at or above the document root holds every request; one below it, those that reach it.
    if (root.empty() || root == dir || root.rfind(dir + "/", 0) == 0 || dir == "/") return Tri::yes;
    if (dir.rfind(root + "/", 0) != 0) {
      why = "<Directory " + arg + "> is outside the document root " + root;
      return Tri::unknown;
    }
    if (filename.rfind(dir + "/", 0) == 0) return Tri::yes;
    return tri_of(filename == dir && dir_exists(filename));
  }
  why = "rules inside <" + b.directive + "> are not simulated";
  return Tri::unknown;
}

Tri Engine::rule_applies(const Rule& r, std::string& why) const {
  Tri all = Tri::yes;
  for (int b = r.scope.block; b >= 0 && b != r.scope.server; b = rs_.blocks[static_cast<std::size_t>(b)].parent) {
    std::string w;
    Tri t = block_applies(b, w);
    if (t == Tri::no) return Tri::no;
    if (t == Tri::unknown && all == Tri::yes) {
      all = Tri::unknown;
      why = w;
    }
  }
  return all;
}

// mod_alias fixup_redir() on the merged per-directory config: sections merge in the order Directory,
// Files, Location, If, and each merge puts the newer section's Redirects first.
std::optional<Outcome> Engine::run_sections(const ContextLists& lists, bool rewritten) {
  struct Entry {
    const Rule* rule;
    int stage, sub, block;
    Tri applies;
    std::string why;
  };
  std::vector<Entry> entries;
  for (const Rule* r : lists.sections) {
    std::string why;
    Tri t = rule_applies(*r, why);
    if (t == Tri::no) continue;
    if (r->origin.directive == "RewriteRule" || rewritten) {
      if (unknown_.empty())
        unknown_ = rewritten ? "the per-directory sections after an internal rewrite are not simulated (line " +
                                   std::to_string(r->where.line) + ")"
                             : "RewriteRule inside a <" + rs_.blocks[static_cast<std::size_t>(r->scope.block)].directive +
                                   "> section at line " + std::to_string(r->where.line) + " is not simulated";
      return std::nullopt;
    }
    // The innermost section decides when the rule is merged.
    int block = r->scope.block, stage = kNone;
    for (int b = r->scope.block; b >= 0 && stage == kNone; b = rs_.blocks[static_cast<std::size_t>(b)].parent)
      if ((stage = stage_of(url::lower(rs_.blocks[static_cast<std::size_t>(b)].directive))) != kNone) block = b;
    const Block& blk = rs_.blocks[static_cast<std::size_t>(block)];
    // ap_directory_walk(): plain sections by depth, then the regex ones.
    int sub = stage == kDirectory ? (is_match_section(blk) ? 1000 : static_cast<int>(std::count(blk.path.begin(), blk.path.end(), '/')))
                                  : 0;
    entries.push_back({r, stage, sub, block, t, why});
  }
  if (entries.empty()) return std::nullopt;
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.stage != b.stage) return a.stage > b.stage;
    if (a.sub != b.sub) return a.sub > b.sub;
    return a.block > b.block;
  });
  RuleList list;
  for (const Entry& e : entries) list.rules.push_back(e.rule);
  std::optional<Outcome> o = try_aliases(list);
  if (!o || o->fired.empty()) return o;
  for (const Entry& e : entries)
    if (e.rule->id == o->fired.back().rule && e.applies == Tri::unknown) {
      unknown_ = e.why;
      return std::nullopt;
    }
  return o;
}

}  // namespace rl::apache_sim

namespace rl::apache_sim {

// ap_die() -> ap_send_error_response(): an ErrorDocument for the answer's status that is a full URL
// makes the answer a 302 to it. The vhost's own ErrorDocument, else the main server's; one inside a
// per-directory section is not modelled (the answer stays).
Outcome apply_error_document(const RuleSet& rs, int server, Outcome o) {
  if (o.kind != OutcomeKind::answer || o.status < 400) return o;
  std::optional<std::string> own, main;
  for (const Unmodelled& u : rs.unmodelled) {
    if (!url::iequals(u.directive, "ErrorDocument")) continue;
    std::vector<std::string> words = directive_words(u.text);
    if (words.size() < 3 || words[1] != std::to_string(o.status)) continue;
    int b = u.block;
    bool in_section = false;
    while (b >= 0 && rs.blocks[static_cast<std::size_t>(b)].kind != BlockKind::server) {
      BlockKind k = rs.blocks[static_cast<std::size_t>(b)].kind;
      in_section = in_section || k == BlockKind::location || k == BlockKind::directory || k == BlockKind::files ||
                   url::iequals(rs.blocks[static_cast<std::size_t>(b)].directive, "If");
      b = rs.blocks[static_cast<std::size_t>(b)].parent;
    }
    if (in_section) continue;
    if (b >= 0 && b == server) own = words[2];
    else if (b < 0) main = words[2];
  }
  const std::optional<std::string>& doc = own ? own : main;
  if (!doc || !url::scheme_length(*doc)) return o;
  Outcome r;
  r.kind = OutcomeKind::redirect;
  r.status = 302;
  r.location = *doc;
  r.fired = std::move(o.fired);
  r.note = "ErrorDocument " + std::to_string(o.status) + " is a full URL: httpd redirects to it";
  return r;
}

}  // namespace rl::apache_sim

namespace rl::apache_sim {

std::string Engine::part_value(const TemplatePart& p, const Captures* rule_caps, const Captures* cond_caps,
                               const RewriteState* st) const {
  if (p.kind == PartKind::rule_capture) return capture_value(rule_caps, p.index);
  if (p.kind == PartKind::cond_capture) return capture_value(cond_caps, p.index);
  if (p.text.starts_with("map:")) return map_value(std::string_view(p.text).substr(4), rule_caps, cond_caps, st);
  return variable(p.text, st);
}

// do_expand() on `${map:key|default}`: the key is expanded, then lookup_map(); no value = the default
// (expanded), or "". The map is the vhost's, else the main server's (config_server_merge overlays them).
std::string Engine::map_value(std::string_view index, const Captures* rule_caps, const Captures* cond_caps,
                              const RewriteState* st) const {
  auto give_up = [&](std::string why) {
    if (unknown_.empty()) unknown_ = std::move(why);
    return std::string();
  };
  std::size_t i = 0;
  for (char c : index) i = c >= '0' && c <= '9' ? i * 10 + static_cast<std::size_t>(c - '0') : rs_.map_lookups.size();
  if (index.empty() || i >= rs_.map_lookups.size()) return give_up("a RewriteMap lookup is not modelled");
  const MapLookup& l = rs_.map_lookups[i];
  auto expand = [&](const std::string& tpl) {
    return expand_template(parse_template(tpl), [&](const TemplatePart& p) { return part_value(p, rule_caps, cond_caps, st); });
  };
  const RewriteMapDef* def = nullptr;
  std::size_t def_at = 0;
  for (std::size_t m = 0; m < rs_.maps.size(); ++m) {
    const RewriteMapDef& d = rs_.maps[m];
    if (d.name != l.map || (d.server != -1 && d.server != server)) continue;
    if (!def || d.server == server || def->server == -1) {
      def = &d;
      def_at = m;
    }
  }
  if (!def) return give_up("the RewriteMap " + l.map + " is not defined in this file");
  if (!def->readable) return give_up("RewriteMap " + l.map + ": " + def->why);
  std::string key = expand(l.key);
  if (def->type == "int") {
    const std::string f = url::lower(def->source);
    if (f == "tolower") return url::lower(key);
    if (f == "toupper") {
      for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return key;
    }
    if (f == "escape") return url::apache_escape_path(key);
    std::string out;
    url::percent_decode(key, out);  // ap_unescape_url; a bad escape leaves what was decoded
    return out;
  }
  const std::string* v = c_.map_entry(def_at, key);
  if (!v) return expand(l.fallback);
  if (def->type == "rnd" && v->find('|') != std::string::npos)
    return give_up("RewriteMap " + l.map + " (rnd:) picks one of \"" + *v + "\" at random");
  return *v;
}

const std::string* Compiled::map_entry(std::size_t map, const std::string& key) const {
  auto [it, fresh] = map_index_.try_emplace(map);
  if (fresh) {
    const std::vector<RewriteMapDef::Entry>& es = rs_.maps[map].entries;
    for (std::size_t e = 0; e < es.size(); ++e) it->second.try_emplace(es[e].key, e);
  }
  auto e = it->second.find(key);
  return e == it->second.end() ? nullptr : &rs_.maps[map].entries[e->second].value;
}

}  // namespace rl::apache_sim
