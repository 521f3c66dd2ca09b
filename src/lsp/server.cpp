#include "lsp/server.hpp"
#include "util/hex.hpp"

#include <algorithm>
#include <cctype>
#include <istream>
#include <ostream>

#include "checks/registry.hpp"
#include "checks/run.hpp"
#include "parse/parse.hpp"
#include "report/graph.hpp"
#include "report/report.hpp"

namespace rl::lsp {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxMessageBytes = 64u << 20;

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

std::optional<std::string> read_message(std::istream& in) {
  std::optional<std::size_t> length;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!length) continue;  // stray blank line between messages
      std::string body(*length, '\0');
      if (!in.read(body.data(), static_cast<std::streamsize>(*length))) return std::nullopt;
      return body;
    }
    constexpr std::string_view kLength = "content-length:";
    if (iequals_prefix(line, kLength)) {
      std::size_t n = 0, digits = 0;
      for (char c : std::string_view(line).substr(kLength.size())) {
        if (c == ' ' || c == '\t') continue;
        if (c < '0' || c > '9' || ++digits > 10) return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      if (digits == 0 || n > kMaxMessageBytes) return std::nullopt;
      length = n;
    }
  }
  return std::nullopt;
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

Analysis analyze_buffer(const std::string& path, const std::string& text, const ParseOptions& opts) {
  Analysis a;
  a.file = a.files.add(path, text);
  if (foreign_yaml(path, text, opts)) return a;
  try {
    a.rules = parse_file(a.files, a.file, opts);
    a.diagnostics = run_checks(a.rules, a.files, CheckOptions{}, Selection{});
  } catch (const std::exception& e) {
    // An editor session must survive whatever the buffer holds: report, do not die.
    a.diagnostics.push_back(make_diagnostic("RL001", a.files.range(a.file, 0, 0), std::string("internal error: ") + e.what()));
  }
  sort_diagnostics(a.diagnostics, a.files);
  return a;
}

Server::Server(std::ostream& out, Analyzer analyzer) : out_(out), analyzer_(std::move(analyzer)) {}

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
      update(params.at("textDocument").at("uri"), params.at("textDocument").at("text"));
    } else if (method == "textDocument/didChange") {
      // Full sync: the last change holds the whole text.
      const json& changes = params.at("contentChanges");
      if (!changes.empty()) update(params.at("textDocument").at("uri"), changes.back().at("text"));
    } else if (method == "textDocument/didSave") {
      std::string uri = params.at("textDocument").at("uri");
      if (params.contains("text")) update(uri, params["text"]);
      else if (auto it = docs_.find(uri); it != docs_.end()) update(uri, it->second.text);
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
  const json options = params.value("initializationOptions", json::object());
  if (options.is_object()) {
    Format f;
    if (options.contains("format") && options["format"].is_string() && parse_format(options["format"].get<std::string>(), f))
      parse_options_.format = f;
    if (options.contains("htaccessDir") && options["htaccessDir"].is_string())
      parse_options_.htaccess_dir = normalise_dir(options["htaccessDir"].get<std::string>());
  }
  json caps;
  caps["positionEncoding"] = utf8_positions_ ? "utf-8" : "utf-16";
  caps["textDocumentSync"] = {{"openClose", true}, {"change", 1}, {"save", {{"includeText", true}}}};
  caps["codeActionProvider"] = {{"codeActionKinds", {"quickfix"}}};
  caps["hoverProvider"] = true;
  return {{"capabilities", caps}, {"serverInfo", {{"name", "redirlint"}, {"version", REDIRLINT_VERSION}}}};
}

void Server::update(const std::string& uri, std::string text) {
  Document& doc = docs_[uri];
  doc.analysis = analyzer_(uri_to_path(uri), text, parse_options_);
  doc.text = std::move(text);
  publish(uri, doc);
}

void Server::publish(const std::string& uri, const Document& doc) {
  json list = json::array();
  for (const Diagnostic& d : doc.analysis.diagnostics) list.push_back(to_lsp(d, doc.analysis));
  notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", list}});
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
  j["message"] = message;
  if (!d.related.empty()) {
    json rel = json::array();
    for (const Related& r : d.related) rel.push_back({{"location", location_json(r.range, a.files)}, {"message", r.message}});
    j["relatedInformation"] = rel;
  }
  return j;
}

json Server::code_actions(const json& params) const {
  json actions = json::array();
  std::string uri = params.at("textDocument").at("uri");
  auto it = docs_.find(uri);
  if (it == docs_.end()) return actions;
  const json context = params.value("context", json::object());
  if (context.contains("only")) {
    const json& only = context["only"];
    if (std::none_of(only.begin(), only.end(), [](const json& k) { return k == "quickfix"; })) return actions;
  }
  // Lines are enough to pick the findings under the cursor or selection.
  std::uint32_t first = params.at("range").at("start").at("line").get<std::uint32_t>() + 1;
  std::uint32_t last = params.at("range").at("end").at("line").get<std::uint32_t>() + 1;
  const Analysis& a = it->second.analysis;
  for (const Diagnostic& d : a.diagnostics) {
    if (!d.fix || !d.fix->safe || d.fix->edits.empty() || d.range.file != a.file) continue;
    std::uint32_t end_line = d.range.end_line ? d.range.end_line : d.range.line;
    if (end_line < first || d.range.line > last) continue;
    json changes = json::object();
    for (const Edit& e : d.fix->edits) {
      std::string target = e.range.file == a.file ? uri : path_to_uri(a.files.path(e.range.file));
      changes[target].push_back({{"range", range_json(e.range, a.files)}, {"newText", e.replacement}});
    }
    actions.push_back({{"title", d.fix->title},
                       {"kind", "quickfix"},
                       {"diagnostics", json::array({to_lsp(d, a)})},
                       {"isPreferred", true},
                       {"edit", {{"changes", changes}}}});
  }
  return actions;
}

json Server::hover(const json& params) const {
  auto it = docs_.find(params.at("textDocument").at("uri").get<std::string>());
  if (it == docs_.end()) return nullptr;
  const Analysis& a = it->second.analysis;
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

int run(std::istream& in, std::ostream& out) {
  Server server(out);
  while (!server.exited()) {
    std::optional<std::string> body = read_message(in);
    if (!body) break;
    json msg = json::parse(*body, nullptr, false);
    if (msg.is_discarded()) {
      write_message(out, json{{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", kParseError}, {"message", "invalid JSON"}}}}.dump());
      continue;
    }
    server.handle(msg);
  }
  return server.exited() ? server.exit_code() : 1;
}

}  // namespace rl::lsp
