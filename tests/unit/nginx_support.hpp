#pragma once
// Helpers shared by the nginx unit tests: parse a text or a file, list its diagnostics as strings.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parse/parse.hpp"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (const std::string& x : v) s += "\n  " + x;
    return (s + "}").c_str();
  }
};
}  // namespace doctest

namespace nginx_test {

struct Parsed {
  rl::SourceFiles files;
  rl::RuleSet rs;
  std::string dump;  ///< debug_string(rs)
};

/// Parses `text` as file "in.conf".
inline Parsed parse_text(const std::string& text, rl::ParseOptions opts = {}) {
  Parsed p;
  rl::FileId id = p.files.add("in.conf", text);
  p.rs = rl::parse_nginx(p.files, id, opts);
  p.dump = rl::debug_string(p.rs);
  return p;
}

/// Parses the file at `path` (includes resolved next to it).
inline Parsed parse_path(const std::string& path) {
  Parsed p;
  rl::FileId id = 0;
  std::string err;
  REQUIRE(p.files.load(path, id, err, std::size_t{256} << 20) == rl::ReadStatus::ok);
  p.rs = rl::parse_nginx(p.files, id, rl::ParseOptions{});
  p.dump = rl::debug_string(p.rs);
  return p;
}

/// "CODE file:line:col message", one per parse diagnostic, in order.
inline std::vector<std::string> diags(const Parsed& p) {
  std::vector<std::string> out;
  for (const rl::Diagnostic& d : p.rs.parse_diags)
    out.push_back(d.code + " " + p.files.path(d.range.file) + ":" + std::to_string(d.range.line) + ":" +
                  std::to_string(d.range.column) + " " + d.message);
  return out;
}

inline std::size_t count(const Parsed& p, std::string_view code) {
  std::size_t n = 0;
  for (const rl::Diagnostic& d : p.rs.parse_diags) n += d.code == code;
  return n;
}

}  // namespace nginx_test
