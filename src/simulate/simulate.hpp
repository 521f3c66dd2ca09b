#pragma once
/// What would the real server do with one request? (DESIGN §4, SEMANTICS.md)
/// The simulator is checked against real Apache and nginx in tests/differential/.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/model.hpp"

namespace rl {

/// One HTTP request as it arrives at the server.
struct Request {
  std::string method = "GET";
  std::string scheme = "http";          ///< "http" or "https"
  std::string host = "example.com";     ///< Host header exactly as sent (case and ":port" kept)
  int port = 0;                         ///< port the server listens on; 0 = default for the scheme (80/443)
  std::string target = "/";             ///< raw request-target as sent: path[?query], still %-encoded
  std::vector<std::pair<std::string, std::string>> headers;  ///< other headers (name as sent)
  std::string country, language, role;  ///< Netlify/Cloudflare condition inputs ("" = unknown)
};

/// Parses "/p?q", "http://host/p", "https://host:8443/p?q", "POST /x", "POST http://h/x".
/// Defaults (host example.com, http) come from `base`. False + `error` on nonsense.
bool parse_request(std::string_view text, Request& out, std::string& error, const Request& base = Request{});

/// "GET http://example.com/a?q" (port shown when it is not the scheme's default).
std::string describe(const Request& r);
/// "http://example.com/a?q"
std::string request_url(const Request& r);

/// The request a client sends next when it follows `location` from `prev` (relative Locations resolved
/// against prev). False when the Location is not an http(s) URL or path.
bool follow(const Request& prev, std::string_view location, Request& next);

enum class OutcomeKind {
  none,       ///< no rule answered (the server would serve/404 the final path)
  redirect,   ///< 3xx with Location
  answer,     ///< a status without Location (403, 410, 404, 500 from a rewrite loop, ...)
  limit,      ///< a regex hit the PCRE2 match limit: the answer is unknown (never a hang)
  /// the answer rests on something the simulator cannot know (a construct it does not model, a map
  /// file it could not read, the client's address ...): `note` says what. Never a definite answer.
  unknown,
};

/// True when the outcome is not an answer the server is known to give (limit or unknown): no check
/// claims a chain, loop or example through it.
inline bool undetermined(OutcomeKind k) { return k == OutcomeKind::limit || k == OutcomeKind::unknown; }

/// One rule that fired, in order, and the URL (path?query) after it.
struct FiredRule {
  RuleId rule = 0;
  SourceRange where;
  std::string url_after;
  /// The RewriteMap txt:/rnd: entry (its line in the map file) whose value the rule used last: the
  /// line a chain through that entry is fixed at. Invalid (where.line == 0) when the rule used none.
  SourceRange map_entry;
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::none;
  int status = 0;            ///< 0 when kind == none
  std::string location;      ///< exactly the Location header the server sends ("" = none)
  std::vector<FiredRule> fired;
  std::string final_path;    ///< after internal rewrites: the path the server would serve (kind == none)
  std::string note;          ///< why, in words ("rewrite loop: 10 internal redirects", "limit reached in rule 3")
};

struct SimOptions {
  std::vector<std::string> existing_files;  ///< URL paths that exist as files (-f, Netlify shadowing); none by default
  std::vector<std::string> existing_dirs;   ///< URL paths that exist as directories (-d)
  std::string document_root = "/var/www/html";  ///< filesystem docroot (per-dir [R] without RewriteBase leaks it)
  /// existing_files and existing_dirs are sorted and unique (`redirlint site`: 10^5 files): looked up by
  /// binary search instead of a scan.
  bool sorted = false;

  /// Is `path` in existing_files / existing_dirs? Is there a file below directory `dir` ("/a" or "/a/")?
  bool has_file(std::string_view path) const;
  bool has_dir(std::string_view path) const;
  bool has_file_under(std::string_view dir) const;
};

/// Dispatches on rs.format: Apache server context, .htaccess, nginx, YAML and _redirects semantics.
Outcome simulate(const RuleSet& rs, const Request& req, const SimOptions& opts = {});

/// Per-format engines (one file each in src/simulate/).
Outcome simulate_apache(const RuleSet& rs, const Request& req, const SimOptions& opts);
Outcome simulate_nginx(const RuleSet& rs, const Request& req, const SimOptions& opts);
Outcome simulate_file_rules(const RuleSet& rs, const Request& req, const SimOptions& opts);  ///< yaml + netlify
Outcome simulate_iis(const RuleSet& rs, const Request& req, const SimOptions& opts);  ///< web.config

}  // namespace rl
