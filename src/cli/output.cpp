#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "report/report.hpp"

namespace rl::cli {

void add_output_options(CLI::App& cmd, std::string& output) {
  auto color = std::make_shared<std::string>("auto");
  std::vector<std::string> formats(std::begin(kOutputFormats), std::end(kOutputFormats));
  cmd.add_option("--output", output, "text (pretty on a terminal), gcc, json, sarif, or for CI: github, checkstyle, gitlab, junit")->check(CLI::IsMember(formats));
  cmd.add_option("--color", *color, "colours and source snippets in text output: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  // Runs after every option of `cmd` is parsed and before its callback, whatever the option order.
  cmd.parse_complete_callback([&output, color] {
    if (output == "text") output += ":" + *color;
  });
}

namespace {

/// Splits "text:auto" into the format and the colour choice.
RenderOptions options_for(std::string_view output, bool to_tty, std::string_view& format) {
  std::string_view color = "auto";
  format = output;
  if (auto colon = output.find(':'); colon != std::string_view::npos) {
    format = output.substr(0, colon);
    color = output.substr(colon + 1);
  }
  const char* no_color = std::getenv("NO_COLOR");
  return text_render_options(color, to_tty, no_color && *no_color);
}

}  // namespace

void print_diagnostics(std::string_view output, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                       std::size_t files_checked, bool summary) {
  std::string_view format;
  RenderOptions opts = options_for(output, isatty(STDOUT_FILENO) == 1, format);
  opts.files_checked = files_checked;
  opts.summary = summary;
  std::cout << render(format, diags, files, opts);
  if (summary && format == "text" && !opts.pretty) std::cerr << render_summary(diags, files_checked) << "\n";
}

std::string diagnostics_text(std::string_view output, const std::vector<Diagnostic>& diags, const SourceFiles& files,
                             std::size_t files_checked, bool summary) {
  std::string_view format;
  RenderOptions opts = options_for(output, false, format);
  opts.files_checked = files_checked;
  opts.summary = summary;
  return render(format, diags, files, opts);
}

StdoutChecker::StdoutChecker() : buffer_(1 << 16) {
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  // A terminal keeps stdio's line buffering (each line seen as written); its errors are found at the end.
  if (isatty(STDOUT_FILENO) != 1) previous_ = std::cout.rdbuf(this);
}

StdoutChecker::~StdoutChecker() {
  if (!previous_) return;
  drain();
  std::cout.rdbuf(previous_);
}

bool StdoutChecker::drain() {
  const char* p = pbase();
  std::size_t left = static_cast<std::size_t>(pptr() - pbase());
  while (left > 0 && error_ == 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n < 0 ? errno : EIO;
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // After a failed write the rest is dropped: nothing more can reach the reader.
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return error_ == 0;
}

StdoutChecker::int_type StdoutChecker::overflow(int_type ch) {
  if (!drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(ch, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
  }
  return traits_type::not_eof(ch);
}

std::streamsize StdoutChecker::xsputn(const char* s, std::streamsize n) {
  std::streamsize done = 0;
  while (done < n) {
    if (pptr() == epptr() && !drain()) return done;
    std::streamsize room = std::min<std::streamsize>(epptr() - pptr(), n - done);
    std::memcpy(pptr(), s + done, static_cast<std::size_t>(room));
    pbump(static_cast<int>(room));
    done += room;
  }
  return done;
}

int StdoutChecker::sync() { return drain() ? 0 : -1; }

int StdoutChecker::finish(int exit_code) {
  std::cout.flush();
  if (previous_) drain();
  else if (std::fflush(stdout) != 0 || std::ferror(stdout)) error_ = errno ? errno : EIO;
  std::cerr.flush();
  bool err_failed = std::fflush(stderr) != 0 || std::ferror(stderr);
  if (error_ != 0) {
    std::fprintf(stderr, "redirlint: cannot write the output (standard output): %s\n", std::strerror(error_));
    std::fflush(stderr);
  }
  return error_ != 0 || err_failed ? kExitBadInput : exit_code;
}

}  // namespace rl::cli
