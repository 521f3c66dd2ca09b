#pragma once
/// Access logs in the Apache / nginx common and combined formats (issue 22, docs/logs.md):
///   %h %l %u %t "%r" %>s %b                              (common; nginx: no default, same shape)
///   %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"  (combined; nginx's default `combined`)
/// Anything after the size field (combined's two quoted fields, a vhost or timing suffix) is ignored.
/// Files are read through zlib, so a .gz log (one or more gzip members) is read directly.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rl::history {

/// One parsed line. Views point into the line given to parse_log_line.
struct LogEntry {
  std::string_view method, target;  ///< from "%r": "GET /a?b HTTP/1.1"
  int status = 0;                   ///< %>s
  std::uint32_t day = 0;            ///< the date of %t as YYYYMMDD (local time of the server, as logged)
};

/// False when the line is not in the common/combined shape (or its request line is not "METHOD TARGET
/// [PROTOCOL]" with a target starting with '/').
bool parse_log_line(std::string_view line, LogEntry& out);

/// "2026-01-31" for 20260131.
std::string day_text(std::uint32_t day);
/// 20260131 for "2026-01-31"; 0 when it is not such a date.
std::uint32_t day_of(std::string_view iso_date);

/// Longest line read; a longer one is skipped whole and counted (hostile input: never read into memory).
inline constexpr std::size_t kMaxLogLineBytes = 16384;

struct LogReadStats {
  std::uint64_t lines = 0;      ///< every line, the skipped ones included
  std::uint64_t too_long = 0;   ///< lines over kMaxLogLineBytes
  std::uint64_t first_too_long = 0;  ///< line number of the first of them (1-based; 0 = none)
};

/// Reads `path` (plain or gzip) line by line: `line(number, text)` for each line of at most
/// kMaxLogLineBytes bytes (without its "\n" / "\r\n"); `progress(done, total)` every 64k lines, in
/// bytes of the file on disk. False + `error` when the file cannot be opened or read.
bool read_log(const std::string& path, const std::function<void(std::uint64_t, std::string_view)>& line,
              const std::function<void(std::uint64_t, std::uint64_t)>& progress, LogReadStats& stats,
              std::string& error);

}  // namespace rl::history
