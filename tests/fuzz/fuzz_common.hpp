#pragma once
/// Helpers shared by the libFuzzer targets of tests/fuzz/ (also compiled into fuzz_replay, the
/// regression replayer of the normal build). Everything is inline: several targets share one binary.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "model/source.hpp"
#include "checks/run.hpp"
#include "parse/parse.hpp"

namespace rl_fuzz {

/// A property of the code under test does not hold: print why and abort (libFuzzer saves the input).
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz property violated: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

/// The file name that makes each format's parser see the input as that format.
inline const char* file_name(rl::Format f) {
  switch (f) {
    case rl::Format::apache: return "fuzz.conf";
    case rl::Format::htaccess: return ".htaccess";
    case rl::Format::nginx: return "fuzz-nginx.conf";
    case rl::Format::yaml: return "fuzz.yaml";
    case rl::Format::netlify: return "_redirects";
    case rl::Format::netlify_toml: return "netlify.toml";
    case rl::Format::vercel: return "vercel.json";
    case rl::Format::cloudflare_bulk: return "bulk-redirects.csv";
    case rl::Format::iis: return "web.config";
    case rl::Format::page: return "fuzz.html";
  }
  return "fuzz";
}

/// Parses `text` as `format`, with the limits a fuzzer needs (small nesting, small files).
inline rl::RuleSet parse_as(rl::SourceFiles& files, rl::Format format, std::string text) {
  rl::FileId id = files.add(file_name(format), std::move(text));
  rl::ParseOptions opts;
  opts.format = format;
  opts.max_depth = 64;
  opts.max_file_bytes = 1u << 20;
  return rl::parse_file(files, id, opts);
}

/// Every diagnostic names a file of `files` and a line that exists in it (or 0: no position).
inline void check_positions(const std::vector<rl::Diagnostic>& diags, const rl::SourceFiles& files) {
  for (const rl::Diagnostic& d : diags) {
    if (d.code.empty() || d.message.empty()) fail("diagnostic without code or message", d.code);
    if (d.message.find('\n') != std::string::npos) fail("diagnostic message spans lines", d.message);
    if (d.range.file >= files.size()) fail("diagnostic in an unknown file", d.message);
    const auto& lines = files.get(d.range.file).line_starts;
    if (d.range.line > lines.size() + 1) fail("diagnostic past the last line", d.message);
  }
}

/// True when the diagnostics contain `code`.
inline bool has_code(const std::vector<rl::Diagnostic>& diags, std::string_view code) {
  for (const rl::Diagnostic& d : diags)
    if (d.code == code) return true;
  return false;
}

/// The parse targets (fuzz_parse_<fmt>, fuzz_check_<fmt>): parse `data` as `format`, check the
/// diagnostics' positions; with `checks`, also run every registered check on the result.
inline int parse_one(rl::Format format, bool checks, const std::uint8_t* data, std::size_t size) {
  rl::SourceFiles files;
  rl::RuleSet rs = parse_as(files, format, std::string(reinterpret_cast<const char*>(data), size));
  check_positions(rs.parse_diags, files);
  if (checks) {
    rl::CheckOptions copts;
    copts.today = "2026-01-01";
    copts.max_hops = 5;
    check_positions(rl::run_checks(rs, files, copts, rl::Selection{}), files);
  }
  return 0;
}

}  // namespace rl_fuzz
