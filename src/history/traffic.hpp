#pragma once
/// `redirlint logs` (issue 22, docs/logs.md): logged requests replayed through the rules. Each distinct
/// logged request is simulated once (the redirect walk of analysis/walk.hpp) and weighed by how often it
/// was logged.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "history/access_log.hpp"
#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl::history {

/// Every parsed log line, aggregated: one entry per distinct "METHOD TARGET".
class Traffic {
 public:
  /// One parsed line of log `file` (its FileId in the run's SourceFiles), at 1-based `line`.
  void add(const LogEntry& e, FileId file, std::uint32_t line);

  struct Logged {
    std::uint64_t count = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> days;  ///< (YYYYMMDD, lines) in log order, runs merged
  };
  struct NotFound {
    std::uint64_t count = 0;
    std::uint32_t first_day = 0;
    SourceRange first;  ///< the log line where it first appears
  };
  const std::unordered_map<std::string, Logged>& requests() const { return requests_; }
  const std::unordered_map<std::string, NotFound>& not_found() const { return not_found_; }
  const std::unordered_set<std::string>& pages() const { return pages_; }
  std::uint64_t lines() const { return lines_; }
  std::uint32_t first_day() const { return first_day_; }
  std::uint32_t last_day() const { return last_day_; }

 private:
  std::unordered_map<std::string, Logged> requests_;    ///< key "GET /a?b"
  std::unordered_map<std::string, NotFound> not_found_;  ///< logged 404s by path (no query)
  std::unordered_set<std::string> pages_;                ///< paths logged with a 2xx (pages the site serves)
  std::string key_;  ///< reused for each line's key
  std::uint64_t lines_ = 0;
  std::uint32_t first_day_ = 0, last_day_ = 0;
};

struct TrafficOptions {
  Request base;              ///< scheme, host and port of the logged requests (the log does not say)
  SimOptions sim;
  int max_hops = 20;
  std::size_t top = 10;      ///< RL513: this many of the most logged 404 paths; also the rows of each table
};

struct ChainRow {
  std::uint64_t count = 0;  ///< logged requests that went through it
  std::string example;      ///< "/a -> /b -> /c"
  SourceRange rule;         ///< the first rule
};
struct NotFoundRow {
  std::string path;
  std::uint64_t count = 0;
  std::string suggestion;   ///< "redirect source /x" / "page /y" / ""
};

struct TrafficReport {
  std::vector<Diagnostic> diags;   ///< RL511..RL514
  std::uint64_t requests = 0, distinct = 0, redirected = 0, chained = 0, not_found = 0, expired_hits = 0;
  std::size_t rules = 0, judged = 0, reached = 0;  ///< rules; those a log can tell about (host/scheme); reached
  std::vector<ChainRow> chains;          ///< most used first, at most `top`
  std::vector<NotFoundRow> top_not_found;
};

/// The findings and the summary of `t` replayed through `rs`.
TrafficReport analyse_traffic(const RuleSet& rs, const Traffic& t, const TrafficOptions& o);

}  // namespace rl::history
