#include "lsp/server.hpp"
#include "util/hex.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <cctype>
#include <istream>
#include <limits>
#include <ostream>

#include "checks/registry.hpp"
#include "checks/run.hpp"
#include "parse/parse.hpp"
#include "parse/yaml_util.hpp"  // valid_iso_date
#include "report/graph.hpp"
#include "report/report.hpp"

namespace rl::lsp {

using nlohmann::json;

namespace {

// JSON-RPC / LSP error codes.
constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601, kInvalidParams = -32602,
              kServerNotInitialized = -32002;

bool iequals_prefix(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

}  // namespace

namespace {

/// One header line without its CR LF into `line`; false at end of input. A line longer than
/// kMaxHeaderLineBytes sets `too_long`, and the rest of it is skipped, not stored.
bool read_header_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  using traits = std::istream::traits_type;
  std::streambuf* sb = in.rdbuf();  // byte by byte through the buffer: no sentry per character
  bool any = false;
  for (traits::int_type c = sb->sbumpc();; c = sb->sbumpc()) {
    if (traits::eq_int_type(c, traits::eof())) {
      in.setstate(std::ios::eofbit);
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line.size() < kMaxHeaderLineBytes) line.push_back(traits::to_char_type(c));
    else too_long = true;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return any;
}

Framed refused(std::string why) { return {Framed::Kind::refused, {}, std::move(why)}; }

}  // namespace

Framed read_message(std::istream& in) {
  std::optional<std::size_t> length;
  std::optional<std::string> bad_length;  // the first unusable Content-Length value, escaped
  std::string length_text;  // the Content-Length as written (for the "too large" message)
  bool headers = false, too_long = false, long_header = false;
  std::string line;
  while (read_header_line(in, line, too_long)) {
    long_header = long_header || too_long;
    if (line.empty() && !too_long) {
      if (!headers) continue;  // stray blank line between messages
      if (long_header) return refused("a header line longer than " + std::to_string(kMaxHeaderLineBytes) + " bytes");
      if (bad_length) return refused("invalid Content-Length \"" + *bad_length + "\" (expected a byte count)");
      if (!length) return refused("a message header without Content-Length");
      if (*length > kMaxMessageBytes) {
        // Skipped, not stored: a huge or endless body costs time, never memory.
        in.ignore(static_cast<std::streamsize>(
            std::min<std::size_t>(*length, static_cast<std::size_t>(std::numeric_limits<std::streamsize>::max()))));
        return refused("a message of " + length_text + " bytes, over the limit of " +
                       std::to_string(kMaxMessageBytes) + " bytes; skipped");
      }
      std::string body;
      body.reserve(std::min<std::size_t>(*length, 1u << 20));
      while (body.size() < *length) {
        // Grown as the bytes arrive: a Content-Length with no body behind it allocates nothing.
        std::size_t old = body.size(), chunk = std::min<std::size_t>(*length - old, 1u << 16);
        body.resize(old + chunk);
        in.read(body.data() + old, static_cast<std::streamsize>(chunk));
        body.resize(old + static_cast<std::size_t>(in.gcount()));
        if (body.size() < old + chunk)
          return {Framed::Kind::truncated, {},
                  "the input ended " + std::to_string(body.size()) + " bytes into a message of " +
                      std::to_string(*length) + " bytes"};
      }
      return {Framed::Kind::message, std::move(body), {}};
    }
    headers = true;
    constexpr std::string_view kLength = "content-length:";
    if (!too_long && iequals_prefix(line, kLength)) {
      std::string_view v = std::string_view(line).substr(kLength.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      bool digits = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits) {
        if (!bad_length) bad_length = display_text(v.substr(0, 40));
      } else if (length_text = std::string(v.substr(0, 40)); v.size() > 18) {
        length = SIZE_MAX;  // a count, but past any limit: refused as too large (no overflow)
      } else {
        std::size_t n = 0;
        for (char c : v) n = n * 10 + static_cast<std::size_t>(c - '0');
        length = n;
      }
    }
  }
  if (headers)
    return {Framed::Kind::truncated, {}, "the input ended inside a message header"};
  return {};
}

void write_message(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view kFile = "file://";
  if (!uri.starts_with(kFile)) return std::string(uri);
  uri.remove_prefix(kFile.size());
  if (std::size_t slash = uri.find('/'); slash != 0 && slash != std::string_view::npos) uri.remove_prefix(slash);  // host
  std::string out;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 && hex_value(uri[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2]));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

std::string path_to_uri(std::string_view path) {
  std::string out = "file://";
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string_view("/-._~").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

namespace {

// True when a line of `text` starts with `key` followed by optional blanks and ':'.
bool has_top_level_key(std::string_view text, std::string_view key) {
  for (std::size_t at = 0;;) {
    if (text.compare(at, key.size(), key) == 0) {
      std::size_t i = at + key.size();
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] == ':') return true;
    }
    std::size_t newline = text.find('\n', at);
    if (newline == std::string_view::npos) return false;
    at = newline + 1;
  }
}

// Editors attach the server to every YAML buffer (docker-compose, CI files ...); only redirlint rule files,
// with top-level `version:` and `redirects:` keys (docs/yaml-format.md), are ours. The others stay quiet.
bool foreign_yaml(const std::string& path, const std::string& text, const ParseOptions& opts) {
  Format f;
  if (opts.format) f = *opts.format;
  else if (!detect_format(path, text, f)) return false;
  return f == Format::yaml && !(has_top_level_key(text, "version") && has_top_level_key(text, "redirects"));
}

}  // namespace

Analysis analyze_buffer(const std::string& path, const std::string& text, const ParseOptions& opts, Linter* linter) {
  Analysis a;
  a.file = a.files.add(path, text);
  ParseOptions for_file = opts;
  // The buffer is read as `check` reads the file: its .redirlint.yaml's limits and per-path settings
  // (the editor's format and htaccessDir settings win, as the command line does).
  if (linter) linter->parse_options_for(path, opts.htaccess_dir != "/", for_file);
  if (foreign_yaml(path, text, for_file)) return a;
  try {
    a.rules = parse_file(a.files, a.file, for_file);
    LintOverrides none;
    none.no_config = true;
    Linter defaults(none);
    std::vector<ConfigError> errors;
    if (!(linter ? *linter : defaults).lint(a.rules, a.files, path, a.diagnostics, errors)) {
      for (const ConfigError& e : errors) a.config_errors.push_back(to_string(e));
      defaults.lint(a.rules, a.files, path, a.diagnostics, errors);
    }
  } catch (const std::exception& e) {
    // An editor session must survive whatever the buffer holds: report, do not die.
    a.diagnostics.push_back(make_diagnostic("RL001", a.files.range(a.file, 0, 0), std::string("internal error: ") + e.what()));
  }
  sort_diagnostics(a.diagnostics, a.files);
  return a;
}

Server::Server(std::ostream& out, Analyzer analyzer) : out_(out), analyzer_(std::move(analyzer)) {
  if (!analyzer_)
    analyzer_ = [this](const std::string& path, const std::string& text, const ParseOptions& opts) {
      return analyze_buffer(path, text, opts, &linter_);
    };
}

namespace {

std::optional<std::int64_t> version_of(const json& text_document) {
  if (text_document.contains("version") && text_document["version"].is_number_integer())
    return text_document["version"].get<std::int64_t>();
  return std::nullopt;
}

std::vector<std::string> string_list(const json& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array())
    for (const json& s : v)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

}  // namespace

void Server::configure(const json& options) {
  if (!options.is_object()) return;
  Format f;
  if (options.contains("format") && options["format"].is_string() && parse_format(options["format"].get<std::string>(), f))
    parse_options_.format = f;
  if (options.contains("htaccessDir") && options["htaccessDir"].is_string())
    parse_options_.htaccess_dir = normalise_dir(options["htaccessDir"].get<std::string>());
  LintOverrides o;
  if (options.contains("config") && options["config"].is_string()) o.config = options["config"].get<std::string>();
  if (options.contains("select")) o.select = string_list(options["select"]);
  if (options.contains("ignore")) o.ignore = string_list(options["ignore"]);
  if (options.contains("today") && options["today"].is_string()) o.today = options["today"].get<std::string>();
  shown_config_errors_.clear();
  if (!o.today.empty() && !file_rules::valid_iso_date(o.today)) {
    notify("window/showMessage", {{"type", 1},
                                  {"message", "redirlint: the option today must be a real date written YYYY-MM-DD (got \"" +
                                                  display_text(o.today) + "\"); using the real date"}});
    o.today.clear();
  }
  linter_ = Linter(o);
}

void Server::idle() {
  for (auto& [uri, doc] : docs_)
    if (doc.stale) {
      analyse(uri, doc);
      publish(uri, doc);
    }
}

const Server::Document* Server::fresh(const std::string& uri) {
  auto it = docs_.find(uri);
  if (it == docs_.end()) return nullptr;
  if (it->second.stale) {
    analyse(uri, it->second);
    publish(uri, it->second);
  }
  return &it->second;
}

void Server::reply(const json& id, json result) {
  write_message(out_, json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}.dump(
                          -1, ' ', false, json::error_handler_t::replace));
}

void Server::reply_error(const json& id, int code, const std::string& message) {
  write_message(out_, json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}}.dump(
                          -1, ' ', false, json::error_handler_t::replace));
}

void Server::notify(const std::string& method, json params) {
  write_message(out_, json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}}.dump(
                          -1, ' ', false, json::error_handler_t::replace));
}

void Server::handle(const json& msg) {
  if (!msg.is_object() || !msg.contains("method") || !msg["method"].is_string()) {
    // Responses to requests we never send are ignored; anything else is not JSON-RPC.
    if (msg.is_object() && msg.contains("id") && (msg.contains("result") || msg.contains("error"))) return;
    reply_error(msg.is_object() && msg.contains("id") ? msg["id"] : json(), kInvalidRequest, "not a JSON-RPC request");
    return;
  }
  const std::string method = msg["method"];
  const bool request = msg.contains("id");
  const json id = request ? msg["id"] : json();
  const json params = msg.value("params", json::object());
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ && method != "initialize") {
    if (request) reply_error(id, kServerNotInitialized, "initialize first");
    return;
  }
  if (shutdown_) {
    if (request) reply_error(id, kInvalidRequest, "the server is shut down");
    return;
  }
  try {
    if (method == "initialize") reply(id, initialize(params));
    else if (method == "shutdown") {
      shutdown_ = true;
      reply(id, nullptr);
    } else if (method == "textDocument/didOpen") {
      const json& td = params.at("textDocument");
      update(td.at("uri"), td.at("text"), version_of(td));
    } else if (method == "textDocument/didChange") {
      // Full sync: the last change holds the whole text.
      const json& changes = params.at("contentChanges");
      const json& td = params.at("textDocument");
      if (!changes.empty()) update(td.at("uri"), changes.back().at("text"), version_of(td));
    } else if (method == "textDocument/didSave") {
      std::string uri = params.at("textDocument").at("uri");
      auto it = docs_.find(uri);
      std::optional<std::int64_t> version = it != docs_.end() ? it->second.version : std::nullopt;
      if (params.contains("text")) update(uri, params["text"], version);
      else if (it != docs_.end()) update(uri, it->second.text, version);
    } else if (method == "workspace/didChangeConfiguration") {
      // {"settings": {"redirlint": {...}}} or the settings object itself; every open document again.
      json settings = params.value("settings", json::object());
      if (settings.is_object() && settings.contains("redirlint")) settings = settings["redirlint"];
      configure(settings);
      for (auto& [uri, doc] : docs_) doc.stale = true;
      if (!debounce_) idle();
    } else if (method == "textDocument/documentSymbol") {
      reply(id, document_symbols(params));
    } else if (method == "textDocument/definition") {
      reply(id, definition(params));
    } else if (method == "initialized" || method == "$/cancelRequest" || method == "$/setTrace") {
      // Notifications that need no answer.
    } else if (method == "textDocument/didClose") {
      std::string uri = params.at("textDocument").at("uri");
      docs_.erase(uri);
      notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
    } else if (method == "textDocument/codeAction") {
      reply(id, code_actions(params));
    } else if (method == "textDocument/hover") {
      reply(id, hover(params));
    } else if (request) {
      reply_error(id, kMethodNotFound, "method not supported: " + method);
    }
  } catch (const json::exception& e) {
    if (request) reply_error(id, kInvalidParams, std::string("invalid params: ") + e.what());
  }
}

json Server::initialize(const json& params) {
  initialized_ = true;
  // Prefer byte columns (our native unit) when the client offers them.
  json encodings = params.value("capabilities", json::object()).value("general", json::object())
                       .value("positionEncodings", json::array());
  utf8_positions_ = std::find(encodings.begin(), encodings.end(), "utf-8") != encodings.end();
  configure(params.value("initializationOptions", json::object()));
  json caps;
  caps["positionEncoding"] = utf8_positions_ ? "utf-8" : "utf-16";
  caps["textDocumentSync"] = {{"openClose", true}, {"change", 1}, {"save", {{"includeText", true}}}};
  caps["codeActionProvider"] = {{"codeActionKinds", {"quickfix"}}};
  caps["hoverProvider"] = true;
  caps["documentSymbolProvider"] = true;
  caps["definitionProvider"] = true;
  return {{"capabilities", caps}, {"serverInfo", {{"name", "redirlint"}, {"version", REDIRLINT_VERSION}}}};
}

void Server::update(const std::string& uri, std::string text, std::optional<std::int64_t> version) {
  Document& doc = docs_[uri];
  doc.text = std::move(text);
  doc.version = version;
  doc.stale = true;
  if (!debounce_) {
    analyse(uri, doc);
    publish(uri, doc);
  }
}

void Server::analyse(const std::string& uri, Document& doc) {
  doc.analysis = analyzer_(uri_to_path(uri), doc.text, parse_options_);
  doc.stale = false;
  for (const std::string& e : doc.analysis.config_errors) {
    if (std::find(shown_config_errors_.begin(), shown_config_errors_.end(), e) != shown_config_errors_.end()) continue;
    shown_config_errors_.push_back(e);
    notify("window/showMessage",
           {{"type", 1}, {"message", "redirlint: " + e + " (checking with the default settings)"}});
  }
}

void Server::publish(const std::string& uri, const Document& doc) {
  json list = json::array();
  for (const Diagnostic& d : doc.analysis.diagnostics) list.push_back(to_lsp(d, doc.analysis));
  json params = {{"uri", uri}, {"diagnostics", list}};
  if (doc.version) params["version"] = *doc.version;
  notify("textDocument/publishDiagnostics", params);
}

json Server::range_json(const SourceRange& r, const SourceFiles& files) const {
  if (!r.valid() || r.file >= files.size()) return {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}};
  auto position = [&](std::uint32_t line, std::uint32_t column) {
    std::uint32_t character = utf8_positions_ ? column : utf16_column(files.line_text(r.file, line), column);
    return json{{"line", line - 1}, {"character", character ? character - 1 : 0}};
  };
  bool has_end = r.end_line != 0;
  return {{"start", position(r.line, r.column)},
          {"end", has_end ? position(r.end_line, r.end_column) : position(r.line, r.column)}};
}

json Server::location_json(const SourceRange& r, const SourceFiles& files) const {
  std::string path = r.file < files.size() ? files.path(r.file) : std::string();
  return {{"uri", path_to_uri(path)}, {"range", range_json(r, files)}};
}

json Server::to_lsp(const Diagnostic& d, const Analysis& a) const {
  json j;
  std::string message = d.message;
  SourceRange where = d.range;
  if (where.valid() && where.file != a.file) {
    // A finding inside an included file is shown at the top of the buffer that includes it.
    message = a.files.path(where.file) + ":" + std::to_string(where.line) + ": " + message;
    where = SourceRange{};
  }
  j["range"] = range_json(where, a.files);
  j["severity"] = static_cast<int>(d.severity) + 1;  // LSP: 1 error, 2 warning, 3 information
  j["code"] = d.code;
  j["codeDescription"] = {{"href", doc_url(d.code)}};
  j["source"] = "redirlint";
  j["message"] = display_text(message);
  if (!d.related.empty()) {
    json rel = json::array();
    for (const Related& r : d.related) rel.push_back({{"location", location_json(r.range, a.files)}, {"message", display_text(r.message)}});
    j["relatedInformation"] = rel;
  }
  return j;
}

json Server::code_actions(const json& params) {
  json actions = json::array();
  std::string uri = params.at("textDocument").at("uri");
  const Document* doc = fresh(uri);
  if (!doc) return actions;
  const json context = params.value("context", json::object());
  if (context.contains("only")) {
    const json& only = context["only"];
    if (std::none_of(only.begin(), only.end(), [](const json& k) { return k == "quickfix"; })) return actions;
  }
  // Lines are enough to pick the findings under the cursor or selection.
  std::uint32_t first = params.at("range").at("start").at("line").get<std::uint32_t>() + 1;
  std::uint32_t last = params.at("range").at("end").at("line").get<std::uint32_t>() + 1;
  const Analysis& a = doc->analysis;
  for (const Diagnostic& d : a.diagnostics) {
    if (!d.range.valid() || d.range.file != a.file) continue;
    std::uint32_t end_line = d.range.end_line ? d.range.end_line : d.range.line;
    if (end_line < first || d.range.line > last) continue;
    {
      // "Disable for this line": `# redirlint disable=CODE` on its own line above, indented like the rule
      // (every format redirlint reads takes '#' comments).
      std::string_view line = a.files.line_text(a.file, d.range.line);
      std::string indent(line.substr(0, line.find_first_not_of(" \t") == std::string_view::npos
                                            ? 0 : line.find_first_not_of(" \t")));
      SourceRange at{a.file, d.range.line, 1, d.range.line, 1};
      actions.push_back({{"title", "Disable " + d.code + " for this line"},
                         {"kind", "quickfix"},
                         {"diagnostics", json::array({to_lsp(d, a)})},
                         {"edit", {{"changes", {{uri, json::array({{{"range", range_json(at, a.files)},
                                                                      {"newText", indent + "# redirlint disable=" + d.code + "\n"}}})}}}}}});
    }
    if (!d.fix || !d.fix->safe || d.fix->edits.empty()) continue;
    json changes = json::object();
    for (const Edit& e : d.fix->edits) {
      std::string target = e.range.file == a.file ? uri : path_to_uri(a.files.path(e.range.file));
      changes[target].push_back({{"range", range_json(e.range, a.files)}, {"newText", e.replacement}});
    }
    actions.push_back({{"title", display_text(d.fix->title)},
                       {"kind", "quickfix"},
                       {"diagnostics", json::array({to_lsp(d, a)})},
                       {"isPreferred", true},
                       {"edit", {{"changes", changes}}}});
  }
  return actions;
}

json Server::hover(const json& params) {
  const Document* doc = fresh(params.at("textDocument").at("uri").get<std::string>());
  if (!doc) return nullptr;
  const Analysis& a = doc->analysis;
  std::uint32_t line = params.at("position").at("line").get<std::uint32_t>() + 1;
  const Rule* rule = nullptr;
  for (const Rule& r : a.rules.rules) {
    std::uint32_t end = r.where.end_line ? r.where.end_line : r.where.line;
    if (r.where.file == a.file && r.where.line <= line && line <= end) {
      rule = &r;
      break;
    }
  }
  if (!rule) return nullptr;
  std::string text;
  if (std::optional<Walk> w = walk_for_rule(a.rules, *rule)) {
    text = "**redirlint**: where a sample request goes\n\n`" + describe_walk(*w) + "`";
  } else {
    text = "**redirlint**: no request found that this rule answers (an earlier rule or a condition may always "
           "decide first, or the pattern is beyond what the analysis can sample).";
  }
  return {{"contents", {{"kind", "markdown"}, {"value", text}}}, {"range", range_json(rule->where, a.files)}};
}

namespace {

// True when another message is already buffered or readable on stdin without blocking.
bool input_waiting(std::istream& in) {
  if (in.rdbuf()->in_avail() > 0) return true;
  if (&in != &std::cin) return false;
  pollfd p{STDIN_FILENO, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

// The rule whose range holds 0-based `line` of the buffer.
const Rule* rule_at_line(const Analysis& a, std::uint32_t line) {
  for (const Rule& r : a.rules.rules) {
    std::uint32_t end = r.where.end_line ? r.where.end_line : r.where.line;
    if (r.where.file == a.file && r.where.line <= line + 1 && line + 1 <= end) return &r;
  }
  return nullptr;
}

// A rule's source text on one line, for symbol names.
std::string rule_name(const Rule& r) {
  std::string s;
  for (char c : r.original) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (s.empty() || s.back() == ' ')) continue;
    s += c;
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s.empty() ? "rule" : s;
}

}  // namespace

json Server::document_symbols(const json& params) {
  json symbols = json::array();
  const Document* doc = fresh(params.at("textDocument").at("uri").get<std::string>());
  if (!doc) return symbols;
  const Analysis& a = doc->analysis;
  for (const Rule& r : a.rules.rules) {
    if (r.where.file != a.file || !r.where.valid()) continue;
    json range = range_json(r.where, a.files);
    // SymbolKind: 24 Event for a redirect (a response), 12 Function for the other rules.
    json s = {{"name", rule_name(r)}, {"kind", r.status >= 300 && r.status < 400 ? 24 : 12},
              {"range", range}, {"selectionRange", range}};
    std::string detail = r.status ? std::to_string(r.status) : std::string("internal rewrite");
    if (!r.scope.hosts.empty()) detail += " on " + r.scope.hosts.front();
    s["detail"] = detail;
    symbols.push_back(s);
  }
  return symbols;
}

json Server::definition(const json& params) {
  const Document* doc = fresh(params.at("textDocument").at("uri").get<std::string>());
  if (!doc) return nullptr;
  const Analysis& a = doc->analysis;
  const Rule* rule = rule_at_line(a, params.at("position").at("line").get<std::uint32_t>());
  if (!rule) return nullptr;
  // The rule that answers the next hop of this rule's witness request: where the redirect leads.
  std::optional<Walk> w = walk_for_rule(a.rules, *rule);
  if (!w || w->outcomes.size() < 2) return nullptr;
  for (auto f = w->outcomes[1].fired.rbegin(); f != w->outcomes[1].fired.rend(); ++f) {
    if (f->rule >= a.rules.rules.size()) continue;
    const Rule& next = a.rules.rules[f->rule];
    if (!next.where.valid()) continue;
    return location_json(next.where, a.files);
  }
  return nullptr;
}

int run(std::istream& in, std::ostream& out, std::ostream& log) {
  Server server(out);
  server.set_debounce(true);
  while (!server.exited()) {
    Framed m = read_message(in);
    if (m.kind == Framed::Kind::end) break;
    if (m.kind == Framed::Kind::truncated) {
      log << "redirlint lsp: " << m.error << "; stopping\n";
      return 1;
    }
    if (m.kind == Framed::Kind::refused) {
      log << "redirlint lsp: refused " << m.error << "\n";
      write_message(out, json{{"jsonrpc", "2.0"}, {"id", nullptr},
                              {"error", {{"code", kInvalidRequest}, {"message", "refused " + m.error}}}}.dump());
      continue;
    }
    json msg = json::parse(m.body, nullptr, false);
    if (msg.is_discarded()) {
      write_message(out, json{{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", kParseError}, {"message", "invalid JSON"}}}}.dump());
      continue;
    }
    server.handle(msg);
    // Analyse only when the client has nothing more queued: a burst of edits is analysed once.
    if (!input_waiting(in)) server.idle();
  }
  if (!server.exited()) log << "redirlint lsp: the input ended without an exit notification\n";
  return server.exited() ? server.exit_code() : 1;
}

}  // namespace rl::lsp
