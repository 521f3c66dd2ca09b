#pragma once
/// Parsers: one per format, each turning one file into a RuleSet. Parse errors are diagnostics in
/// RuleSet::parse_diags (RL0xx), never exceptions escaping a parser (STYLE.md 9).
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/model.hpp"
#include "model/source.hpp"
#include "parse/detect.hpp"

namespace rl {

struct ParseOptions {
  std::optional<Format> format;   ///< --format; nullopt = detect
  std::string htaccess_dir = "/"; ///< --htaccess-dir: URL path of the .htaccess directory, '/'-terminated
  std::size_t max_file_bytes = 256u << 20;  ///< larger files are refused with RL001
  int max_depth = 256;            ///< block nesting limit (Apache sections, nginx blocks, YAML collections)
  int max_include_depth = 64;     ///< nginx include nesting limit (util/limits.hpp max-include-depth)
  std::size_t max_line_bytes = 1u << 20;  ///< a file with a longer line is refused with RL001 (max-line-bytes)
  std::size_t max_rules = 1'000'000;      ///< rules after this many in one file are dropped with RL001 (max-rules)
  /// --stdin-filename: the path stdin is read as (detection, config lookup, messages); "" = "<stdin>".
  std::string stdin_name;
  /// --include-root: includes (and map files) must resolve inside this directory; "" = the directory
  /// of the file being checked (or the nginx prefix, when given).
  std::string include_root;
  /// --nginx-prefix: the local copy of nginx's configuration directory (where nginx.conf lives), against
  /// which nginx resolves relative include paths; "" = the directory of the file being checked.
  std::string nginx_prefix;
  /// Called by cli::load_inputs with each file's path before it is read: may change a copy of these
  /// options for that file only (the limits of the file's .redirlint.yaml). Empty = no change.
  std::function<void(const std::string& path, ParseOptions& for_file)> per_file;
  /// Cloudflare Pages `_redirects` limits (RL007): static rules, dynamic (splat/placeholder) rules,
  /// characters per rule line. Documented at developers.cloudflare.com/pages/configuration/redirects/.
  std::size_t provider_max_static = 2000, provider_max_dynamic = 100, provider_max_line = 1000;
  /// Vercel: routes per deployment (redirects + rewrites + headers + routes of vercel.json), RL007.
  std::size_t vercel_max_routes = 1024;
};

/// True when YAML text looks like a redirlint rule file (a top-level `version: 1`, or `version:` next
/// to `redirects:`), by a line scan that never parses. Lets a directory walk skip other YAML files
/// (CI workflows, docker-compose, other tools' maps) that `parse_yaml` would report as not ours.
bool looks_like_rule_file(std::string_view yaml_text);

/// Parses file `id` (already loaded into `files`) in format `format`. nginx may load includes into `files`.
RuleSet parse_apache(SourceFiles& files, FileId id, Format format, const ParseOptions& opts);
RuleSet parse_nginx(SourceFiles& files, FileId id, const ParseOptions& opts);
RuleSet parse_yaml(SourceFiles& files, FileId id, const ParseOptions& opts);
RuleSet parse_netlify(SourceFiles& files, FileId id, const ParseOptions& opts);
RuleSet parse_netlify_toml(SourceFiles& files, FileId id, const ParseOptions& opts);
RuleSet parse_vercel(SourceFiles& files, FileId id, const ParseOptions& opts);
RuleSet parse_cloudflare_bulk(SourceFiles& files, FileId id, const ParseOptions& opts);
RuleSet parse_iis(SourceFiles& files, FileId id, const ParseOptions& opts);
/// A page (HTML, PHP) named alone: served at "/" + its file name (docs/pages.md).
RuleSet parse_page(SourceFiles& files, FileId id, const ParseOptions& opts);

/// Reads the redirects of page `id` served at `url_path` ("/a/index.html", %-decoded) into `into`:
/// its rules are appended (ids continued, one more for the directory URL "/a/" of an index page), its
/// file added to `into.files`. `into` is a Format::page set of file rules (load_inputs merges the pages
/// of one walked directory into one set, so that chains between pages are seen).
void read_page(const SourceFiles& files, FileId id, std::string_view url_path, RuleSet& into);

/// True for a page rule the browser follows, not the server: a meta refresh or a JavaScript location.
bool is_client_side_redirect(const Rule& r);

/// Detects (unless opts.format) and parses; a file whose format cannot be told gives RL001 at 1:1.
RuleSet parse_file(SourceFiles& files, FileId id, const ParseOptions& opts);

/// Reads `# redirlint: ...` comments of the file (disable=, disable-file=, until=, note=) and attaches
/// them to the rules on the same or next line. Unknown codes give a warning diagnostic (RL002).
void apply_comment_annotations(RuleSet& rs, const SourceFiles& files);

/// Normalises a --htaccess-dir value to "/x/y/" form.
std::string normalise_dir(std::string_view dir);

}  // namespace rl
