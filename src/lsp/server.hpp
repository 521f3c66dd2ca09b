#pragma once
/// The language server (`redirlint lsp`): LSP 3.17 over stdio with Content-Length framing.
/// Documents are parsed from the editor's buffer (never from disk); every open, change and save
/// republishes that document's diagnostics.
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "model/source.hpp"
#include "parse/parse.hpp"

namespace rl::lsp {

/// Reads one framed message body. nullopt at end of input or when the header is malformed
/// (missing or absurd Content-Length).
std::optional<std::string> read_message(std::istream& in);
/// Writes `body` with its Content-Length header and flushes.
void write_message(std::ostream& out, const std::string& body);

/// "file:///a/b%20c" -> "/a/b c"; other schemes keep the URI as the path.
std::string uri_to_path(std::string_view uri);
/// "/a/b c" -> "file:///a/b%20c".
std::string path_to_uri(std::string_view path);

/// One analysed buffer: its files (the buffer and any includes), rules and sorted diagnostics.
struct Analysis {
  SourceFiles files;
  FileId file = 0;
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
};

/// Parses and checks a buffer named `path` with contents `text`.
using Analyzer = std::function<Analysis(const std::string& path, const std::string& text, const ParseOptions& opts)>;
/// The real one: parse_file + run_checks with default check options.
Analysis analyze_buffer(const std::string& path, const std::string& text, const ParseOptions& opts = {});

/// Protocol state. Feed it every incoming message; it writes responses and notifications to `out`.
class Server {
 public:
  explicit Server(std::ostream& out, Analyzer analyzer = analyze_buffer);

  /// Handles one JSON-RPC message (request or notification). Malformed ones get an error response.
  void handle(const nlohmann::json& msg);
  /// True after the `exit` notification.
  bool exited() const { return exited_; }
  /// Process exit code per LSP: 0 when `shutdown` came before `exit`, else 1.
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  struct Document {
    std::string text;
    Analysis analysis;
  };

  void reply(const nlohmann::json& id, nlohmann::json result);
  void reply_error(const nlohmann::json& id, int code, const std::string& message);
  void notify(const std::string& method, nlohmann::json params);

  nlohmann::json initialize(const nlohmann::json& params);
  void update(const std::string& uri, std::string text);
  void publish(const std::string& uri, const Document& doc);
  nlohmann::json code_actions(const nlohmann::json& params) const;
  nlohmann::json hover(const nlohmann::json& params) const;

  nlohmann::json to_lsp(const Diagnostic& d, const Analysis& a) const;
  nlohmann::json range_json(const SourceRange& r, const SourceFiles& files) const;
  nlohmann::json location_json(const SourceRange& r, const SourceFiles& files) const;

  std::ostream& out_;
  Analyzer analyzer_;
  std::map<std::string, Document> docs_;
  ParseOptions parse_options_;  // from initializationOptions: {"format": F, "htaccessDir": "/blog/"}
  bool utf8_positions_ = false;  // negotiated positionEncoding; UTF-16 otherwise (the LSP default)
  bool initialized_ = false, shutdown_ = false, exited_ = false;
};

/// Runs the server until `exit` or end of input; returns the process exit code.
int run(std::istream& in, std::ostream& out);

}  // namespace rl::lsp
