// IIS `web.config` → model: the URL Rewrite module's `<system.webServer><rewrite><rules>` and
// `<rewriteMaps>`, and the HTTP Redirection feature's `<httpRedirect>` (docs/formats/iis.md has the
// semantics and the Microsoft pages they come from).
//
// XML is read by libxml2 with the network off, no DTD loaded and no entity substituted; a document
// with a DOCTYPE is refused (RL001) before libxml2 sees it, so no entity can expand (web.config files
// never have one). libxml2 gives the line of each element; the exact column and the end of an element
// or an attribute value are found in the source text from there.
//
// Mapping (IIS matches `url` against the path relative to the web.config, without its leading '/'):
// - `<match url>` → Pattern against the full path: `^old/(.*)` → `^/old/(.*)` (per_dir_pattern, the
//   .htaccess rebasing); ignoreCase (default true), negate; patternSyntax Wildcard (`*` captured) and
//   ExactMatch are turned into regexes / exact matches.
// - `<conditions>`: `<add input pattern negate ignoreCase matchType>` → Condition with the input as a
//   template; logicalGrouping="MatchAny" sets or_next on all but the last. matchType IsFile /
//   IsDirectory → -f / -d on REQUEST_FILENAME.
// - `{R:N}` → `$N`, `{C:N}` → `%N`, server variables by meaning (`{HTTP_HOST}` → `${http_host}`,
//   `{REQUEST_URI}` → `${request_uri}`, `{HTTPS}` → `${https}`, `{HTTP_X_Y}` → `${http:X-Y}` ...).
// - `<action type="Redirect">` → redirect (redirectType Permanent 301 default, Found 302, SeeOther
//   303, Temporary 307), always the last rule run; Rewrite → internal rewrite that goes on to the
//   next rule unless stopProcessing; CustomResponse → answer; AbortRequest → answer 444 (the
//   connection is closed without a response, nginx's 444); None → no action.
// - appendQueryString (default true): a target with `?` appends the request's query (`&q`), one
//   without keeps it; false drops it (or the target's own query replaces it).
// - A rewrite map used as `{Map:{REQUEST_URI}}` (or `{URL}`/`{PATH_INFO}`) in a condition whose
//   target is `{C:1}`/`{C:0}` (the usual "static redirects" recipe) becomes one exact rule per map
//   entry, at the entry's line; any other use of a map is RL006 and the simulator says "unknown".
// - `<httpRedirect enabled="true" destination>` → a prefix redirect of the location (exactDestination
//   false: the rest of the path is appended), httpResponseStatus Found (302, the implicit default),
//   Permanent, Temporary, PermRedirect (308).
// - `<location path="x">` scopes what is inside to the URL path `/x/`.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "parse/apache_internal.hpp"
#include "parse/parse.hpp"
#include "parse/yaml_util.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

using apache::is_url;
using apache::per_dir_pattern;
using apache::quote;
using file_rules::ascii_lower;

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string attr(xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return {};
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

bool has_attr(xmlNode* n, const char* name) { return xmlHasProp(n, reinterpret_cast<const xmlChar*>(name)) != nullptr; }

bool is(xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

std::string node_name(xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

/// "true"/"false" as IIS reads them (case-insensitive); anything else is `fallback`.
bool boolean(const std::string& v, bool fallback) {
  std::string l = ascii_lower(v);
  if (l == "true") return true;
  if (l == "false") return false;
  return fallback;
}

/// Byte offsets of one element in the source: its start tag and the whole element.
struct Span {
  std::size_t begin = 0, tag_end = 0, end = 0;
};

class IisParser {
 public:
  IisParser(SourceFiles& files, FileId id, RuleSet& rs) : files_(files), id_(id), rs_(rs), text_(files.get(id).text) {}
  void run();

 private:
  struct Scope {
    std::string dir = "/";  // URL path of the <location>, '/'-terminated
    int block = -1;
  };
  struct MapEntry {
    std::string key, value;
    SourceRange where;
  };
  struct RewriteMap {
    std::string name;
    bool ignore_case = true;
    std::string default_value;
    std::vector<MapEntry> entries;
  };

  void walk(xmlNode* n, const Scope& sc);
  void read_web_server(xmlNode* n, const Scope& sc);
  void read_maps(xmlNode* maps);
  void read_rules(xmlNode* rules, const Scope& sc);
  void read_rule(xmlNode* rule, const Scope& sc);
  void read_http_redirect(xmlNode* n, const Scope& sc);
  void unmodelled(xmlNode* n, bool relevant, const Scope& sc);
  /// A rule of element span `s` in scope `sc`: where, origin, scope and original filled in.
  Rule new_rule(const Span& s, const Scope& sc, const char* directive) const;

  Span span(xmlNode* n) const;
  SourceRange range(xmlNode* n) const;
  SourceRange attr_range(xmlNode* n, const char* name) const;
  std::string one_line(std::size_t b, std::size_t e) const;
  void report(std::string_view code, SourceRange at, std::string msg) { rs_.parse_diags.push_back(make_diagnostic(code, at, std::move(msg))); }

  /// IIS `{...}` syntax → Target template. `maps` collects `{Map:...}` lookups (name, inner text).
  std::string to_template(std::string_view text, std::vector<std::pair<std::string, std::string>>* maps = nullptr) const;
  std::string variable(std::string_view name) const;
  const RewriteMap* find_map(std::string_view name) const;
  bool pattern_ok(xmlNode* n, const char* attr_name, const std::string& re, bool icase);

  SourceFiles& files_;
  FileId id_;
  RuleSet& rs_;
  std::string_view text_;
  std::vector<RewriteMap> maps_;
};

// libxml2 records the line on which an element's start tag ends; the tag starts at the last `<name`
// at or before that line's end.
Span IisParser::span(xmlNode* n) const {
  Span s;
  const SourceFile& f = files_.get(id_);
  auto line = static_cast<std::size_t>(std::max(1L, xmlGetLineNo(n)));
  std::size_t line_end = line < f.line_starts.size() ? f.line_starts[line] : text_.size();
  std::string open = "<" + node_name(n);
  std::size_t b = line_end;
  while (true) {
    std::size_t p = text_.rfind(open, b == 0 ? 0 : b - 1);
    if (p == std::string_view::npos) return Span{0, 0, 0};
    std::size_t after = p + open.size();
    if (after >= text_.size() || std::isspace(static_cast<unsigned char>(text_[after])) || text_[after] == '>' || text_[after] == '/') {
      b = p;
      break;
    }
    if (p == 0) return Span{0, 0, 0};
    b = p;
  }
  s.begin = b;
  char quote = 0;
  std::size_t i = b + open.size();
  for (; i < text_.size(); ++i) {
    char c = text_[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    }
  }
  s.tag_end = std::min(i + 1, text_.size());
  if (s.tag_end >= 2 && text_[s.tag_end - 2] == '/') {
    s.end = s.tag_end;
    return s;
  }
  std::string close = "</" + node_name(n);
  std::size_t c = text_.find(close, s.tag_end);
  if (c == std::string_view::npos) {
    s.end = s.tag_end;
  } else {
    std::size_t gt = text_.find('>', c);
    s.end = gt == std::string_view::npos ? text_.size() : gt + 1;
  }
  return s;
}

SourceRange IisParser::range(xmlNode* n) const {
  Span s = span(n);
  return files_.range(id_, s.begin, s.end);
}

// The value of attribute `name` inside the element's start tag (without its quotes); the start tag
// when it is not written there.
SourceRange IisParser::attr_range(xmlNode* n, const char* name) const {
  Span s = span(n);
  std::string_view tag = text_.substr(s.begin, s.tag_end - s.begin);
  std::string key = name;
  std::size_t i = 0;
  char quote = 0;
  for (; i < tag.size(); ++i) {
    char c = tag[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (i > 0 && std::isspace(static_cast<unsigned char>(tag[i - 1])) && tag.substr(i, key.size()) == key) {
      std::size_t j = i + key.size();
      while (j < tag.size() && std::isspace(static_cast<unsigned char>(tag[j]))) ++j;
      if (j >= tag.size() || tag[j] != '=') continue;
      ++j;
      while (j < tag.size() && std::isspace(static_cast<unsigned char>(tag[j]))) ++j;
      if (j >= tag.size() || (tag[j] != '"' && tag[j] != '\'')) continue;
      std::size_t e = tag.find(tag[j], j + 1);
      if (e == std::string_view::npos) break;
      return files_.range(id_, s.begin + j + 1, s.begin + e);
    }
  }
  return files_.range(id_, s.begin, s.tag_end);
}

std::string IisParser::one_line(std::size_t b, std::size_t e) const {
  std::string out;
  bool space = false;
  for (char c : text_.substr(b, e - b)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string IisParser::variable(std::string_view name) const {
  std::string n = ascii_lower(name);
  if (n == "http_host") return "${http_host}";
  if (n == "https") return "${https}";
  if (n == "query_string") return "${query}";
  if (n == "request_uri") return "${request_uri}";
  if (n == "url" || n == "path_info") return "${uri}";
  if (n == "server_port") return "${server_port}";
  if (n == "request_method") return "${method}";
  if (n == "server_name") return "${server_name}";
  if (n == "request_filename") return "${var:REQUEST_FILENAME}";
  if (n.rfind("http_", 0) == 0 && n.size() > 5) {
    std::string h(name.substr(5));
    for (char& c : h) c = c == '_' ? '-' : c;
    return "${http:" + h + "}";
  }
  return "${var:" + std::string(name) + "}";
}

// `{R:1}`, `{C:2}`, `{HTTP_HOST}`, `{MapName:{R:1}}`, `{ToLower:...}`; other text is literal.
std::string IisParser::to_template(std::string_view text, std::vector<std::pair<std::string, std::string>>* maps) const {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c != '{') {
      if (c == '$' || c == '%') out += c;
      out += c;
      ++i;
      continue;
    }
    // The matching '}' (nested braces for `{Map:{R:1}}`).
    int depth = 0;
    std::size_t j = i;
    for (; j < text.size(); ++j) {
      if (text[j] == '{') ++depth;
      else if (text[j] == '}' && --depth == 0) break;
    }
    if (j >= text.size()) {
      out += file_rules::template_literal(text.substr(i));
      break;
    }
    std::string_view inner = text.substr(i + 1, j - i - 1);
    i = j + 1;
    std::size_t colon = inner.find(':');
    std::string_view head = inner.substr(0, colon);
    std::string_view rest = colon == std::string_view::npos ? std::string_view() : inner.substr(colon + 1);
    if (colon != std::string_view::npos && (head == "R" || head == "C") && rest.size() == 1 && std::isdigit(static_cast<unsigned char>(rest[0]))) {
      out += (head == "R" ? "$" : "%") + std::string(rest);
    } else if (colon == std::string_view::npos) {
      out += variable(inner);
    } else {
      // A function (ToLower, UrlEncode ...) or a rewrite map: not modelled as a value.
      if (maps && find_map(head)) maps->emplace_back(std::string(head), std::string(rest));
      std::string safe;
      for (char ch : inner) safe += (ch == '{' || ch == '}') ? '.' : ch;
      out += "${var:" + safe + "}";
    }
  }
  return out;
}

const IisParser::RewriteMap* IisParser::find_map(std::string_view name) const {
  for (const RewriteMap& m : maps_)
    if (ascii_lower(m.name) == ascii_lower(name)) return &m;
  return nullptr;
}

bool IisParser::pattern_ok(xmlNode* n, const char* attr_name, const std::string& re, bool icase) {
  RegexError err;
  if (Regex::compile(re, icase, &err)) return true;
  report("RL003", attr_range(n, attr_name), "invalid regex " + quote(re) + ": " + err.message);
  return false;
}

Rule IisParser::new_rule(const Span& s, const Scope& sc, const char* directive) const {
  Rule r;
  r.where = files_.range(id_, s.begin, s.end);
  r.origin = {Format::iis, directive};
  r.scope.block = sc.block;
  r.scope.dir = sc.dir == "/" ? "" : sc.dir;
  r.original = one_line(s.begin, s.tag_end);
  return r;
}

void IisParser::unmodelled(xmlNode* n, bool relevant, const Scope& sc) {
  Span s = span(n);
  rs_.unmodelled.push_back(Unmodelled{files_.range(id_, s.begin, s.end), node_name(n), std::string(text_.substr(s.begin, s.end - s.begin)), sc.block, relevant});
  if (relevant)
    report("RL006", files_.range(id_, s.begin, s.tag_end), "<" + node_name(n) + "> is not modelled: requests it answers are not simulated");
}

void IisParser::run() {
  // A DTD could declare entities (the "billion laughs"): web.config files never have one.
  if (text_.find("<!DOCTYPE") != std::string_view::npos || text_.find("<!ENTITY") != std::string_view::npos) {
    std::size_t at = std::min(text_.find("<!DOCTYPE"), text_.find("<!ENTITY"));
    report("RL001", files_.range(id_, at, at + 2), "a web.config with a DOCTYPE or an ENTITY declaration is not read (entity expansion is off)");
    return;
  }
  xmlParserCtxtPtr ctx = xmlNewParserCtxt();
  if (!ctx) {
    report("RL001", files_.range(id_, 0, 0), "cannot read the file: the XML parser could not start");
    return;
  }
  std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)> hold(ctx, xmlFreeParserCtxt);
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  std::unique_ptr<xmlDoc, DocFree> doc(xmlCtxtReadMemory(ctx, text_.data(), static_cast<int>(text_.size()), files_.path(id_).c_str(), nullptr, options));
  const xmlError* e = xmlCtxtGetLastError(ctx);
  if (!doc || (e && e->level >= XML_ERR_ERROR)) {
    std::size_t at = 0;
    if (e && e->line > 0) {
      const SourceFile& f = files_.get(id_);
      auto line = static_cast<std::size_t>(e->line);
      at = line - 1 < f.line_starts.size() ? f.line_starts[line - 1] : text_.size();
      if (e->int2 > 0) at = std::min(at + static_cast<std::size_t>(e->int2) - 1, text_.size());
    }
    std::string msg = e && e->message ? e->message : "not well-formed XML";
    while (!msg.empty() && std::isspace(static_cast<unsigned char>(msg.back()))) msg.pop_back();
    report("RL001", files_.range(id_, at, std::min(at + 1, text_.size())), "not well-formed XML: " + msg);
    return;
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!root) return;
  walk(root, Scope{});
}

void IisParser::walk(xmlNode* c, const Scope& sc) {
  if (is(c, "system.webServer")) {
    read_web_server(c, sc);
  } else if (is(c, "configuration")) {
    for (xmlNode* k = c->children; k; k = k->next) walk(k, sc);
  } else if (is(c, "location")) {
    Scope inner = sc;
    std::string path = attr(c, "path");
    while (!path.empty() && (path.front() == '/' || path.front() == '.')) path.erase(0, 1);
    if (!path.empty()) {
      Block b;
      b.kind = BlockKind::location;
      b.parent = sc.block;
      b.directive = "location";
      b.argument = attr(c, "path");
      b.path = sc.dir + path;
      Span s = span(c);
      b.where = files_.range(id_, s.begin, s.tag_end);
      b.end = files_.range(id_, s.end, s.end);
      rs_.blocks.push_back(std::move(b));
      inner.block = static_cast<int>(rs_.blocks.size()) - 1;
      inner.dir = sc.dir + path + (path.back() == '/' ? "" : "/");
    }
    for (xmlNode* k = c->children; k; k = k->next) walk(k, inner);
  }
}

void IisParser::read_web_server(xmlNode* n, const Scope& sc) {
  // Maps first: a rule may use a map defined after it.
  for (xmlNode* c = n->children; c; c = c->next)
    if (is(c, "rewrite"))
      for (xmlNode* k = c->children; k; k = k->next)
        if (is(k, "rewriteMaps")) read_maps(k);
  for (xmlNode* c = n->children; c; c = c->next) {
    if (is(c, "httpRedirect")) read_http_redirect(c, sc);
    if (!is(c, "rewrite")) continue;
    for (xmlNode* k = c->children; k; k = k->next) {
      if (is(k, "rules")) {
        if (has_attr(k, "configSource")) unmodelled(k, true, sc);
        else read_rules(k, sc);
      } else if (is(k, "outboundRules") || is(k, "allowedServerVariables") || is(k, "providers")) {
        unmodelled(k, false, sc);
      } else if (is(k, "globalRules")) {
        read_rules(k, sc);
      } else if (is(k, "rewriteMaps") && has_attr(k, "configSource")) {
        unmodelled(k, true, sc);
      }
    }
  }
}

void IisParser::read_maps(xmlNode* maps) {
  for (xmlNode* m = maps->children; m; m = m->next) {
    if (!is(m, "rewriteMap")) continue;
    RewriteMap map;
    map.name = attr(m, "name");
    map.ignore_case = boolean(attr(m, "ignoreCase"), true);
    map.default_value = attr(m, "defaultValue");
    for (xmlNode* a = m->children; a; a = a->next)
      if (is(a, "add")) map.entries.push_back(MapEntry{attr(a, "key"), attr(a, "value"), range(a)});
    maps_.push_back(std::move(map));
  }
}

void IisParser::read_rules(xmlNode* rules, const Scope& sc) {
  for (xmlNode* c = rules->children; c; c = c->next) {
    if (is(c, "rule")) read_rule(c, sc);
    else if (is(c, "clear") || is(c, "remove")) unmodelled(c, false, sc);  // inherited rules: not in this file
  }
}

// The pattern of `<match url>` / `<add pattern>` in the rule's syntax, as a regex over the same
// subject (not yet rebased). Wildcard: `*` is a captured `.*`; ExactMatch: the whole text.
std::string syntax_regex(std::string_view syntax, std::string_view pattern) {
  std::string s = ascii_lower(syntax);
  if (s == "wildcard") {
    std::string out = "^";
    for (char c : pattern) out += c == '*' ? std::string("(.*)") : c == '?' ? std::string("(.)") : regex_escape(std::string_view(&c, 1));
    return out + "$";
  }
  if (s == "exactmatch") return "^" + regex_escape(pattern) + "$";
  return std::string(pattern);
}

void IisParser::read_rule(xmlNode* rule, const Scope& sc) {
  Span s = span(rule);
  const std::string name = attr(rule, "name");
  if (!boolean(attr(rule, "enabled"), true)) return;  // a disabled rule never runs
  const std::string syntax = attr(rule, "patternSyntax");
  const bool stop = boolean(attr(rule, "stopProcessing"), false);
  xmlNode *match = nullptr, *conditions = nullptr, *action = nullptr;
  for (xmlNode* c = rule->children; c; c = c->next) {
    if (is(c, "match")) match = c;
    else if (is(c, "conditions")) conditions = c;
    else if (is(c, "action")) action = c;
  }
  if (!match || !has_attr(match, "url")) {
    report("RL001", files_.range(id_, s.begin, s.tag_end), "rule " + quote(name) + " has no <match url=\"...\">");
    return;
  }
  Rule r = new_rule(s, sc, "rule");
  const std::string url = attr(match, "url");
  r.match.ignore_case = boolean(attr(match, "ignoreCase"), true);
  r.match.negated = boolean(attr(match, "negate"), false);
  r.match.original = url;
  if (ascii_lower(syntax) == "exactmatch") {
    r.match.kind = MatchKind::exact;
    r.match.text = sc.dir + url;
  } else {
    std::string re = syntax_regex(syntax, url);
    if (!pattern_ok(match, "url", re, r.match.ignore_case)) return;
    r.match.kind = MatchKind::regex;
    // An unanchored pattern that starts with `.*` / `(.*)` / `(.+)` always matches from the first
    // character: anchoring it keeps its captures and spares the rebased `.*?`.
    if (re.rfind(".*", 0) == 0 || re.rfind("(.*)", 0) == 0 || re.rfind("(.+)", 0) == 0) re.insert(0, "^");
    r.match.text = per_dir_pattern(re, sc.dir);
  }

  // Conditions; a map lookup among them is remembered for the expansion below.
  std::optional<std::size_t> map_cond;
  std::string map_name, map_input;
  if (conditions) {
    const bool any = ascii_lower(attr(conditions, "logicalGrouping")) == "matchany";
    for (xmlNode* a = conditions->children; a; a = a->next) {
      if (!is(a, "add")) continue;
      Condition c;
      c.where = range(a);
      c.original = one_line(span(a).begin, span(a).end);
      std::vector<std::pair<std::string, std::string>> maps;
      c.test = to_template(attr(a, "input"), &maps);
      c.pattern.ignore_case = boolean(attr(a, "ignoreCase"), true);
      c.pattern.negated = boolean(attr(a, "negate"), false);
      c.or_next = any;
      std::string type = ascii_lower(attr(a, "matchType"));
      if (type == "isfile" || type == "isdirectory") {
        c.op = type == "isfile" ? CondOp::file_exists : CondOp::dir_exists;
      } else {
        c.op = CondOp::regex;
        c.pattern.original = attr(a, "pattern");
        c.pattern.text = syntax_regex(syntax, c.pattern.original);
        if (!pattern_ok(a, "pattern", c.pattern.text, c.pattern.ignore_case)) return;
      }
      if (!maps.empty()) {
        map_cond = r.conds.size();
        map_name = maps.front().first;
        map_input = maps.front().second;
      }
      r.conds.push_back(std::move(c));
    }
    if (!r.conds.empty()) r.conds.back().or_next = false;
  }

  std::string type = action ? ascii_lower(attr(action, "type")) : "none";
  if (type.empty()) type = "none";
  const std::string to = action ? attr(action, "url") : std::string();
  const bool append = action ? boolean(attr(action, "appendQueryString"), true) : true;
  std::vector<std::pair<std::string, std::string>> target_maps;
  if (type == "redirect" || type == "rewrite") {
    Target t;
    t.url = to_template(to, &target_maps);
    t.absolute = is_url(to);
    if (!t.absolute && !t.url.empty() && t.url[0] != '/' && t.url[0] != '$' && t.url[0] != '%')
      t.url = file_rules::template_literal(sc.dir) + t.url;  // relative to the web.config's directory
    const bool own_query = to.find('?') != std::string::npos;
    t.query = append ? (own_query ? QueryMode::append : QueryMode::keep) : (own_query ? QueryMode::replace : QueryMode::drop);
    r.target = t;
  }
  if (type == "redirect") {
    std::string rt = ascii_lower(attr(action, "redirectType"));
    r.action = Action::redirect;
    r.status = rt == "found" ? 302 : rt == "seeother" ? 303 : rt == "temporary" ? 307 : 301;
    r.status_implicit = rt.empty();
    if (!rt.empty() && rt != "permanent" && rt != "found" && rt != "seeother" && rt != "temporary")
      report("RL004", attr_range(action, "redirectType"), "redirectType " + quote(attr(action, "redirectType")) + " is not one of Permanent, Found, SeeOther, Temporary");
    r.flow = Flow::stop;
  } else if (type == "rewrite") {
    r.action = Action::rewrite;
    r.flow = stop ? Flow::stop : Flow::next;
    if (r.target && r.target->absolute) {
      unmodelled(action, true, sc);  // a rewrite to another host is a proxy (ARR)
      return;
    }
  } else if (type == "customresponse") {
    r.action = Action::answer;
    std::string code = attr(action, "statusCode");
    r.status = code.size() == 3 && std::all_of(code.begin(), code.end(), ::isdigit) ? std::stoi(code) : 0;
    if (r.status < 100) {
      report("RL004", attr_range(action, "statusCode"), "CustomResponse statusCode " + quote(code) + " is not an HTTP status");
      return;
    }
  } else if (type == "abortrequest") {
    r.action = Action::answer;
    r.status = 444;
  } else if (type == "none") {
    r.action = Action::none;
    r.flow = stop ? Flow::stop : Flow::next;
  } else {
    report("RL002", attr_range(action, "type"), "unknown action type " + quote(attr(action, "type")) + " (Rewrite, Redirect, CustomResponse, AbortRequest, None)");
    return;
  }

  // The "static redirects" recipe: {Map:{REQUEST_URI}} in a condition, {C:1} as the target.
  if (map_cond && target_maps.empty() && r.target) {
    const RewriteMap* m = find_map(map_name);
    std::string in = ascii_lower(map_input);
    const Condition& mc = r.conds[*map_cond];
    const bool whole = mc.op == CondOp::regex && !mc.pattern.negated &&
                       (mc.pattern.text == "(.+)" || mc.pattern.text == "(.*)" || mc.pattern.text == "^(.+)$" || mc.pattern.text == "^(.*)$");
    const bool path_input = in == "{request_uri}" || in == "{url}" || in == "{path_info}";
    if (m && whole && path_input && (r.target->url == "%1" || r.target->url == "%0") && m->default_value.empty()) {
      for (const MapEntry& e : m->entries) {
        Rule x = r;
        x.origin.directive = "rewriteMap";
        x.where = e.where;
        x.conds.erase(x.conds.begin() + static_cast<std::ptrdiff_t>(*map_cond));
        std::string key = e.key;
        std::size_t q = key.find('?');
        x.match = Pattern{};
        x.match.kind = MatchKind::exact;
        x.match.ignore_case = m->ignore_case;
        x.match.original = e.key;
        x.match.text = file_rules::percent_decode(key.substr(0, q));
        if (in == "{request_uri}") {
          // REQUEST_URI carries the query: the key matches only that exact query (none when it has no '?').
          Condition qc;
          qc.test = "${query}";
          qc.op = CondOp::equal;
          qc.pattern.text = q == std::string::npos ? "" : key.substr(q + 1);
          qc.pattern.ignore_case = m->ignore_case;
          qc.where = e.where;
          x.conds.insert(x.conds.begin(), qc);
        }
        // Other conditions still apply (the rule's own match on the whole URL is implied by the key).
        x.target->url = file_rules::template_literal(e.value);
        x.target->absolute = is_url(e.value);
        const bool own_query = e.value.find('?') != std::string::npos;
        x.target->query = append ? (own_query ? QueryMode::append : QueryMode::keep) : (own_query ? QueryMode::replace : QueryMode::drop);
        x.original = "<add key=\"" + e.key + "\" value=\"" + e.value + "\" /> (rewriteMap " + quote(m->name) + ", rule " + quote(name) + ")";
        x.id = static_cast<RuleId>(rs_.rules.size());
        rs_.rules.push_back(std::move(x));
      }
      return;
    }
  }
  if (map_cond || !target_maps.empty()) {
    report("RL006", files_.range(id_, s.begin, s.tag_end),
           "rule " + quote(name) + " uses the rewrite map " + quote(map_cond ? map_name : target_maps.front().first) +
               " in a way that is not modelled: its answers are unknown");
    rs_.unmodelled.push_back(Unmodelled{r.where, "rewriteMap", r.original, sc.block, true});
    return;
  }
  r.id = static_cast<RuleId>(rs_.rules.size());
  rs_.rules.push_back(std::move(r));
}

void IisParser::read_http_redirect(xmlNode* n, const Scope& sc) {
  if (!boolean(attr(n, "enabled"), false)) return;
  const std::string dest = attr(n, "destination");
  std::vector<xmlNode*> wildcards;
  for (xmlNode* c = n->children; c; c = c->next)
    if (is(c, "add")) wildcards.push_back(c);
  if (!wildcards.empty()) {
    unmodelled(n, true, sc);  // wildcard redirects: not modelled
    return;
  }
  if (dest.empty()) {
    report("RL001", range(n), "<httpRedirect enabled=\"true\"> without a destination");
    return;
  }
  Span s = span(n);
  Rule r = new_rule(s, sc, "httpRedirect");
  const bool exact = boolean(attr(n, "exactDestination"), false);
  const bool child_only = boolean(attr(n, "childOnly"), false);
  std::string path = sc.dir.size() > 1 ? sc.dir.substr(0, sc.dir.size() - 1) : "/";
  r.match.original = path;
  if (child_only) {
    r.match.kind = MatchKind::regex;
    r.match.text = "^" + regex_escape(sc.dir) + ".+";
  } else if (exact || path == "/") {
    r.match.kind = exact ? MatchKind::regex : MatchKind::prefix;
    r.match.text = exact ? "^" + regex_escape(path) + (path == "/" ? "" : "(?:/|$)") : path;
  } else {
    r.match.kind = MatchKind::prefix;
    r.match.text = path;
  }
  r.match.ignore_case = true;
  std::string st = ascii_lower(attr(n, "httpResponseStatus"));
  r.action = Action::redirect;
  r.status = st == "permanent" ? 301 : st == "temporary" ? 307 : st == "permredirect" ? 308 : 302;
  r.status_implicit = st.empty();
  if (!st.empty() && st != "permanent" && st != "temporary" && st != "permredirect" && st != "found")
    report("RL004", attr_range(n, "httpResponseStatus"), "httpResponseStatus " + quote(attr(n, "httpResponseStatus")) + " is not one of Permanent, Found, Temporary, PermRedirect");
  Target t;
  t.url = file_rules::template_literal(dest);
  if (exact && r.match.kind == MatchKind::prefix) r.match.kind = MatchKind::regex;
  t.absolute = is_url(dest);
  t.query = QueryMode::keep;
  r.target = t;
  r.flow = Flow::stop;
  r.id = static_cast<RuleId>(rs_.rules.size());
  rs_.rules.push_back(std::move(r));
}

}  // namespace

RuleSet parse_iis(SourceFiles& files, FileId id, const ParseOptions& opts) {
  (void)opts;
  return file_rules::read_rule_file(files, id, Format::iis, [&](RuleSet& rs) {
    rs.context = Context::server;
    IisParser(files, id, rs).run();
  });
}

}  // namespace rl
