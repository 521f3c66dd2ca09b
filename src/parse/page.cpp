// Redirects written in a site's pages (docs/pages.md): PHP header() calls (grammar/page.hpp php::),
// <meta http-equiv="refresh"> (libxml2's HTML parser, parse/html_scan), and location assignments in
// inline scripts (grammar/page.hpp js::). Each is a rule of the page's own URL.
//
// Which one the browser ends on, when a page has several (docs/pages.md):
// - a PHP Location header is an HTTP redirect: the browser never renders the page, so it wins;
// - an inline script runs while the page is parsed, before a refresh timer (even of 0 seconds) fires:
//   the first unconditional location assignment wins over a meta refresh;
// - the others are kept as RL006 notes (not modelled), as are conditional and computed redirects.
// Status: PHP's own (302 unless 201/3xx was set, the third argument, http_response_code()); for the
// client-side ones the code search engines read them as (Google Search Central, "Redirects and Google
// Search"): meta refresh of 0 seconds and JavaScript location = permanent (301), a later refresh =
// temporary (302).
#include <tao/pegtl.hpp>

#include <algorithm>
#include <optional>

#include "grammar/page.hpp"
#include "parse/html_scan.hpp"
#include "parse/parse.hpp"
#include "simulate/simulate.hpp"
#include "simulate/url.hpp"

namespace rl {

namespace {

namespace pegtl = tao::pegtl;
namespace gp = grammar::page;

/// A redirect found in the page, before it becomes a Rule.
struct Found {
  std::size_t begin = 0, end = 0;  ///< the URL's raw bytes in the page
  std::string url;                 ///< as written, unescaped
  std::string directive;           ///< "header", "meta refresh", "script window.location" ...
  std::string original;            ///< the call or element as written
  int status = 0;
  bool implicit = false;
};

/// A redirect that is not modelled (conditional, computed, or not the one the browser follows).
struct Skipped {
  std::size_t begin = 0, end = 0;
  std::string directive, why;
};

struct Scan {
  std::vector<Found> found;
  std::vector<Skipped> skipped;
};

/// The offset of an action's match in the scanned text.
template <typename Input>
std::size_t off(const Input& in, std::string_view text) {
  return static_cast<std::size_t>(in.begin() - text.data());
}

// ---- shared by both grammars: brace depth and the last significant token --------------------------

struct Tokens {
  int depth = 0;
  char last = ';';  // ';' at the start of the code: a statement may begin
  bool unconditional() const { return depth == 0 && (last == ';' || last == '}'); }
};

/// Unescapes a PHP / JS string literal's content; false when it interpolates (`$name` in a PHP "...",
/// `${` in a JS template) and so is no literal.
bool unescape(std::string_view raw, char quote, bool php, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (php && quote == '"' && c == '$') return false;
    if (!php && quote == '`' && c == '$' && i + 1 < raw.size() && raw[i + 1] == '{') return false;
    if (c == '\\' && i + 1 < raw.size()) {
      char n = raw[++i];
      // PHP single quotes know only \' and \\; other escapes stay as written.
      if (php && quote == '\'' && n != '\'' && n != '\\') out += '\\';
      out += n;
      continue;
    }
    out += c;
  }
  return true;
}

// ---- PHP ------------------------------------------------------------------------------------------

struct PhpState {
  std::string_view text;
  Tokens tok;
  struct Str {
    std::size_t begin = 0, end = 0;
    char quote = '"';
  } last_string;
  std::string replace_arg, code_arg;
  int status = 0;         // the response code set so far by unconditional calls
  bool status_set = false;
  Scan scan;
  std::optional<std::size_t> location;  // index in scan.found of the Location header
};

template <typename Rule>
struct php_action : pegtl::nothing<Rule> {};

template <char Q>
struct record_string {
  template <typename Input>
  static void apply(const Input& in, PhpState& st) {
    st.last_string = {off(in, st.text) + 1, off(in, st.text) + in.size() - 1, Q};
    if (in.size() < 2 || in.string_view().back() != Q) st.last_string.end = off(in, st.text) + in.size();
  }
};
template <>
struct php_action<gp::sq_string> : record_string<'\''> {};
template <>
struct php_action<gp::dq_string> : record_string<'"'> {};
template <>
struct php_action<gp::php::replace_arg> {
  template <typename Input>
  static void apply(const Input& in, PhpState& st) { st.replace_arg = in.string(); }
};
template <>
struct php_action<gp::php::code_arg> {
  template <typename Input>
  static void apply(const Input& in, PhpState& st) { st.code_arg = in.string(); }
};
template <>
struct php_action<gp::php::header_word> {
  template <typename Input>
  static void apply(const Input&, PhpState& st) {
    st.replace_arg.clear();
    st.code_arg.clear();
  }
};
template <>
struct php_action<gp::php::open_tag> {
  template <typename Input>
  static void apply(const Input&, PhpState& st) { st.tok.last = ';'; }
};
template <>
struct php_action<gp::php::open_brace> {
  template <typename Input>
  static void apply(const Input&, PhpState& st) { ++st.tok.depth; st.tok.last = '{'; }
};
template <>
struct php_action<gp::php::close_brace> {
  template <typename Input>
  static void apply(const Input&, PhpState& st) { st.tok.depth = std::max(0, st.tok.depth - 1); st.tok.last = '}'; }
};
template <>
struct php_action<gp::php::punct> {
  template <typename Input>
  static void apply(const Input& in, PhpState& st) { st.tok.last = in.peek_char(); }
};
template <>
struct php_action<gp::identifier> {
  template <typename Input>
  static void apply(const Input&, PhpState& st) { st.tok.last = 'w'; }
};
template <>
struct php_action<gp::php::member> {
  template <typename Input>
  static void apply(const Input&, PhpState& st) { st.tok.last = 'w'; }
};
template <>
struct php_action<gp::php::string_token> {
  template <typename Input>
  static void apply(const Input&, PhpState& st) { st.tok.last = 's'; }
};

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (v > 1000) return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

template <>
struct php_action<gp::php::response_code_call> {
  template <typename Input>
  static void apply(const Input& in, PhpState& st) {
    std::string_view s = in.string_view();
    std::size_t open = s.find('(');
    std::string digits;
    for (char c : s.substr(open)) if (c >= '0' && c <= '9') digits += c;
    if (st.tok.unconditional()) {
      st.status = to_int(digits);
      st.status_set = true;
    } else {
      st.scan.skipped.push_back({off(in, st.text), off(in, st.text) + in.size(), "http_response_code", "a conditional http_response_code(): the status it sets is not modelled"});
    }
    st.tok.last = ')';
  }
};

template <>
struct php_action<gp::php::dynamic_location> {
  template <typename Input>
  static void apply(const Input& in, PhpState& st) {
    st.scan.skipped.push_back({off(in, st.text), off(in, st.text) + in.size(), "header",
                               "a Location header built at run time (concatenation or variables): where it goes is not modelled"});
    st.tok.last = 'w';
  }
};

bool sets_status_3xx_or_201(int s) { return s == 201 || (s >= 300 && s <= 399); }

template <>
struct php_action<gp::php::header_call> {
  template <typename Input>
  static void apply(const Input& in, PhpState& st) {
    bool uncond = st.tok.unconditional();
    st.tok.last = ')';
    std::string value;
    std::string_view raw = st.text.substr(st.last_string.begin, st.last_string.end - st.last_string.begin);
    std::string code = std::exchange(st.code_arg, {});
    st.replace_arg.clear();
    if (!unescape(raw, st.last_string.quote, true, value)) {
      if (url::lower(raw).find("location") != std::string::npos)
        st.scan.skipped.push_back({off(in, st.text), off(in, st.text) + in.size(), "header", "a Location header with variables in it: where it goes is not modelled"});
      return;
    }
    std::string low = url::lower(value);
    if (low.rfind("http/", 0) == 0) {  // header("HTTP/1.1 301 Moved Permanently") sets the status
      std::size_t sp = value.find(' ');
      if (sp != std::string::npos && uncond) {
        st.status = to_int(value.substr(sp + 1, 3));
        st.status_set = true;
      }
      return;
    }
    std::size_t colon = value.find(':');
    if (colon == std::string::npos || url::lower(std::string_view(value).substr(0, colon)) != "location") {
      if (!code.empty() && uncond) {
        st.status = to_int(code);
        st.status_set = true;
      }
      return;
    }
    std::size_t b = colon + 1;
    while (b < value.size() && (value[b] == ' ' || value[b] == '\t')) ++b;
    if (!uncond) {
      st.scan.skipped.push_back({off(in, st.text), off(in, st.text) + in.size(), "header",
                                 "a conditional Location header (inside a block or after if/else): not modelled"});
      return;
    }
    if (st.location) {
      st.scan.skipped.push_back({off(in, st.text), off(in, st.text) + in.size(), "header", "a second Location header: the last one sent is modelled"});
      st.scan.found.erase(st.scan.found.begin() + static_cast<std::ptrdiff_t>(*st.location));
    }
    Found f;
    // The URL's bytes: after the raw literal's first ':' and blanks (escapes before it are rare).
    std::size_t url_in_raw = raw.find(':') + 1;
    while (url_in_raw < raw.size() && (raw[url_in_raw] == ' ' || raw[url_in_raw] == '\t')) ++url_in_raw;
    f.begin = st.last_string.begin + url_in_raw;
    f.end = st.last_string.end;
    f.url = value.substr(b);
    f.directive = "header";
    f.original = in.string();
    if (!code.empty() && to_int(code) != 0) {
      st.status = to_int(code);
      st.status_set = true;
      f.status = st.status;
    } else if (!st.status_set || !sets_status_3xx_or_201(st.status)) {
      f.status = 302;
      f.implicit = true;
      st.status = 302;
      st.status_set = true;
    } else {
      f.status = st.status;
    }
    st.location = st.scan.found.size();
    st.scan.found.push_back(std::move(f));
  }
};

void scan_php(std::string_view text, Scan& out) {
  PhpState st;
  st.text = text;
  pegtl::memory_input in(text.data(), text.size(), "");
  try {
    pegtl::parse<gp::php::file, php_action>(in, st);
  } catch (const pegtl::parse_error&) {
    return;  // the grammar never fails; kept so that no exception escapes a parser
  }
  // A status set after the Location header (http_response_code(301) later in the script) is the one sent.
  if (st.location && st.status_set && st.status != st.scan.found[*st.location].status &&
      st.status >= 300 && st.status <= 399) {
    st.scan.found[*st.location].status = st.status;
    st.scan.found[*st.location].implicit = false;
  }
  for (Found& f : st.scan.found)
    if (f.status < 300 || f.status > 399) {
      out.skipped.push_back({f.begin, f.end, "header", "a Location header sent with status " + std::to_string(f.status) + ": not a redirect"});
    } else {
      out.found.push_back(std::move(f));
    }
  out.skipped.insert(out.skipped.end(), st.scan.skipped.begin(), st.scan.skipped.end());
}

// ---- JavaScript -----------------------------------------------------------------------------------

struct JsState {
  std::string_view text;
  std::size_t base = 0;  // offset of the script in the page
  Tokens tok;
  std::size_t str_begin = 0, str_end = 0;
  char quote = '"';
  Scan scan;
};

template <typename Rule>
struct js_action : pegtl::nothing<Rule> {};

template <char Q>
struct js_string {
  template <typename Input>
  static void apply(const Input& in, JsState& st) {
    st.str_begin = off(in, st.text) + 1;
    st.str_end = off(in, st.text) + in.size() - (in.size() >= 2 && in.string_view().back() == Q ? 1 : 0);
    st.quote = Q;
  }
};
template <>
struct js_action<gp::sq_string> : js_string<'\''> {};
template <>
struct js_action<gp::dq_string> : js_string<'"'> {};
template <>
struct js_action<gp::bq_string> : js_string<'`'> {};
template <>
struct js_action<gp::js::string_token> {
  template <typename Input>
  static void apply(const Input&, JsState& st) { st.tok.last = 's'; }
};
template <>
struct js_action<gp::identifier> {
  template <typename Input>
  static void apply(const Input&, JsState& st) { st.tok.last = 'w'; }
};
template <>
struct js_action<gp::js::open_brace> {
  template <typename Input>
  static void apply(const Input&, JsState& st) { ++st.tok.depth; st.tok.last = '{'; }
};
template <>
struct js_action<gp::js::close_brace> {
  template <typename Input>
  static void apply(const Input&, JsState& st) { st.tok.depth = std::max(0, st.tok.depth - 1); st.tok.last = '}'; }
};
template <>
struct js_action<gp::js::punct> {
  template <typename Input>
  static void apply(const Input& in, JsState& st) { st.tok.last = in.peek_char(); }
};

void js_redirect(std::string_view written, std::size_t begin, std::size_t end, JsState& st) {
  // `foo.location = ...` is some other object's property.
  bool uncond = st.tok.unconditional();
  st.tok.last = 'w';
  std::string form(written.substr(0, written.find_first_of("=( \t\r\n")));
  std::string value;
  std::string_view raw = st.text.substr(st.str_begin, st.str_end - st.str_begin);
  if (!unescape(raw, st.quote, false, value)) {
    st.scan.skipped.push_back({st.base + begin, st.base + end, "script " + form, "a location built at run time: where it goes is not modelled"});
    return;
  }
  if (!uncond) {
    st.scan.skipped.push_back({st.base + begin, st.base + end, "script " + form,
                               "a conditional location change (inside a block, a function or after if/else): not modelled"});
    return;
  }
  Found f;
  f.begin = st.base + st.str_begin;
  f.end = st.base + st.str_end;
  f.url = value;
  f.directive = "script " + form;
  f.original = std::string(written);
  f.status = 301;
  st.scan.found.push_back(std::move(f));
}

template <>
struct js_action<gp::js::assign> {
  template <typename Input>
  static void apply(const Input& in, JsState& st) {
    if (st.tok.last == '.') return;
    js_redirect(in.string_view(), off(in, st.text), off(in, st.text) + in.size(), st);
  }
};
template <>
struct js_action<gp::js::call> {
  template <typename Input>
  static void apply(const Input& in, JsState& st) {
    if (st.tok.last == '.') return;
    std::string_view s = in.string_view();
    std::string compact;
    for (char c : s.substr(0, s.find('('))) if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
    js_redirect(compact + "(", off(in, st.text), off(in, st.text) + in.size(), st);
    st.tok.last = ')';
  }
};

void scan_script(std::string_view page, std::size_t begin, std::size_t end, Scan& out) {
  JsState st;
  st.text = page.substr(begin, end - begin);
  st.base = begin;
  pegtl::memory_input in(st.text.data(), st.text.size(), "");
  try {
    pegtl::parse<gp::js::script, js_action>(in, st);
  } catch (const pegtl::parse_error&) {
    return;
  }
  out.found.insert(out.found.end(), st.scan.found.begin(), st.scan.found.end());
  out.skipped.insert(out.skipped.end(), st.scan.skipped.begin(), st.scan.skipped.end());
}

// ---- HTML -----------------------------------------------------------------------------------------

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/// The HTML "shared declarative refresh steps": delay, then an optional `;`/`,` and `url=`, then the
/// URL (quotes removed). Returns the offset of the URL in `content`, or npos when there is none.
std::size_t refresh_url(std::string_view content, int& delay, std::size_t& url_len) {
  std::size_t i = 0;
  while (i < content.size() && space(content[i])) ++i;
  std::size_t d = i;
  while (i < content.size() && content[i] >= '0' && content[i] <= '9') ++i;
  if (i == d && (i >= content.size() || content[i] != '.')) return std::string_view::npos;
  delay = i == d ? 0 : to_int(content.substr(d, std::min<std::size_t>(i - d, 4)));
  while (i < content.size() && (content[i] == '.' || (content[i] >= '0' && content[i] <= '9'))) ++i;
  while (i < content.size() && space(content[i])) ++i;
  if (i < content.size() && (content[i] == ';' || content[i] == ',')) ++i;
  while (i < content.size() && space(content[i])) ++i;
  if (i >= content.size()) return std::string_view::npos;
  std::size_t save = i;
  if (content.size() - i >= 3 && url::lower(content.substr(i, 3)) == "url") {
    i += 3;
    while (i < content.size() && space(content[i])) ++i;
    if (i < content.size() && content[i] == '=') {
      ++i;
      while (i < content.size() && space(content[i])) ++i;
    } else {
      i = save;
    }
  }
  std::size_t e = content.size();
  if (i < content.size() && (content[i] == '"' || content[i] == '\'')) {
    char q = content[i++];
    std::size_t close = content.find(q, i);
    if (close != std::string_view::npos) e = close;
  }
  while (e > i && space(content[e - 1])) --e;
  if (e == i) return std::string_view::npos;
  url_len = e - i;
  return i;
}

void scan_html(std::string_view page, Scan& out) {
  Scan client;
  std::vector<Found> refreshes;
  for (const html::Element& el : html::scan(page)) {
    if (el.name == "script" && el.content_end > el.content_begin) scan_script(page, el.content_begin, el.content_end, client);
    if (el.name != "meta") continue;
    const html::Attr* equiv = el.attr("http-equiv");
    const html::Attr* content = el.attr("content");
    if (!equiv || !content || url::lower(equiv->value) != "refresh") continue;
    int delay = 0;
    std::size_t len = 0;
    std::size_t at = refresh_url(content->value, delay, len);
    if (at == std::string_view::npos) continue;
    Found f;
    f.url = content->value.substr(at, len);
    // The raw bytes: the URL is found in the raw value (entities rarely stand in a refresh URL).
    if (content->located()) {
      std::string_view raw = page.substr(content->value_begin, content->value_end - content->value_begin);
      std::size_t k = raw.find(f.url);
      f.begin = content->value_begin + (k == std::string_view::npos ? 0 : k);
      f.end = k == std::string_view::npos ? content->value_end : f.begin + f.url.size();
    }
    f.directive = "meta refresh";
    if (el.located) {
      std::size_t gt = page.find('>', el.begin);
      f.original = std::string(page.substr(el.begin, gt == std::string_view::npos ? std::string_view::npos : gt + 1 - el.begin));
    }
    f.status = delay == 0 ? 301 : 302;
    refreshes.push_back(std::move(f));
  }
  client.found.insert(client.found.end(), refreshes.begin(), refreshes.end());
  out.found.insert(out.found.end(), client.found.begin(), client.found.end());
  out.skipped.insert(out.skipped.end(), client.skipped.begin(), client.skipped.end());
}

std::string escape_template(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '$' || c == '%') out += c;
    out += c;
  }
  return out;
}

bool is_index(std::string_view name) { return name == "index.html" || name == "index.htm" || name == "index.php"; }

Rule make_rule(const SourceFiles& files, FileId id, std::string_view url_path, const Found& f, RuleSet& into) {
  Rule r;
  r.id = static_cast<RuleId>(into.rules.size());
  r.where = files.range(id, f.begin, f.end);
  r.origin = {Format::page, f.directive};
  r.match.kind = MatchKind::exact;
  r.match.text = std::string(url_path);
  r.match.original = std::string(url_path);
  r.action = Action::redirect;
  r.status = f.status;
  r.status_implicit = f.implicit;
  r.flow = Flow::stop;
  r.original = f.original;
  Target t;
  std::string_view u = f.url;
  if (url::is_absolute(u)) {
    t.url = escape_template(u.substr(0, u.find('#')));
    t.absolute = true;
  } else if (u.substr(0, 2) == "//") {
    t.url = "${scheme}:" + escape_template(u.substr(0, u.find('#')));
    t.absolute = true;
  } else {
    Request page;
    page.target = url::apache_escape_path(url_path);
    Request next;
    if (follow(page, u, next)) t.url = escape_template(next.target);
    else t.url = escape_template(u);
  }
  t.query = t.url.find('?') != std::string::npos ? QueryMode::replace : QueryMode::drop;
  r.target = std::move(t);
  return r;
}

}  // namespace

bool is_client_side_redirect(const Rule& r) {
  return r.origin.format == Format::page && (r.origin.directive == "meta refresh" || r.origin.directive.rfind("script ", 0) == 0);
}

void read_page(const SourceFiles& files, FileId id, std::string_view url_path, RuleSet& into) {
  into.files.push_back(id);
  const std::string& text = files.get(id).text;
  std::string name = url::lower(url_path.substr(url_path.rfind('/') + 1));
  Scan scan;
  if (name.ends_with(".php")) scan_php(text, scan);
  std::size_t server_side = scan.found.size();
  scan_html(text, scan);
  // The one the browser ends on is modelled (see the file comment); the others are RL006 notes.
  for (std::size_t i = 0; i < scan.found.size(); ++i) {
    const Found& f = scan.found[i];
    if (i == 0) {
      into.rules.push_back(make_rule(files, id, url_path, f, into));
      if (is_index(name)) into.rules.push_back(make_rule(files, id, url_path.substr(0, url_path.size() - name.size()), f, into));
      continue;
    }
    std::string why = server_side > 0 ? "the page sends a Location header first, so the browser never runs this"
                                      : "an earlier redirect of the page runs first";
    into.unmodelled.push_back({files.range(id, f.begin, f.end), f.directive, f.original, -1, false});
    into.parse_diags.push_back(make_diagnostic("RL006", files.range(id, f.begin, f.end),
                                               "another redirect in this page (" + f.directive + "): " + why + "; not modelled"));
  }
  for (const Skipped& s : scan.skipped) {
    into.unmodelled.push_back({files.range(id, s.begin, s.end), s.directive, text.substr(s.begin, s.end - s.begin), -1, true});
    into.parse_diags.push_back(make_diagnostic("RL006", files.range(id, s.begin, s.end), s.why));
  }
}

RuleSet parse_page(SourceFiles& files, FileId id, const ParseOptions&) {
  RuleSet rs;
  rs.format = Format::page;
  rs.context = Context::file_rules;
  rs.file = id;
  const std::string& path = files.path(id);
  read_page(files, id, "/" + path.substr(path.rfind('/') + 1), rs);
  return rs;
}

}  // namespace rl
