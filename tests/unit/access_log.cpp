// Access log lines (history/access_log.hpp): the common and combined formats, and the bounded reader.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "history/access_log.hpp"

using rl::history::LogEntry;
using rl::history::parse_log_line;

TEST_CASE("a common-format line gives method, target, status and day") {
  LogEntry e;
  REQUIRE(parse_log_line(R"(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?x=1 HTTP/1.0" 200 2326)", e));
  CHECK(e.method == "GET");
  CHECK(e.target == "/apache_pb.gif?x=1");
  CHECK(e.status == 200);
  CHECK(e.day == 20001010);
}

TEST_CASE("a combined-format line with an escaped quote in the request is read to its real end") {
  LogEntry e;
  REQUIRE(parse_log_line(
      R"(::1 - - [01/Nov/2026:00:00:01 +0000] "POST /a\"b HTTP/1.1" 404 - "http://ref/" "curl/8 \"x\"")", e));
  CHECK(e.method == "POST");
  CHECK(e.target == R"(/a\"b)");
  CHECK(e.status == 404);
}

TEST_CASE("lines that are not common/combined are refused") {
  LogEntry e;
  CHECK_FALSE(parse_log_line("", e));
  CHECK_FALSE(parse_log_line("\x16\x03\x01\x00", e));
  CHECK_FALSE(parse_log_line(R"(1.2.3.4 - - [01/Nov/2026:00:00:01 +0000] "-" 400 0)", e));
  CHECK_FALSE(parse_log_line(R"(1.2.3.4 - - [01/Nov/2026:00:00:01 +0000] "GET /trunc)", e));
  CHECK_FALSE(parse_log_line(R"(1.2.3.4 - - [41/Foo/2026:00:00:01 +0000] "GET / HTTP/1.1" 200 1)", e));
  CHECK_FALSE(parse_log_line(R"(1.2.3.4 - - [01/Nov/2026:00:00:01 +0000] "GET http://x/ HTTP/1.1" 200 1)", e));
}

TEST_CASE("review dates and log days convert both ways") {
  CHECK(rl::history::day_of("2026-11-15") == 20261115);
  CHECK(rl::history::day_of("2026-1-15") == 0);
  CHECK(rl::history::day_text(20260105) == "2026-01-05");
}

TEST_CASE("read_log reads gzip members and plain text alike, and skips an over-long line whole") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("rl_access_log_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string text = "a\r\n" + std::string(rl::history::kMaxLogLineBytes + 10, 'x') + "\nb\nc";
  {
    std::ofstream(dir / "plain.log", std::ios::binary) << text;
    gzFile gz = gzopen((dir / "packed.log.gz").c_str(), "wb");
    gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
    gzclose(gz);
  }
  for (const char* name : {"plain.log", "packed.log.gz"}) {
    std::vector<std::string> got;
    rl::history::LogReadStats stats;
    std::string error;
    REQUIRE(rl::history::read_log((dir / name).string(),
                                  [&](std::uint64_t n, std::string_view l) { got.push_back(std::to_string(n) + ":" + std::string(l)); },
                                  nullptr, stats, error));
    CHECK(got == std::vector<std::string>{"1:a", "3:b", "4:c"});
    CHECK(stats.lines == 4);
    CHECK(stats.too_long == 1);
    CHECK(stats.first_too_long == 2);
  }
  std::string error;
  rl::history::LogReadStats stats;
  CHECK_FALSE(rl::history::read_log((dir / "missing.log").string(), [](std::uint64_t, std::string_view) {}, nullptr,
                                    stats, error));
  CHECK_FALSE(rl::history::read_log(dir.string(), [](std::uint64_t, std::string_view) {}, nullptr, stats, error));
  fs::remove_all(dir);
}
