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

#include "checks/lint.hpp"
#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "model/source.hpp"
#include "parse/parse.hpp"

namespace rl::lsp {

/// The most bytes one message body may have (Content-Length above it: refused, body skipped).
inline constexpr std::size_t kMaxMessageBytes = 64u << 20;
/// The longest header line read (longer: refused, the rest of the line skipped).
inline constexpr std::size_t kMaxHeaderLineBytes = 8192;

/// One read from the input: a message, a framing the server refuses (and answers), or the end.
struct Framed {
  enum class Kind {
    message,    ///< `body` holds one message body
    refused,    ///< a header the server cannot use (`error` says which); reading may go on
    truncated,  ///< the input ended inside a body (`error` says where); nothing more can be read
    end,        ///< the input ended between messages
  };
  Kind kind = Kind::end;
  std::string body;
  std::string error;  ///< one line, input bytes escaped
};

/// Reads one framed message. Memory stays bounded whatever the input: a header line is read up to
/// kMaxHeaderLineBytes, a body grows only as its bytes arrive and never past kMaxMessageBytes (a
/// larger Content-Length is refused and its body skipped without being stored). A missing,
/// negative or non-numeric Content-Length is refused; the next header block is read after it.
Framed read_message(std::istream& in);
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
  std::vector<std::string> config_errors;  ///< the .redirlint.yaml did not load: checked with the defaults
};

/// Parses and checks a buffer named `path` with contents `text`.
using Analyzer = std::function<Analysis(const std::string& path, const std::string& text, const ParseOptions& opts)>;
/// The real one: parse_file, then `linter.lint()`, the same as `redirlint check` (the buffer's
/// .redirlint.yaml found upward from its path, the editor's settings over it). Without a linter: defaults.
Analysis analyze_buffer(const std::string& path, const std::string& text, const ParseOptions& opts = {},
                        Linter* linter = nullptr);

/// Protocol state. Feed it every incoming message; it writes responses and notifications to `out`.
class Server {
 public:
  /// Without an analyzer, buffers go through analyze_buffer with the server's Linter (settings from
  /// initializationOptions and workspace/didChangeConfiguration).
  explicit Server(std::ostream& out, Analyzer analyzer = {});

  /// Handles one JSON-RPC message (request or notification). Malformed ones get an error response.
  void handle(const nlohmann::json& msg);
  /// True after the `exit` notification.
  bool exited() const { return exited_; }
  /// Process exit code per LSP: 0 when `shutdown` came before `exit`, else 1.
  int exit_code() const { return shutdown_ ? 0 : 1; }
  /// With debounce on, didOpen/didChange only store the text; idle() analyses what changed. A burst of
  /// edits is analysed once, at its last version (run() turns it on and calls idle() when no more input
  /// is waiting). Requests about a document analyse it first, so answers are never stale.
  void set_debounce(bool on) { debounce_ = on; }
  /// Analyses and publishes every document changed since its last analysis.
  void idle();

 private:
  struct Document {
    std::string text;
    Analysis analysis;
    std::optional<std::int64_t> version;  ///< the client's version of `text` (publishDiagnostics echoes it)
    bool stale = true;                    ///< `analysis` is not of `text` yet
  };

  void reply(const nlohmann::json& id, nlohmann::json result);
  void reply_error(const nlohmann::json& id, int code, const std::string& message);
  void notify(const std::string& method, nlohmann::json params);

  nlohmann::json initialize(const nlohmann::json& params);
  void update(const std::string& uri, std::string text, std::optional<std::int64_t> version);
  void analyse(const std::string& uri, Document& doc);
  void publish(const std::string& uri, const Document& doc);
  const Document* fresh(const std::string& uri);
  void configure(const nlohmann::json& settings);
  nlohmann::json document_symbols(const nlohmann::json& params);
  nlohmann::json definition(const nlohmann::json& params);
  nlohmann::json code_actions(const nlohmann::json& params);
  nlohmann::json hover(const nlohmann::json& params);

  nlohmann::json to_lsp(const Diagnostic& d, const Analysis& a) const;
  nlohmann::json range_json(const SourceRange& r, const SourceFiles& files) const;
  nlohmann::json location_json(const SourceRange& r, const SourceFiles& files) const;

  std::ostream& out_;
  Analyzer analyzer_;
  std::map<std::string, Document> docs_;
  ParseOptions parse_options_;  // from initializationOptions: {"format": F, "htaccessDir": "/blog/"}
  Linter linter_;               // {"config", "select", "ignore", "today"} over each buffer's .redirlint.yaml
  std::vector<std::string> shown_config_errors_;  // each config error is shown once (window/showMessage)
  bool debounce_ = false;
  bool utf8_positions_ = false;  // negotiated positionEncoding; UTF-16 otherwise (the LSP default)
  bool initialized_ = false, shutdown_ = false, exited_ = false;
};

/// Runs the server until `exit` or end of input; returns the process exit code.
int run(std::istream& in, std::ostream& out, std::ostream& log);

}  // namespace rl::lsp
