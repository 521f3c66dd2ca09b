#include "history/access_log.hpp"

#include <sys/stat.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <vector>
#include <cerrno>
#include <cstring>
#include <memory>

namespace rl::history {

namespace {

int month_number(std::string_view m) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (kMonths[i] == m) return static_cast<int>(i) + 1;
  return 0;
}

bool digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

/// "10/Oct/2000:13:55:36 -0700" -> 20001010.
std::uint32_t log_day(std::string_view t) {
  int d = 0, y = 0;
  if (t.size() < 11 || t[2] != '/' || t[6] != '/' || !digits(t.substr(0, 2), d) || !digits(t.substr(7, 4), y))
    return 0;
  int m = month_number(t.substr(3, 3));
  if (m == 0 || d < 1 || d > 31) return 0;
  return static_cast<std::uint32_t>(y * 10000 + m * 100 + d);
}

}  // namespace

std::string day_text(std::uint32_t day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", day / 10000, day / 100 % 100, day % 100);
  return buf;
}

std::uint32_t day_of(std::string_view iso) {
  int y = 0, m = 0, d = 0;
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !digits(iso.substr(0, 4), y) ||
      !digits(iso.substr(5, 2), m) || !digits(iso.substr(8, 2), d))
    return 0;
  return static_cast<std::uint32_t>(y * 10000 + m * 100 + d);
}

bool parse_log_line(std::string_view line, LogEntry& out) {
  // %h %l %u: three fields without spaces, then [%t].
  std::size_t at = 0;
  for (int field = 0; field < 3; ++field) {
    std::size_t sp = line.find(' ', at);
    if (sp == std::string_view::npos || sp == at) return false;
    at = sp + 1;
  }
  if (at >= line.size() || line[at] != '[') return false;
  std::size_t close = line.find(']', at);
  if (close == std::string_view::npos) return false;
  out.day = log_day(line.substr(at + 1, close - at - 1));
  if (out.day == 0) return false;
  at = close + 1;
  if (line.substr(at, 2) != " \"") return false;
  at += 2;
  // "%r" ends at the first unescaped quote (Apache writes a quote in the request as \", nginx as \x22).
  std::size_t end = at;
  while (end < line.size() && line[end] != '"') end += line[end] == '\\' ? 2 : 1;
  if (end >= line.size()) return false;
  std::string_view request = line.substr(at, end - at);
  at = end + 1;
  if (line.substr(at, 1) != " ") return false;
  ++at;
  std::size_t sp = line.find(' ', at);
  std::string_view status = line.substr(at, sp == std::string_view::npos ? std::string_view::npos : sp - at);
  if (status.size() != 3 || !digits(status, out.status)) return false;
  std::size_t m_end = request.find(' ');
  if (m_end == std::string_view::npos || m_end == 0) return false;
  out.method = request.substr(0, m_end);
  for (char c : out.method)
    if (c < 'A' || c > 'Z') return false;
  std::string_view rest = request.substr(m_end + 1);
  std::size_t t_end = rest.find(' ');
  out.target = rest.substr(0, t_end);
  return !out.target.empty() && out.target[0] == '/';
}

bool read_log(const std::string& path, const std::function<void(std::uint64_t, std::string_view)>& line,
              const std::function<void(std::uint64_t, std::uint64_t)>& progress, LogReadStats& stats,
              std::string& error) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
    error = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
    return false;
  }
  std::unique_ptr<gzFile_s, int (*)(gzFile)> gz(gzopen(path.c_str(), "rb"), gzclose);
  if (!gz) {
    error = errno ? std::strerror(errno) : "cannot open";
    return false;
  }
  gzbuffer(gz.get(), 1 << 17);
  const std::uint64_t total = S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
  std::string pending;  // the start of a line whose end is not read yet (at most kMaxLogLineBytes)
  bool skipping = false;  // inside a line already over the limit
  std::uint64_t number = 0;
  auto finish_line = [&](std::string_view text) {
    ++number;
    ++stats.lines;
    if (skipping) {
      ++stats.too_long;
      if (!stats.first_too_long) stats.first_too_long = number;
    } else {
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      line(number, text);
    }
    skipping = false;
    if (progress && number % 65536 == 0) progress(static_cast<std::uint64_t>(gzoffset(gz.get())), total);
  };
  std::vector<char> buf(1 << 17);
  for (;;) {
    int n = gzread(gz.get(), buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int code = 0;
      const char* msg = gzerror(gz.get(), &code);
      error = std::string("cannot read: ") + (msg ? msg : "error");
      return false;
    }
    if (n == 0) break;
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    while (!chunk.empty()) {
      std::size_t nl = chunk.find('\n');
      std::string_view piece = chunk.substr(0, nl);
      if (!skipping && pending.size() + piece.size() > kMaxLogLineBytes) {
        skipping = true;
        pending.clear();
      }
      if (nl == std::string_view::npos) {
        if (!skipping) pending.append(piece);
        break;
      }
      if (pending.empty()) {
        finish_line(piece);
      } else {
        if (!skipping) pending.append(piece);
        finish_line(pending);
        pending.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
  }
  if (!pending.empty() || skipping) finish_line(pending);
  if (progress) progress(total, total);
  return true;
}

}  // namespace rl::history
