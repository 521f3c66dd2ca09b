#pragma once
/// Shared by `trace` and `test`: request options, loading one rules file, printing outcomes.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/inputs.hpp"
#include "simulate/simulate.hpp"

namespace rl::cli {

/// Options that shape the requests and what exists on the server.
struct TraceRequestOptions {
  std::string host = "example.com";      ///< --host: Host header for path-only requests
  bool https = false;                    ///< --https
  int port = 0;                          ///< --port: the port the server listens on (0 = scheme default)
  std::vector<std::string> headers;      ///< --header "Name: value"
  std::vector<std::string> files, dirs;  ///< --file / --dir: URL paths that exist
  std::string document_root;             ///< --document-root ("" = SimOptions default)
};

/// --host, --https, --port, --header: how each request is made.
void add_request_options(CLI::App& cmd, TraceRequestOptions& o);
/// --file, --dir, --document-root: what exists on the server (trace, test).
void add_server_options(CLI::App& cmd, TraceRequestOptions& o);

/// Builds the base request and simulation options; false + `error` on a malformed --header.
bool make_request_base(const TraceRequestOptions& o, Request& base, SimOptions& sim, std::string& error);

/// Appends the requests of a --urls file (blank lines and `#` comments skipped).
/// A --urls file larger than this is refused (read bounded: a FIFO or device never fills memory).
inline constexpr std::size_t kMaxUrlFileBytes = 1u << 30;
bool read_url_lines(const std::string& path, std::vector<std::string>& out, std::string& error);

/// Loads and parses one rules file. Prints parse diagnostics on stderr. Returns kExitClean,
/// kExitBadInput when it cannot be read or does not parse (RL001), or kExitUsage when its
/// .redirlint.yaml does not load (errors printed); `rs` points into `in`.
int load_rules(const std::string& path, const ParseOptions& popts, SourceFiles& files, Loaded& in, const RuleSet*& rs);

/// The `max-hops` setting for a rules file: that of `config` (or the file's nearest .redirlint.yaml),
/// else the default 20. A config that does not load gives the default (load_rules reports it).
int configured_max_hops(const std::string& rules_path, const std::string& config);

/// The request a client sends next for a Location (false when it cannot be followed).
bool follow_location(const Request& prev, const std::string& location, Request& next);

/// One request and the simulator's answer.
struct TraceHop {
  Request request;
  Outcome outcome;
};

/// "site.htaccess:3"
std::string rule_location(const FiredRule& f, const SourceFiles& files);
/// The first line of the rule's source text.
std::string rule_text(const RuleSet& rs, RuleId id);
/// "301 http://example.com/new", "403", "no rule answered (serves /x)", "limit reached: ..."
std::string outcome_text(const Outcome& o);
/// The JSON object of one hop (docs/testing.md).
nlohmann::ordered_json hop_json(const TraceHop& h, const RuleSet& rs, const SourceFiles& files);

}  // namespace rl::cli
