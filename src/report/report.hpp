#pragma once
/// Renderers of vector<Diagnostic>. Each returns the whole text; only cli/ prints it.
#include <cstdint>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/source.hpp"

namespace rl {

/// Where each code's documentation page lives: helpUri (SARIF), codeDescription (LSP) = base + CODE + ".md".
inline constexpr std::string_view kDocsUrlBase = "https://github.com/redirlint/redirlint/blob/main/docs/checks/";
/// informationUri of the tool (SARIF).
inline constexpr std::string_view kHomepageUrl = "https://github.com/redirlint/redirlint";

/// THE escaping of input bytes for people and tools that show text (issue 20): gcc and text lines, SARIF
/// and LSP messages, trace text, stderr messages. C0 controls but tab, DEL, C1 controls (U+0080..U+009F)
/// and bytes that are not well-formed UTF-8 become `\xNN` (lower-case hex); everything else is kept.
/// A message stays one line and no input byte reaches a terminal as an escape sequence. Idempotent on
/// its own output. JSON output carries the raw text (JSON escapes it).
std::string display_text(std::string_view s);

/// The page of `code` under kDocsUrlBase.
std::string doc_url(std::string_view code);

/// How `render` draws text output.
struct RenderOptions {
  bool pretty = false;            ///< text: source line and a caret/underline under the range
  bool color = false;             ///< ANSI colours (pretty only)
  std::size_t files_checked = 0;  ///< for the summary line
  bool summary = true;            ///< pretty text ends with the summary line (off with --quiet)
};

/// Output formats `render` accepts: "text" (pretty when `opts.pretty`, else gcc lines), "gcc", "json", "sarif",
/// and the CI formats "github", "checkstyle", "gitlab", "junit" (docs/ci.md).
inline constexpr std::string_view kOutputFormats[] = {"text",   "gcc",        "json",   "sarif",
                                                      "github", "checkstyle", "gitlab", "junit"};

/// Decides pretty/colour for `--output text` from `--color` (auto|always|never), NO_COLOR and whether
/// stdout is a terminal: pretty on a terminal or with `always`; colour unless NO_COLOR or `never`.
RenderOptions text_render_options(std::string_view color_choice, bool stdout_is_tty, bool no_color_env);

/// Renders `diags` in `format` (one of kOutputFormats; unknown = gcc). Pretty text ends with the summary line.
std::string render(std::string_view format, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                   const RenderOptions& opts);

/// gcc style, one line per diagnostic plus `note:` lines: `file:line:col: severity: message [RL201]`.
std::string render_gcc(const std::vector<Diagnostic>& diags, const SourceFiles& files);

/// Compiler style for people: the gcc line, the source line, a caret/underline under the range, the notes,
/// the fix and the example request; then the summary line. ANSI colours when `color`.
std::string render_text(const std::vector<Diagnostic>& diags, const SourceFiles& files, bool color,
                        std::size_t files_checked, bool summary = true);

/// JSON of DESIGN §7 / docs/json-format.md (version 1). Pretty-printed, stable key order.
std::string render_json(const std::vector<Diagnostic>& diags, const SourceFiles& files);

/// SARIF 2.1.0 (docs/sarif.md): one run, every registered check as a rule, columns in Unicode code points.
std::string render_sarif(const std::vector<Diagnostic>& diags, const SourceFiles& files);

/// GitHub Actions workflow commands, one per diagnostic: `::error file=F,line=L,col=C,title=RL201 slug::message`
/// (info is `::notice`); annotations on the pull request without code scanning.
std::string render_github(const std::vector<Diagnostic>& diags, const SourceFiles& files);
/// Checkstyle 4.3 XML (Jenkins warnings-ng, reviewdog): one <file> per file, one <error> per diagnostic.
std::string render_checkstyle(const std::vector<Diagnostic>& diags, const SourceFiles& files);
/// GitLab Code Quality report (a JSON array; severity error=major, warning=minor, info=info; a stable
/// fingerprint from code, path, message and repeat count, so a moved line is the same finding).
std::string render_gitlab(const std::vector<Diagnostic>& diags, const SourceFiles& files);
/// GitHub's workflow-command escaping: data escapes % CR LF; property values (`property`) also ':' and ','.
std::string github_escape(std::string_view s, bool property);
/// XML 1.0 text and attributes: the five entities, and control characters XML cannot carry as U+FFFD
/// (written as the character reference of the replacement character).
std::string xml_escape(std::string_view s);
/// JUnit XML: one test case per file read, failed when it has findings (the gcc lines as the body).
std::string render_junit(const std::vector<Diagnostic>& diags, const SourceFiles& files, std::size_t files_checked);

/// `check --statistics`: one line per code, most frequent first: count, code, slug, severity; then the summary.
std::string render_statistics(const std::vector<Diagnostic>& diags, std::size_t files_checked);

/// One-line summary: "3 warnings, 1 error in 2 files" ("no problems found in N files").
std::string render_summary(const std::vector<Diagnostic>& diags, std::size_t files_checked);

/// Column conversions for clients that do not count bytes. `line` is the line's text, columns are 1-based.
/// A byte column past the end of the line maps past the end of the converted line.
std::uint32_t codepoint_column(std::string_view line, std::uint32_t byte_column);
std::uint32_t utf16_column(std::string_view line, std::uint32_t byte_column);
/// The inverse of utf16_column (a column inside a surrogate pair maps to the next character).
std::uint32_t byte_column_from_utf16(std::string_view line, std::uint32_t utf16_col);

}  // namespace rl

namespace CLI {
class App;
}

// The command-line side of the renderers (implemented in src/cli/output.cpp; declared here so that every
// command that includes report.hpp can route its output through them).
namespace rl::cli {

/// Adds `--output text|gcc|json|sarif` (stored in `output`) and `--color auto|always|never`. After parsing,
/// an `output` of "text" carries the colour choice as "text:auto", "text:always" or "text:never".
void add_output_options(CLI::App& cmd, std::string& output);

/// Prints `diags` to stdout in `output` (as left by add_output_options). Text is pretty on a terminal
/// or with --color always (colours off with NO_COLOR or --color never), else gcc lines with the summary
/// on stderr.
void print_diagnostics(std::string_view output, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                       std::size_t files_checked, bool summary = true);

/// The same text as print_diagnostics for a file instead of stdout (`--output-file`): never pretty unless
/// --color always, the summary only inside pretty text.
std::string diagnostics_text(std::string_view output, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                             std::size_t files_checked, bool summary);

/// std::cout for the life of this object writes to fd 1 through a buffer that remembers the first write
/// error (a full disk, /dev/full). `finish` flushes stdout and stderr: a failed write on either makes
/// the exit code 2, with "cannot write the output (standard output): <reason>" on stderr (when stderr
/// still works); else it returns `exit_code`. main() owns the one instance.
class StdoutChecker : public std::streambuf {
 public:
  StdoutChecker();
  ~StdoutChecker() override;
  StdoutChecker(const StdoutChecker&) = delete;
  StdoutChecker& operator=(const StdoutChecker&) = delete;
  int finish(int exit_code);

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  bool drain();
  std::vector<char> buffer_;
  std::streambuf* previous_ = nullptr;  ///< std::cout's own buffer while replaced (not on a terminal)
  int error_ = 0;  ///< errno of the first failed write (0 = none)
};

}  // namespace rl::cli
