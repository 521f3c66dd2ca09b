#include <doctest/doctest.h>

#include "report/report.hpp"

using namespace rl;

namespace {

Diagnostic diag(FileId f, std::uint32_t line, std::uint32_t col, std::uint32_t end_col, std::string code,
                Severity sev, std::string msg) {
  Diagnostic d;
  d.code = std::move(code);
  d.severity = sev;
  d.message = std::move(msg);
  d.range = SourceRange{f, line, col, line, end_col};
  return d;
}

}  // namespace

TEST_CASE("pretty text shows the source line with a caret and underline under the range") {
  SourceFiles files;
  FileId f = files.add("site.htaccess", "RewriteEngine On\nRedirect /old /new\n");
  std::vector<Diagnostic> ds{diag(f, 2, 10, 14, "RL101", Severity::warning, "redirect \"/old\" uses the implicit 302")};
  std::string out = render_text(ds, files, false, 1);
  CHECK(out ==
        "site.htaccess:2:10: warning: redirect \"/old\" uses the implicit 302 [RL101]\n"
        " 2 | Redirect /old /new\n"
        "   |          ^~~~\n"
        "  = see: redirlint explain RL101\n"
        "\n"
        "1 warning in 1 file\n");
}

TEST_CASE("the underline lines up under tabs and multi-byte characters") {
  SourceFiles files;
  FileId f = files.add("a.conf", "\tRedirect /caf\xc3\xa9 /x\n");
  // "/x" starts at byte 19: tab(1) + "Redirect "(9) + "/café "(7 bytes, 6 chars) -> byte col 18.
  std::vector<Diagnostic> ds{diag(f, 1, 18, 20, "RL101", Severity::warning, "m")};
  std::string out = render_text(ds, files, false, 1);
  CHECK(out.find(" 1 | \tRedirect /caf\xc3\xa9 /x\n   | \t               ^~\n") != std::string::npos);
}

TEST_CASE("notes, the example request and the fix are shown under the diagnostic") {
  SourceFiles files;
  FileId f = files.add("s.htaccess", "Redirect 301 /a /b\nRedirect 301 /b /c\n");
  Diagnostic d = diag(f, 1, 1, 19, "RL201", Severity::warning, "chain");
  d.related.push_back({SourceRange{f, 2, 1, 2, 19}, "second hop: /b -> /c"});
  d.example = Example{"GET http://example.com/a", {{"/a", 301, "/b"}, {"/b", 301, "/c"}}};
  d.fix = Fix{"point \"/a\" at \"/c\"", true, {}};
  std::string out = render_text({d}, files, false, 1);
  CHECK(out.find("s.htaccess:2:1: note: second hop: /b -> /c\n 2 | Redirect 301 /b /c\n   | ^~~~~~~~~~~~~~~~~~\n") !=
        std::string::npos);
  CHECK(out.find("  = example: GET http://example.com/a -> 301 /b -> 301 /c\n") != std::string::npos);
  CHECK(out.find("  = fix: point \"/a\" at \"/c\"\n") != std::string::npos);
}

TEST_CASE("colours are ANSI sequences only when asked for") {
  SourceFiles files;
  FileId f = files.add("x", "a\n");
  std::vector<Diagnostic> ds{diag(f, 1, 1, 2, "RL202", Severity::error, "loop")};
  CHECK(render_text(ds, files, false, 1).find('\x1b') == std::string::npos);
  CHECK(render_text(ds, files, true, 1).find("\x1b[1;31merror:\x1b[0m") != std::string::npos);
}

TEST_CASE("control bytes of hostile input never reach the terminal") {
  SourceFiles files;
  FileId f = files.add("x", "Redirect /a\x1b[2J /b\n");
  std::vector<Diagnostic> ds{diag(f, 1, 1, 3, "RL101", Severity::warning, "m")};
  std::string out = render_text(ds, files, false, 1);
  CHECK(out.find(" 1 | Redirect /a\\x1b[2J /b\n") != std::string::npos);
  CHECK(out.find('\x1b') == std::string::npos);
}

TEST_CASE("a diagnostic without a position or past the end of the file has no snippet") {
  SourceFiles files;
  FileId f = files.add("gone.conf", "");
  std::vector<Diagnostic> ds{diag(f, 0, 0, 0, "RL001", Severity::error, "cannot read file"),
                             diag(f, 40, 1, 2, "RL001", Severity::error, "far")};
  std::string out = render_text(ds, files, false, 1);
  CHECK(out.find(" | ") == std::string::npos);
  CHECK(out.find("2 errors in 1 file\n") != std::string::npos);
}

TEST_CASE("text is pretty on a terminal or with --color always, and colourless with NO_COLOR") {
  CHECK_FALSE(text_render_options("auto", false, false).pretty);
  CHECK(text_render_options("auto", true, false).pretty);
  CHECK(text_render_options("auto", true, false).color);
  CHECK_FALSE(text_render_options("auto", true, true).color);
  CHECK(text_render_options("auto", true, true).pretty);
  CHECK(text_render_options("always", false, true).color);
  CHECK_FALSE(text_render_options("never", true, false).color);
  CHECK_FALSE(text_render_options("never", true, false).pretty);
}

TEST_CASE("render keeps gcc output one line per diagnostic whatever the options") {
  SourceFiles files;
  FileId f = files.add("a", "x\n");
  Diagnostic d = diag(f, 1, 1, 2, "RL101", Severity::warning, "m");
  d.related.push_back({SourceRange{f, 1, 1, 1, 2}, "n"});
  RenderOptions pretty{true, true, 1};
  CHECK(render("gcc", {d}, files, pretty) == "a:1:1: warning: m [RL101]\na:1:1: note: n\n");
  CHECK(render("text", {d}, files, RenderOptions{}) == "a:1:1: warning: m [RL101]\na:1:1: note: n\n");
}

TEST_CASE("columns convert from bytes to code points and UTF-16 units and back") {
  std::string_view line = "a\xc3\xa9" "b\xf0\x9f\x98\x80" "c";  // a é b 😀 c
  CHECK(codepoint_column(line, 1) == 1);
  CHECK(codepoint_column(line, 4) == 3);  // 'b'
  CHECK(codepoint_column(line, 9) == 5);  // 'c'
  CHECK(utf16_column(line, 9) == 6);      // the emoji is two UTF-16 units
  CHECK(byte_column_from_utf16(line, 6) == 9);
  CHECK(byte_column_from_utf16(line, 3) == 4);
  CHECK(codepoint_column(line, 30) == 26);  // past the end (5 characters, 9 bytes): one per byte beyond
  CHECK(codepoint_column("\xff\xfe", 3) == 3);  // invalid bytes count one each
}

TEST_CASE("a note on the diagnostic's own range does not repeat the source line") {
  SourceFiles files;
  FileId f = files.add("s", "Redirect 301 /x /y\n");
  Diagnostic d = diag(f, 1, 1, 19, "RL202", Severity::error, "loop");
  d.related.push_back({d.range, "hop 1"});
  std::string out = render_text({d}, files, false, 1);
  CHECK(out.find("s:1:1: note: hop 1\n  = see:") != std::string::npos);
}
