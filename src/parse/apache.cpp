// Apache httpd configuration and .htaccess parser: lines, continuations, sections and the core
// directives that scope rules (ServerName, ServerAlias, SSLEngine, DocumentRoot). mod_alias and
// mod_rewrite directives are in apache_alias.cpp and apache_rewrite.cpp.
#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

#include "grammar/apache.hpp"
#include "grammar/apache_errors.hpp"
#include "util/regex.hpp"
#include "parse/apache_internal.hpp"
#include "util/limits.hpp"

namespace rl {

namespace apache {

namespace pegtl = tao::pegtl;
namespace g = rl::grammar::apache;

namespace {

// ---- physical lines -------------------------------------------------------------------------

struct PhysicalLine {
  std::size_t begin, end;  // body, without terminator
};

// Physical lines go straight to a callback: a 1M-line file is never held as a vector of lines.
struct LineSink {
  std::function<void(PhysicalLine)> emit;
  std::size_t last_begin = 0;
  bool any = false;
  void push(std::size_t begin, std::size_t end) {
    last_begin = begin;
    any = true;
    emit({begin, end});
  }
};

template <typename Rule>
struct line_split_action : pegtl::nothing<Rule> {};

template <>
struct line_split_action<grammar::common::line_body> {
  template <typename Input>
  static void apply(const Input& in, LineSink& out) {
    out.push(in.iterator().byte, in.iterator().byte + in.size());
  }
};

template <>
struct line_split_action<grammar::common::physical_line> {
  // A final line without terminator is matched by the second branch, which has no line_body.
  template <typename Input>
  static void apply(const Input& in, LineSink& out) {
    std::size_t begin = in.iterator().byte;
    if (!out.any || out.last_begin < begin) out.push(begin, begin + in.size());
  }
};

// ---- one logical line -----------------------------------------------------------------------

struct LineParts {
  enum Kind { empty, comment, open, close, directive } kind = empty;
  std::string_view name, args;
  std::size_t name_at = 0, args_at = 0;
};

template <typename Rule>
struct line_action : pegtl::nothing<Rule> {};

template <>
struct line_action<g::comment> {
  template <typename Input>
  static void apply(const Input&, LineParts& p) { p.kind = LineParts::comment; }
};
template <>
struct line_action<g::open_name> {
  template <typename Input>
  static void apply(const Input& in, LineParts& p) {
    p.kind = LineParts::open;
    p.name = in.string_view();
    p.name_at = in.iterator().byte;
  }
};
template <>
struct line_action<g::section_args> {
  template <typename Input>
  static void apply(const Input& in, LineParts& p) {
    p.args = in.string_view();
    p.args_at = in.iterator().byte;
  }
};
template <>
struct line_action<g::close_name> {
  template <typename Input>
  static void apply(const Input& in, LineParts& p) {
    p.kind = LineParts::close;
    p.name = in.string_view();
    p.name_at = in.iterator().byte;
  }
};
template <>
struct line_action<g::directive_name> {
  template <typename Input>
  static void apply(const Input& in, LineParts& p) {
    p.kind = LineParts::directive;
    p.name = in.string_view();
    p.name_at = in.iterator().byte;
  }
};
template <>
struct line_action<g::directive_args> {
  template <typename Input>
  static void apply(const Input& in, LineParts& p) {
    p.args = in.string_view();
    p.args_at = in.iterator().byte;
  }
};

// ---- arguments ------------------------------------------------------------------------------

struct ArgState {
  std::string_view text;
  std::vector<Arg> args;
};

void unquote_conf(Arg& a, std::string_view raw, char quote) {
  // substring_conf(): `\\` -> `\`, and inside quotes `\<quote>` -> `<quote>`.
  std::size_t start = a.begin + (quote ? 1 : 0);
  bool escapes = false;
  for (std::size_t i = 0; i + 1 < raw.size(); ++i)
    if (raw[i] == '\\' && (raw[i + 1] == '\\' || (quote && raw[i + 1] == quote))) escapes = true;
  if (!escapes) {
    a.value = std::string(raw);
    return;
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '\\' || (quote && raw[i + 1] == quote))) ++i;
    a.value.push_back(raw[i]);
    a.map.push_back(static_cast<std::uint32_t>(start + i));
  }
}

template <typename Rule>
struct arg_action : pegtl::nothing<Rule> {};

template <char Q, bool Conf>
struct quoted_arg_action {
  template <typename Input>
  static void apply(const Input& in, ArgState& st) {
    std::string_view raw = in.string_view();
    Arg a;
    a.begin = in.iterator().byte;
    a.end = a.begin + raw.size();
    a.quoted = true;
    // The grammar stops only at an unescaped closing quote, so a final quote closes the word.
    std::string_view body = raw.substr(1);
    a.terminated = !body.empty() && body.back() == Q;
    if (a.terminated) body.remove_suffix(1);
    if (Conf) unquote_conf(a, body, Q);
    else a.value = std::string(body);
    st.args.push_back(std::move(a));
  }
};

template <>
struct arg_action<g::conf_dq> : quoted_arg_action<'"', true> {};
template <>
struct arg_action<g::conf_sq> : quoted_arg_action<'\'', true> {};
template <>
struct arg_action<g::rw_dq> : quoted_arg_action<'"', false> {};
template <>
struct arg_action<g::rw_sq> : quoted_arg_action<'\'', false> {};

template <bool Conf>
struct bare_arg_action {
  template <typename Input>
  static void apply(const Input& in, ArgState& st) {
    Arg a;
    a.begin = in.iterator().byte;
    a.end = a.begin + in.size();
    if (Conf) unquote_conf(a, in.string_view(), 0);
    else a.value = in.string();
    st.args.push_back(std::move(a));
  }
};
template <>
struct arg_action<g::conf_bare> : bare_arg_action<true> {};
template <>
struct arg_action<g::rw_bare> : bare_arg_action<false> {};

// ---- directive catalogue --------------------------------------------------------------------

// mod_alias and mod_rewrite directive names: a near miss of one of them is reported (RL002).
constexpr std::array kRedirectDirectives = {
    "Redirect", "RedirectMatch", "RedirectPermanent", "RedirectTemp", "RewriteRule",
    "RewriteCond", "RewriteEngine", "RewriteBase", "RewriteOptions", "RewriteMap",
};
// Other directives of those modules (and 2.2 leftovers): known, not near misses.
constexpr std::array kOtherAliasRewrite = {
    "redirectrelative", "alias", "aliasmatch", "scriptalias", "scriptaliasmatch", "aliaspreservepath",
    "rewritelog", "rewriteloglevel", "rewritelock",
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

BlockKind block_kind(std::string_view lname) {
  if (lname == "virtualhost") return BlockKind::server;
  if (lname == "location" || lname == "locationmatch") return BlockKind::location;
  if (lname == "directory" || lname == "directorymatch") return BlockKind::directory;
  if (lname == "files" || lname == "filesmatch") return BlockKind::files;
  if (lname == "if" || lname == "elseif" || lname == "else" || lname == "ifmodule" || lname == "ifdefine" ||
      lname == "ifversion" || lname == "iffile" || lname == "ifdirective" || lname == "ifsection")
    return BlockKind::condition;
  return BlockKind::other;
}

// "www.Example.com:443" / "https://x.example" -> "www.example.com".
std::string host_only(std::string_view name) {
  auto scheme = name.find("://");
  if (scheme != std::string_view::npos) name = name.substr(scheme + 3);
  if (!name.empty() && name.front() == '[') {
    auto close = name.find(']');
    if (close != std::string_view::npos) name = name.substr(0, close + 1);
  } else {
    auto colon = name.find(':');
    if (colon != std::string_view::npos) name = name.substr(0, colon);
  }
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return lower(name);
}

}  // namespace

// ---- small shared helpers -------------------------------------------------------------------

std::size_t Arg::offset_of(std::size_t i) const {
  if (!map.empty()) return i < map.size() ? map[i] : (map.empty() ? begin : map.back() + 1);
  return begin + (quoted ? 1 : 0) + i;
}

std::size_t LogicalLine::file_offset(std::size_t logical) const {
  auto it = std::upper_bound(segments.begin(), segments.end(), logical,
                             [](std::size_t v, const auto& seg) { return v < seg.first; });
  if (it == segments.begin()) return file_begin;
  --it;
  return it->second + (logical - it->first);
}

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], 0 when the bytes are not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  unsigned char c1 = b(i + 1);
  if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f)) return 0;
  return n;
}

}  // namespace

std::string quote(std::string_view value) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < value.size(); ++shown) {
    if (shown >= 80) {
      out += "...";
      break;
    }
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80) {
      if (std::size_t n = utf8_length(value, i)) {
        out.append(value.substr(i, n));
        i += n;
        continue;
      }
    }
    if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      if (c == '"') out.push_back('\\');
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  return out + "\"";
}

int edit_distance(std::string_view a, std::string_view b, int cap) {
  if (static_cast<int>(a.size()) - static_cast<int>(b.size()) > cap ||
      static_cast<int>(b.size()) - static_cast<int>(a.size()) > cap)
    return cap + 1;
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    int best = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
      best = std::min(best, cur[j]);
    }
    if (best > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], cap + 1);
}

bool is_url(std::string_view url) {
  // ap_is_url(): a scheme of letters, digits, '+', '-', '.', then ':'.
  std::size_t i = 0;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' || url[i] == '-' || url[i] == '.'))
    ++i;
  return i > 0 && i < url.size() && url[i] == ':';
}

// ---- Parser ---------------------------------------------------------------------------------

Parser::Parser(SourceFiles& files, FileId id, Format format, const ParseOptions& opts)
    : files_(files), id_(id), format_(format), opts_(opts) {
  rs_.format = format;
  rs_.file = id;
  rs_.files.push_back(id);
  Context top;
  if (format == Format::htaccess) {
    rs_.context = rl::Context::per_directory;
    rs_.dir = normalise_dir(opts.htaccess_dir.empty() ? "/" : opts.htaccess_dir);
    top.per_dir = true;
    top.dir = rs_.dir;
  }
  contexts_.push_back(top);
  // Room for every rule at once: a 1M-rule vector grown by doubling would be copied ~20 times and
  // briefly held twice. Rules start on lines whose first word begins with 'R' (Redirect*, Rewrite*);
  // capacity for the other such lines (RewriteCond ...) is address space that is never touched.
  const std::string& text = files_.get(id_).text;
  std::size_t candidates = 0;
  bool line_start = true;
  for (char c : text) {
    if (c == '\n') line_start = true;
    else if (line_start && c != ' ' && c != '\t') {
      candidates += (c == 'R' || c == 'r');
      line_start = false;
    }
  }
  rs_.rules.reserve(candidates);
}

RuleSet Parser::run() {
  read_lines();
  finish();
  return std::move(rs_);
}

void Parser::read_lines() {
  const std::string& text = files_.get(id_).text;
  // Join `\` continuations: a backslash as the very last byte of a line, not itself escaped. Each
  // logical line is handled as soon as it is complete (one buffer reused for all of them).
  LogicalLine cur;
  bool open = false;
  LineSink sink;
  sink.emit = [&](PhysicalLine p) {
    std::string_view body(text.data() + p.begin, p.end - p.begin);
    bool cont = !body.empty() && body.back() == '\\' && !(body.size() >= 2 && body[body.size() - 2] == '\\');
    if (cont) body.remove_suffix(1);
    if (!open) {
      cur.text.clear();
      cur.segments.clear();
      cur.file_begin = p.begin;
      open = true;
    }
    cur.segments.emplace_back(cur.text.size(), p.begin);
    cur.text.append(body);
    cur.file_end = p.begin + body.size();
    if (!cont) {
      open = false;
      handle_line(cur);
    }
  };
  pegtl::memory_input in(text.data(), text.size(), files_.path(id_));
  try {
    pegtl::parse<grammar::common::lines, line_split_action>(in, sink);
  } catch (const pegtl::parse_error&) {
    // The line grammar cannot fail on any byte sequence; what was split has been handled.
  }
  if (open) handle_line(cur);
}

SourceRange Parser::logical_range(const LogicalLine& ln, std::size_t begin, std::size_t end) const {
  std::size_t fb = ln.file_offset(begin);
  std::size_t fe = end > begin ? ln.file_offset(end - 1) + 1 : fb;
  return files_.range(id_, fb, fe);
}

SourceRange Parser::line_range(const LogicalLine& ln) const {
  std::size_t b = 0;
  while (b < ln.text.size() && std::isspace(static_cast<unsigned char>(ln.text[b]))) ++b;
  std::size_t e = ln.text.size();
  while (e > b && std::isspace(static_cast<unsigned char>(ln.text[e - 1]))) --e;
  return logical_range(ln, b, e);
}

SourceRange Parser::arg_range(const LogicalLine& ln, const Arg& a) const { return logical_range(ln, a.begin, a.end); }

SourceRange Parser::value_range(const LogicalLine& ln, const Arg& a, std::size_t begin, std::size_t end) const {
  std::size_t b = a.offset_of(begin);
  std::size_t e = end > begin ? a.offset_of(end - 1) + 1 : b;
  return logical_range(ln, b, e);
}

void Parser::report(std::string_view code, SourceRange where, std::string message) {
  rs_.parse_diags.push_back(make_diagnostic(code, where, std::move(message)));
}

std::string Parser::original(const LogicalLine& ln) const { return std::string(trim(ln.text)); }

Context& Parser::context() { return contexts_[stack_.empty() ? 0 : static_cast<std::size_t>(stack_.back().context)]; }

int Parser::innermost_block() const {
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
    if (it->block >= 0) return it->block;
  return -1;
}

Rule Parser::new_rule(const LogicalLine& ln, std::string_view directive) {
  Rule r;
  r.id = static_cast<RuleId>(rs_.rules.size());
  r.where = line_range(ln);
  r.origin.format = format_;
  r.origin.directive = std::string(directive);
  r.original = original(ln);
  r.scope.block = innermost_block();
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
    if (it->block >= 0 && rs_.blocks[static_cast<std::size_t>(it->block)].kind == BlockKind::server) {
      r.scope.server = it->block;
      break;
    }
  const Context& c = context();
  if (c.per_dir) r.scope.dir = c.dir;
  return r;
}

void Parser::add_unmodelled(const LogicalLine& ln, std::string_view directive, bool relevant) {
  Unmodelled u;
  u.where = line_range(ln);
  u.directive = std::string(directive);
  u.text = original(ln);
  u.block = innermost_block();
  u.relevant = relevant;
  rs_.unmodelled.push_back(std::move(u));
}

std::vector<Arg> Parser::split_args(const LogicalLine& ln, std::size_t from, bool rewrite, std::size_t to) {
  ArgState st;
  from = std::min(from, ln.text.size());
  std::string_view rest = std::string_view(ln.text).substr(from, to == std::string::npos ? to : to - std::min(to, from));
  pegtl::memory_input in(rest.data(), rest.size(), "");
  try {
    if (rewrite) pegtl::parse<g::rw_args, arg_action>(in, st);
    else pegtl::parse<g::conf_args, arg_action>(in, st);
  } catch (const std::exception&) {
  }
  for (Arg& a : st.args) {
    a.begin += from;
    a.end += from;
    for (auto& m : a.map) m += static_cast<std::uint32_t>(from);
  }
  return std::move(st.args);
}

void Parser::handle_line(const LogicalLine& ln) {
  if (ln.text.find('\0') != std::string::npos) {
    std::size_t at = ln.text.find('\0');
    report("RL001", logical_range(ln, at, at + 1), "NUL byte in a configuration line (httpd stops reading the line there)");
    return;
  }
  LineParts parts;
  pegtl::memory_input in(ln.text.data(), ln.text.size(), "");
  try {
    if (!pegtl::parse<g::line, line_action, g::control>(in, parts)) {
      report("RL001", line_range(ln), "cannot parse this line");
      return;
    }
  } catch (const pegtl::parse_error& e) {
    std::size_t at = e.positions().empty() ? 0 : e.positions().front().byte;
    std::size_t end = std::min(at + 1, ln.text.size());
    if (at >= ln.text.size()) at = ln.text.empty() ? 0 : ln.text.size() - 1, end = ln.text.size();
    std::string msg(e.message());
    if (msg == g::error_message<g::open_tail> && parts.kind == LineParts::open)
      msg = "<" + std::string(parts.name) + "> " + msg;
    if (msg == g::error_message<g::directive_name>) {
      std::string_view word = trim(ln.text);
      word = word.substr(0, std::min<std::size_t>(word.find_first_of(" \t"), 24));
      msg += ", found " + quote(word);
    }
    report("RL001", logical_range(ln, at, end), msg);
    return;
  }
  switch (parts.kind) {
    case LineParts::empty:
    case LineParts::comment: return;
    case LineParts::open: open_section(ln, parts.name, parts.name_at, parts.args, parts.args_at); return;
    case LineParts::close: close_section(ln, parts.name, parts.name_at); return;
    case LineParts::directive: handle_directive(ln, parts.name, parts.name_at, parts.args, parts.args_at); return;
  }
}

void Parser::open_section(const LogicalLine& ln, std::string_view name, std::size_t name_at, std::string_view args,
                          std::size_t args_at) {
  Frame f;
  f.name = lower(name);
  f.written = std::string(name);
  f.open = line_range(ln);
  f.context = stack_.empty() ? 0 : stack_.back().context;
  if (static_cast<int>(stack_.size()) >= opts_.max_depth) {
    if (!depth_reported_)
      report("RL001", logical_range(ln, name_at - 1, name_at + name.size()),
             "sections nested deeper than " + std::to_string(opts_.max_depth) + " levels; the rest of this nesting is not read (" +
                 limit_hint(LimitId::nesting, static_cast<std::uint64_t>(opts_.max_depth)) + ")");
    depth_reported_ = true;
    stack_.push_back(std::move(f));
    return;
  }
  if (format_ == Format::htaccess && (f.name == "virtualhost" || f.name == "directory" || f.name == "directorymatch" ||
                                      f.name == "location" || f.name == "locationmatch")) {
    report("RL001", logical_range(ln, name_at - 1, name_at + name.size()),
           "<" + std::string(name) + "> is not allowed in .htaccess files (httpd: \"" + std::string(name) +
               " not allowed here\")");
  }
  Block b;
  b.kind = block_kind(f.name);
  b.parent = innermost_block();
  b.directive = f.written;
  b.argument = std::string(trim(args));
  b.where = f.open;
  std::vector<Arg> a = args.empty() ? std::vector<Arg>{} : split_args(ln, args_at, false, args_at + args.size());
  std::string first = a.empty() ? std::string() : a.front().value;
  // `<Directory ~ "regex">` is <DirectoryMatch>.
  bool tilde = !a.empty() && first == "~";
  if (tilde && a.size() >= 2) first = a[1].value;
  const bool is_match = f.name == "directorymatch" || f.name == "locationmatch" || f.name == "filesmatch" || tilde;
  if (b.kind == BlockKind::location || b.kind == BlockKind::directory || b.kind == BlockKind::files) {
    b.path = first;
    if (is_match && !first.empty()) {
      const Arg& pa = tilde ? a[1] : a.front();
      RegexError err;
      if (!Regex::compile(first, false, &err)) {
        std::size_t o = std::min(err.offset, first.size());
        report("RL003", value_range(ln, pa, o, std::min(o + 1, first.size())),
               "invalid regex " + quote(first) + " in <" + f.written + ">: " + err.message + " at offset " + std::to_string(err.offset));
      }
    }
  }
  int block_index = static_cast<int>(rs_.blocks.size());
  if (f.name == "if" || f.name == "elseif")
    if (std::string why = unmodelled_expr_part(b.argument); !why.empty())
      report("RL006", f.open, "<" + f.written + "> uses " + why + ", which is not modelled: what the rules inside do is unknown");
  if (b.kind == BlockKind::server) {
    for (const Arg& x : a) {
      std::string_view v = x.value;
      auto colon = v.rfind(':');
      if (colon != std::string_view::npos && v.find(']') != std::string_view::npos && colon < v.find(']')) colon = std::string_view::npos;
      if (colon != std::string_view::npos) {
        std::string port(v.substr(colon + 1));
        if (!port.empty() && std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
            port.size() < 6)
          b.ports.push_back(std::stoi(port));
      }
    }
    if (std::find(b.ports.begin(), b.ports.end(), 443) != b.ports.end()) b.https = true;
    Context c;
    c.block = block_index;
    contexts_.push_back(c);
    f.context = static_cast<int>(contexts_.size() - 1);
  } else if (b.kind == BlockKind::directory) {
    Context c;
    c.block = block_index;
    c.per_dir = true;
    std::string root;
    for (auto it = stack_.rbegin(); it != stack_.rend() && root.empty(); ++it)
      root = contexts_[static_cast<std::size_t>(it->context)].document_root;
    if (root.empty()) root = contexts_[0].document_root;
    std::string dir = "/";
    if (!is_match) {
      std::string path = b.path;
      for (const std::string& r : {root, std::string("/var/www/html"), std::string("/var/www")}) {
        if (r.empty()) continue;
        std::string rr = r;
        while (rr.size() > 1 && rr.back() == '/') rr.pop_back();
        if (path.compare(0, rr.size(), rr) == 0 && (path.size() == rr.size() || path[rr.size()] == '/')) {
          dir = normalise_dir(path.substr(rr.size()));
          break;
        }
      }
    }
    c.dir = dir;
    contexts_.push_back(c);
    f.context = static_cast<int>(contexts_.size() - 1);
  }
  rs_.blocks.push_back(std::move(b));
  f.block = block_index;
  stack_.push_back(std::move(f));
}

void Parser::close_section(const LogicalLine& ln, std::string_view name, std::size_t name_at) {
  std::string lname = lower(name);
  SourceRange where = logical_range(ln, name_at - 2, name_at + name.size() + 1);
  if (stack_.empty()) {
    report("RL001", where, "</" + std::string(name) + "> without matching <" + std::string(name) + "> section");
    return;
  }
  if (stack_.back().name != lname) {
    // httpd: "Expected </X> but saw </Y>". Recover: close up to a matching open section if there is one.
    auto match = std::find_if(stack_.rbegin(), stack_.rend(), [&](const Frame& f) { return f.name == lname; });
    Diagnostic d = make_diagnostic("RL001", where,
                                   "expected </" + stack_.back().written + "> but saw </" + std::string(name) + ">");
    d.related.push_back({stack_.back().open, "<" + stack_.back().written + "> opened here"});
    rs_.parse_diags.push_back(std::move(d));
    if (match == stack_.rend()) return;
    while (!stack_.empty() && stack_.back().name != lname) stack_.pop_back();
  }
  Frame f = std::move(stack_.back());
  stack_.pop_back();
  if (f.block >= 0) rs_.blocks[static_cast<std::size_t>(f.block)].end = line_range(ln);
}

void Parser::handle_directive(const LogicalLine& ln, std::string_view name, std::size_t name_at, std::string_view,
                              std::size_t rest_at) {
  std::string lname = lower(name);
  auto conf = [&] { return split_args(ln, rest_at, false); };
  if (lname == "redirect" || lname == "redirectmatch" || lname == "redirectpermanent" || lname == "redirecttemp") {
    directive_redirect(ln, name, conf());
    return;
  }
  if (lname == "rewriterule") {
    directive_rewrite_rule(ln, split_args(ln, rest_at, true));
    return;
  }
  if (lname == "rewritecond") {
    directive_rewrite_cond(ln, split_args(ln, rest_at, true));
    return;
  }
  Context& c = context();
  Block* blk = c.block >= 0 ? &rs_.blocks[static_cast<std::size_t>(c.block)] : nullptr;
  SourceRange name_range = logical_range(ln, name_at, name_at + name.size());
  if (lname == "rewriteengine") {
    std::vector<Arg> a = conf();
    std::string v = a.empty() ? "" : lower(a.front().value);
    if (a.size() != 1 || (v != "on" && v != "off")) {
      report("RL001", line_range(ln), "RewriteEngine takes one argument, On or Off");
      return;
    }
    (blk ? blk->rewrite_engine : rs_.rewrite_engine) = v == "on";
    return;
  }
  if (lname == "rewritebase") {
    std::vector<Arg> a = conf();
    if (a.size() != 1 || a.front().value.empty() || a.front().value[0] != '/') {
      report("RL001", a.size() == 1 ? arg_range(ln, a.front()) : line_range(ln),
             "RewriteBase takes one URL path that starts with '/' (httpd: \"argument is not a valid URL\")");
      return;
    }
    if (blk) blk->rewrite_base = a.front().value;
    else rs_.rewrite_base = a.front().value;
    return;
  }
  if (lname == "rewriteoptions") {
    static const std::array known = {"inherit", "inheritbefore", "inheritdown", "inheritdownbefore",
                                     "ignoreinherit", "allownoslash", "allowanyuri", "mergebase",
                                     "ignorecontextinfo", "legacyprefixdocroot", "longurloptimization"};
    for (const Arg& x : conf()) {
      std::string v = lower(x.value);
      if (v.rfind("maxredirects=", 0) != 0 && std::find(known.begin(), known.end(), v) == known.end()) {
        report("RL002", arg_range(ln, x), "unknown RewriteOptions option " + quote(x.value));
        continue;
      }
      if (blk) blk->rewrite_options.push_back(x.value);
      else rs_.rewrite_options.push_back(x.value);
    }
    return;
  }
  if (lname == "rewritemap") {
    directive_rewrite_map(ln, name, conf());
    return;
  }
  if (lname == "serverroot") {
    std::vector<Arg> a = conf();
    if (!a.empty()) server_root_ = a.front().value;
    add_unmodelled(ln, name, false);
    return;
  }
  if (lname == "servername" || lname == "serveralias") {
    Block* server = nullptr;
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (it->block >= 0 && rs_.blocks[static_cast<std::size_t>(it->block)].kind == BlockKind::server) {
        server = &rs_.blocks[static_cast<std::size_t>(it->block)];
        break;
      }
    if (server) {
      std::vector<Arg> a = conf();
      if (lname == "servername") {
        if (!a.empty()) {
          std::string_view v = a.front().value;
          if (v.rfind("https://", 0) == 0) server->https = true;
          server->server_names.insert(server->server_names.begin(), host_only(v));
          std::string_view hp = v.substr(v.find("://") == std::string_view::npos ? 0 : v.find("://") + 3);
          std::size_t colon = hp.rfind(':');
          if (colon != std::string_view::npos && hp.find(']', colon) == std::string_view::npos && colon + 1 < hp.size() &&
              hp.size() - colon <= 6 && std::all_of(hp.begin() + static_cast<std::ptrdiff_t>(colon) + 1, hp.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c));
              }))
            server->servername_port = std::stoi(std::string(hp.substr(colon + 1)));
        }
      } else {
        for (const Arg& x : a) server->server_names.push_back(host_only(x.value));
      }
    }
    add_unmodelled(ln, name, false);
    return;
  }
  if (lname == "sslengine") {
    std::vector<Arg> a = conf();
    if (!a.empty() && lower(a.front().value) == "on")
      for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
        if (it->block >= 0 && rs_.blocks[static_cast<std::size_t>(it->block)].kind == BlockKind::server) {
          rs_.blocks[static_cast<std::size_t>(it->block)].https = true;
          break;
        }
    add_unmodelled(ln, name, false);
    return;
  }
  if (lname == "documentroot") {
    std::vector<Arg> a = conf();
    if (!a.empty()) c.document_root = a.front().value;
    add_unmodelled(ln, name, false);
    return;
  }
  if (lname == "include" || lname == "includeoptional") {
    add_unmodelled(ln, name, true);
    report("RL006", line_range(ln), std::string(name) + " is not followed: rules in the included files are not analysed");
    return;
  }
  bool known_other = std::find(kOtherAliasRewrite.begin(), kOtherAliasRewrite.end(), lname) != kOtherAliasRewrite.end();
  if (!known_other) {
    const char* best = nullptr;
    int best_d = 3;
    for (const char* k : kRedirectDirectives) {
      int d = edit_distance(name, k, 2);
      if (d < best_d) best_d = d, best = k;
    }
    if (best && best_d <= 2) {
      add_unmodelled(ln, name, true);
      report("RL002", name_range, "unknown directive " + quote(name) + "; did you mean \"" + best + "\"?");
      return;
    }
  }
  add_unmodelled(ln, name, false);
}

void Parser::finish() {
  for (const Frame& f : stack_) {
    if (f.block < 0) continue;
    // httpd 2.4 reads a conditional section that holds to the end of the file without its closing
    // tag ("Syntax OK"); one that does not hold is "Expected </X> before end of configuration".
    const Block& b = rs_.blocks[static_cast<std::size_t>(f.block)];
    const bool negated = !b.argument.empty() && b.argument[0] == '!';
    const bool holds = ((f.name == "ifmodule" || f.name == "ifversion") && !negated) || (f.name == "ifdefine" && negated) ||
                       f.name == "iffile" || f.name == "ifdirective" || f.name == "ifsection";
    if (holds) continue;
    report("RL001", f.open, "<" + f.written + "> section is never closed (no </" + f.written + ">)");
  }
  for (Context& c : contexts_) {
    for (const PendingCond& p : c.pending) {
      // httpd keeps a RewriteCond that no RewriteRule follows, and ignores it.
      Unmodelled u;
      u.where = p.cond.where;
      u.directive = "RewriteCond";
      u.text = p.cond.original;
      u.block = c.block;
      rs_.unmodelled.push_back(std::move(u));
    }
    c.pending.clear();
  }
  for (const MapLookup& m : map_lookups_)
    if (std::find(maps_defined_.begin(), maps_defined_.end(), m.name) == maps_defined_.end())
      report("RL006", m.where, "RewriteMap lookup " + quote(m.text) + " is not modelled (the map is defined elsewhere)");
  same_host_rewrites();
  unsimulated_section_rules();
  // Relative per-directory substitutions get RewriteBase (the context's last one) or the directory.
  for (auto [rid, ctx] : relative_targets_) {
    Rule& r = rs_.rules[rid];
    const Context& c = contexts_[static_cast<std::size_t>(ctx)];
    const std::optional<std::string>& base =
        c.block >= 0 ? rs_.blocks[static_cast<std::size_t>(c.block)].rewrite_base.get() : rs_.rewrite_base;
    std::string prefix = base ? *base : c.dir;
    if (prefix.empty() || prefix.back() != '/') prefix.push_back('/');
    if (r.target) r.target->url = template_literal(prefix) + r.target->url;
  }
  // Host and scheme scope of rules in a <VirtualHost>, known only once the section is read. Every rule
  // of a vhost shares one list (no per-rule copies at a million rules).
  std::vector<std::pair<SharedStrings, SharedStrings>> scopes(rs_.blocks.size());
  std::vector<bool> made(rs_.blocks.size(), false);
  for (Rule& r : rs_.rules) {
    if (r.scope.server < 0) continue;
    auto b = static_cast<std::size_t>(r.scope.server);
    if (!made[b]) {
      const Block& s = rs_.blocks[b];
      scopes[b].first = s.server_names.list();
      if (s.https) scopes[b].second = {"https"};
      else if (!s.ports.empty()) scopes[b].second = {"http"};
      made[b] = true;
    }
    r.scope.hosts = scopes[b].first;
    r.scope.schemes = scopes[b].second;
  }
}

// mod_rewrite inside <Directory>, <Location>, <Files> or <If> is not simulated (mod_alias Redirects
// there are, in a server config): the simulator answers unknown where they apply.
void Parser::unsimulated_section_rules() {
  for (const Rule& r : rs_.rules) {
    if (r.origin.directive != "RewriteRule") continue;
    for (int b = r.scope.block; b >= 0; b = rs_.blocks[static_cast<std::size_t>(b)].parent) {
      const Block& blk = rs_.blocks[static_cast<std::size_t>(b)];
      std::string name = lower(blk.directive);
      if (blk.kind != BlockKind::location && blk.kind != BlockKind::directory && blk.kind != BlockKind::files &&
          name != "if" && name != "elseif" && name != "else")
        continue;
      report("RL006", r.where, "RewriteRule inside <" + blk.directive + "> is not simulated: requests it may answer are unknown");
      break;
    }
  }
}

}  // namespace apache

RuleSet parse_apache(SourceFiles& files, FileId id, Format format, const ParseOptions& opts) {
  try {
    apache::Parser p(files, id, format, opts);
    return p.run();
  } catch (const std::exception& e) {
    // Nothing above should throw; if it does, the file still gets a diagnostic, never a crash.
    RuleSet rs;
    rs.format = format;
    rs.file = id;
    rs.files.push_back(id);
    rs.parse_diags.push_back(make_diagnostic("RL001", files.range(id, 0, 0), std::string("internal parser error: ") + e.what()));
    return rs;
  }
}

}  // namespace rl
