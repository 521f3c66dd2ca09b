#include "parse/detect.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "parse/parse.hpp"

namespace rl {

namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string_view basename(std::string_view p) {
  auto slash = p.find_last_of('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}
bool starts_with(std::string_view s, std::string_view pre) { return s.substr(0, pre.size()) == pre; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

template <std::size_t N>
bool in(const std::array<std::string_view, N>& names, std::string_view w) {
  return std::find(names.begin(), names.end(), w) != names.end();
}

// Directives of the nginx modules a redirect config uses (core, http, rewrite, map, server, ssl,
// proxy, fastcgi, headers, access, log): a statement starting with one is nginx evidence.
constexpr std::array<std::string_view, 70> kNginx = {
    "server", "location", "return", "rewrite", "listen", "server_name", "root", "index", "include", "if", "set",
    "break", "map", "http", "events", "upstream", "proxy_pass", "proxy_set_header", "proxy_redirect",
    "fastcgi_pass", "fastcgi_param", "fastcgi_index", "try_files", "error_page", "add_header", "expires",
    "access_log", "error_log", "ssl_certificate", "ssl_certificate_key", "ssl_protocols", "ssl_ciphers",
    "client_max_body_size", "gzip", "gzip_types", "charset", "default_type", "alias", "deny", "allow",
    "auth_basic", "auth_basic_user_file", "autoindex", "keepalive_timeout", "sendfile", "types", "worker_processes",
    "worker_connections", "user", "pid", "resolver", "limit_req", "limit_req_zone", "limit_except",
    "internal", "uwsgi_pass", "uwsgi_param", "absolute_redirect", "port_in_redirect", "server_name_in_redirect",
    "merge_slashes", "rewrite_log", "uninitialized_variable_warn", "geo", "split_clients", "valid_referers",
    "ssl_session_cache", "proxy_cache", "more_set_headers", "satisfy"};

// Apache directives (lower case; Apache reads them case-insensitively) of core, mod_alias,
// mod_rewrite, mod_headers, mod_dir, mod_mime, mod_expires, mod_authz, mod_ssl and mod_deflate.
constexpr std::array<std::string_view, 80> kApache = {
    "redirect", "redirectmatch", "redirectpermanent", "redirecttemp", "rewriteengine", "rewriterule",
    "rewritecond", "rewritebase", "rewriteoptions", "rewritemap", "alias", "aliasmatch", "scriptalias",
    "options", "allowoverride", "require", "order", "allow", "deny", "satisfy", "directoryindex",
    "directoryslash", "errordocument", "header", "requestheader", "addtype", "addhandler", "addcharset",
    "adddefaultcharset", "addoutputfilterbytype", "addencoding", "setenv", "setenvif", "setenvifnocase",
    "browsermatch", "expiresactive", "expiresbytype", "expiresdefault", "servername", "serveralias",
    "serveradmin", "documentroot", "listen", "errorlog", "customlog", "loglevel", "sslengine",
    "sslcertificatefile", "sslcertificatekeyfile", "sslcertificatechainfile", "sslprotocol", "sslciphersuite",
    "include", "includeoptional", "loadmodule", "fallbackresource", "authtype", "authname", "authuserfile",
    "forcetype", "sethandler", "fileetag", "serversignature", "servertokens", "keepalive", "timeout",
    "protocols", "usecanonicalname", "proxypass", "proxypassreverse", "proxypreservehost", "checkspelling",
    "php_value", "php_flag", "limitrequestbody", "addoutputfilter", "defaultlanguage", "contentdigest",
    "passenv", "unsetenv"};

constexpr std::array<std::string_view, 24> kApacheSections = {
    "virtualhost", "ifmodule", "directory", "directorymatch", "location", "locationmatch", "files",
    "filesmatch", "if", "elseif", "else", "ifdefine", "proxy", "proxymatch", "macro", "requireall",
    "requireany", "requirenone", "limit", "limitexcept", "ifversion", "ifdirective", "iffile", "ifsection"};

// IIS web.config elements (case-sensitive, as XML): none is an Apache section name.
constexpr std::array<std::string_view, 10> kIisElements = {
    "configuration", "system.webServer", "rewrite", "rules", "rule", "rewriteMaps", "rewriteMap", "httpRedirect",
    "conditions", "action"};

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

std::string_view first_word(std::string_view s) {
  std::size_t e = 0;
  while (e < s.size() && is_word_char(s[e])) ++e;
  return s.substr(0, e);
}

// `/from /to [status[!]] [key=value...]` (Netlify / Cloudflare `_redirects`): the source is a path or
// an absolute URL, the target a path or URL; a third field, when present, is a status code.
bool netlify_shape(std::string_view line) {
  auto tok = [&line]() {
    std::size_t b = 0;
    while (b < line.size() && is_space(line[b])) ++b;
    std::size_t e = b;
    while (e < line.size() && !is_space(line[e])) ++e;
    std::string_view t = line.substr(b, e - b);
    line.remove_prefix(e);
    return t;
  };
  auto is_target = [](std::string_view t) {
    return starts_with(t, "/") || starts_with(t, "http://") || starts_with(t, "https://");
  };
  std::string_view from = tok(), to = tok(), status = tok();
  if (!is_target(from) || !is_target(to)) return false;
  if (status.empty()) return true;
  if (status.back() == '!') status.remove_suffix(1);
  return status.size() == 3 && std::all_of(status.begin(), status.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `key:` at the start of a line (after `- ` list markers): YAML structure.
bool yaml_key_line(std::string_view line) {
  while (starts_with(line, "- ")) line.remove_prefix(2);
  std::string_view w = first_word(line);
  if (w.empty()) return false;
  line.remove_prefix(w.size());
  return starts_with(line, ":") && (line.size() == 1 || is_space(line[1]));
}

// The nginx view of one line: every statement start (line start, or after `;`, `{`, `}`) whose first
// word is a known directive counts, so one-line `location = /a { return 301 /b; }` blocks count three.
// `quote` carries an open '...' or "..." string across lines (nginx strings may span lines).
std::size_t nginx_statements(std::string_view line, char& quote) {
  std::size_t n = 0;
  bool at_start = quote == 0;
  bool statement_ok = false;  // the current statement began with a known directive
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (is_space(c)) continue;
    if (c == '#') break;
    if (at_start) {
      at_start = false;
      std::string_view w = first_word(line.substr(i));
      statement_ok = !w.empty() && in(kNginx, w) && (i + w.size() == line.size() || is_space(line[i + w.size()]) ||
                                                     line[i + w.size()] == ';' || line[i + w.size()] == '{');
      if (!w.empty()) i += w.size() - 1;
      continue;
    }
    if (c == ';' || c == '{') {
      if (statement_ok) ++n;
      statement_ok = false;
      at_start = true;
    } else if (c == '}') {
      at_start = true;
    } else if ((c == '\'' || c == '"') && statement_ok) {
      quote = c;  // only inside a known directive: an apostrophe in Apache text never opens a string
    }
  }
  return n;
}

}  // namespace

std::size_t FormatEvidence::of(Format f) const {
  switch (f) {
    case Format::apache:
    case Format::htaccess: return apache;
    case Format::nginx: return nginx;
    case Format::netlify: return netlify;
    case Format::iis: return iis;
    case Format::netlify_toml:
    case Format::vercel:
    case Format::cloudflare_bulk: return 0;  // told by name (or --format), never by sniffing
    case Format::yaml: return yaml;
    case Format::page: return 0;
  }
  return 0;
}

std::optional<Format> FormatEvidence::best() const {
  std::optional<Format> b;
  std::size_t most = 0;
  for (Format f : {Format::nginx, Format::apache, Format::netlify, Format::yaml, Format::iis})
    if (of(f) > most) most = of(f), b = f;
  return b;
}

FormatEvidence sniff_format(std::string_view text) {
  FormatEvidence ev;
  if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  char quote = 0;
  std::size_t pos = 0, lines = 0;
  bool yaml_version = false, yaml_redirects = false;
  std::size_t yaml_keys = 0;
  while (pos < text.size() && lines < kSniffLines) {
    auto e = text.find('\n', pos);
    std::string_view line = text.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
    pos = e == std::string_view::npos ? text.size() : e + 1;
    ++lines;
    bool in_string = quote != 0;
    std::size_t n = nginx_statements(line, quote);
    ev.nginx += n;
    if (in_string) continue;  // inside an nginx string: not a line of any other format
    std::size_t b = 0;
    while (b < line.size() && is_space(line[b])) ++b;
    line.remove_prefix(b);
    if (line.empty() || line[0] == '#') continue;
    ++ev.content_lines;
    if (n) continue;
    if (line[0] == '<') {
      std::string_view tag = line.substr(line.size() > 1 && line[1] == '/' ? 2 : 1);
      std::size_t te = 0;
      while (te < tag.size() && (is_word_char(tag[te]) || tag[te] == '.')) ++te;
      if (in(kIisElements, tag.substr(0, te))) {
        ++ev.iis;
        continue;
      }
      std::string_view rest = line.substr(line.size() > 1 && line[1] == '/' ? 2 : 1);
      if (in(kApacheSections, lower(first_word(rest)))) ++ev.apache;
      continue;
    }
    std::string_view w = first_word(line);
    // A known directive, or any capitalised word followed by arguments (Apache's own spelling of its
    // hundreds of directives; nginx directives are lower case, `_redirects` lines start with / or a URL).
    if (!w.empty() && (w.size() == line.size() || is_space(line[w.size()])) &&
        (in(kApache, lower(w)) || (std::isupper(static_cast<unsigned char>(w[0])) && w.size() > 2 &&
                                   w.find('-') == std::string_view::npos && w.size() < line.size()))) {
      ++ev.apache;
      continue;
    }
    if (netlify_shape(line)) {
      ++ev.netlify;
      continue;
    }
    if (yaml_key_line(line)) {
      ++yaml_keys;
      if (b == 0 && starts_with(line, "version:")) yaml_version = true;
      if (b == 0 && starts_with(line, "redirects:")) yaml_redirects = true;
    }
  }
  if (yaml_version || yaml_redirects) ev.yaml = yaml_keys;
  return ev;
}

std::optional<Format> name_format(std::string_view path) {
  std::string name = lower(basename(path));
  if (name == ".htaccess" || name == "htaccess.txt" || ends_with(name, ".htaccess")) return Format::htaccess;
  // `_redirects`, `site.redirects`, and the copies and variants of `_redirects` (`_redirects.base`,
  // `_redirects.prod`, `docs_redirects`) that sites build theirs from.
  if (name == "_redirects" || ends_with(name, ".redirects") || starts_with(name, "_redirects.") ||
      ends_with(name, "_redirects"))
    return Format::netlify;
  // `netlify.toml` / `vercel.json`, and named copies of them (`site.netlify.toml`, `prod.vercel.json`).
  if (name == "netlify.toml" || ends_with(name, ".netlify.toml")) return Format::netlify_toml;
  if (name == "vercel.json" || ends_with(name, ".vercel.json")) return Format::vercel;
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) return Format::yaml;
  if (name == "httpd.conf" || name == "apache2.conf") return Format::apache;
  if (name == "web.config" || (starts_with(name, "web.") && ends_with(name, ".config"))) return Format::iis;
  if (name == "nginx.conf") return Format::nginx;
  if (ends_with(name, ".html") || ends_with(name, ".htm") || ends_with(name, ".php")) return Format::page;
  return std::nullopt;
}

bool is_recognised_name(std::string_view path) {
  std::string name = lower(basename(path));
  return name_format(path).has_value() || ends_with(name, ".conf") || ends_with(name, ".csv");
}

bool looks_like_cloudflare_csv(std::string_view text) {
  std::size_t b = 0;
  while (b < text.size() && (text[b] == '\n' || text[b] == '\r' || is_space(text[b]))) ++b;
  std::string_view line = text.substr(b, text.find('\n', b) == std::string_view::npos ? std::string_view::npos : text.find('\n', b) - b);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string_view> f;
  for (std::size_t p = 0; p <= line.size();) {
    std::size_t e = line.find(',', p);
    if (e == std::string_view::npos) e = line.size();
    std::string_view v = line.substr(p, e - p);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    f.push_back(v);
    p = e + 1;
  }
  if (f.size() < 2 || f.size() > 7) return false;
  if (lower(f[0]) == "source_url" || lower(f[0]) == "source url") return true;
  auto no_space = [](std::string_view v) { return !v.empty() && std::none_of(v.begin(), v.end(), [](char c) { return is_space(c); }); };
  bool src = no_space(f[0]) && f[0].find('/') != std::string_view::npos && f[0].front() != '/';
  bool dst = no_space(f[1]) && (starts_with(f[1], "http://") || starts_with(f[1], "https://") || starts_with(f[1], "/"));
  bool status = f.size() < 3 || f[2].empty() ||
                (f[2].size() == 3 && std::all_of(f[2].begin(), f[2].end(), [](char c) { return c >= '0' && c <= '9'; }));
  return src && dst && status;
}

bool detect_format(std::string_view path, std::string_view text, Format& out) {
  if (auto f = name_format(path)) {
    out = *f;
    return true;
  }
  if (ends_with(lower(basename(path)), ".csv") && looks_like_cloudflare_csv(text)) {
    out = Format::cloudflare_bulk;
    return true;
  }
  FormatEvidence ev = sniff_format(text);
  if (auto f = ev.best()) {
    out = *f;
    return true;
  }
  // Nothing recognised: a *.conf is read as Apache (whose parser ignores what it does not know, and
  // parse_file then reports that nothing was recognised); other names cannot be told.
  if (ends_with(lower(basename(path)), ".conf")) {
    out = Format::apache;
    return true;
  }
  return false;
}

}  // namespace rl
