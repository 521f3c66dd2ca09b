#pragma once
/// Format detection: by name where the name says it (.htaccess, _redirects, *.yaml, nginx.conf ...),
/// else by content (brace and `;` statements, the known directive names of each format, the line
/// shape of `_redirects`), whatever the line layout. Also the evidence a parsed file is checked
/// against: a file in which the chosen format recognises nothing is reported, never "no problems".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/model.hpp"

namespace rl {

/// The format a file's name says; nullopt for names that say nothing (*.conf, other names, stdin).
std::optional<Format> name_format(std::string_view path);

/// What the first lines of a text look like (at most kSniffLines lines are read).
struct FormatEvidence {
  std::size_t apache = 0;   ///< lines starting with a known Apache directive or <Section>
  std::size_t nginx = 0;    ///< statements (`name ...;` or `name ... {`) starting with a known nginx directive
  std::size_t netlify = 0;  ///< `/from /to [status]` lines
  std::size_t iis = 0;      ///< `<system.webServer>` / `<rewrite>` / `<httpRedirect` lines of a web.config
  std::size_t yaml = 0;     ///< `key:` / `- key:` lines, counted only in a rule file (`version:` + `redirects:`)
  std::size_t content_lines = 0;  ///< lines that are neither blank nor comments
  /// How many statements of `f` were recognised (htaccess counts as apache).
  std::size_t of(Format f) const;
  /// The format with the most evidence; nullopt when nothing was recognised.
  std::optional<Format> best() const;
};
inline constexpr std::size_t kSniffLines = 2000;

/// Reads the evidence of `text` (quotes of nginx strings that span lines are followed, so that the
/// HTML of `return 429 '<html>...'` is not read as Apache sections).
FormatEvidence sniff_format(std::string_view text);

/// Detects the format from the file name, then the content. Returns false when it cannot tell
/// (the caller skips unrecognised files found by walking a directory, and errors on named ones).
bool detect_format(std::string_view path, std::string_view text, Format& out);

/// True when the first content line of `text` is a Cloudflare Bulk Redirects CSV row
/// (`host/path,URL[,status,...]`) or that CSV's header row (`source_url,target_url...`).
bool looks_like_cloudflare_csv(std::string_view text);

/// True when a file found while walking a directory has a name redirlint reads.
bool is_recognised_name(std::string_view path);

}  // namespace rl
