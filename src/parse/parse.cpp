#include "parse/parse.hpp"

#include <algorithm>
#include <cctype>

#include "util/limits.hpp"

namespace rl {

namespace {

// The servers' own refusals of a whole file, reproduced (evidence: tests/robustness/refused.py, run
// against apache2 2.4 and nginx): a UTF-8 byte order mark, and for Apache lone-CR line endings.
std::optional<Diagnostic> check_server_refusals(const SourceFiles& files, FileId id, Format f) {
  const std::string& t = files.get(id).text;
  if (t.rfind("\xEF\xBB\xBF", 0) == 0) {
    std::string said = f == Format::nginx
                           ? "nginx -t: unknown directive \"\\xEF\\xBB\\xBF...\" (emerg): the server does not start"
                       : f == Format::htaccess
                           ? "Apache answers 500 for every request: Invalid command '\\xef\\xbb\\xbf...'"
                       : f == Format::apache ? "apache2 -t: Invalid command '\\xef\\xbb\\xbf...': the server does not start"
                                             : "";
    if (!said.empty())
      return make_diagnostic("RL001", files.range(id, 0, 3),
                             "the file starts with a UTF-8 byte order mark (EF BB BF), which " +
                                 std::string(to_string(f)) + " reads as part of the first directive (" + said +
                                 "); save the file without the BOM; not read");
  }
  if (f == Format::apache || f == Format::htaccess) {
    // Apache ends a line only at LF; a CR elsewhere is a space, so the text after it is more
    // arguments of the same directive (500 "takes one, two or three arguments", or rules ignored).
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
      if (t[i] != '\r' || t[i + 1] == '\n') continue;
      std::size_t rest = t.find_first_not_of(" \t\r", i + 1);
      if (rest == std::string::npos || t[rest] == '\n') continue;
      return make_diagnostic("RL001", files.range(id, i, i + 1),
                             "lone CR line ending (old Mac style): Apache ends a line only at LF and reads the "
                             "text after the CR as more arguments of this directive (a .htaccess answers 500, or "
                             "the rules after it are ignored); save the file with LF or CRLF line endings; not read");
    }
  }
  return std::nullopt;
}

// Size and line-length limits, checked before any parser runs: one RL001 naming the limit, file not read.
std::optional<Diagnostic> check_file_limits(const SourceFiles& files, FileId id, const ParseOptions& opts) {
  const SourceFile& sf = files.get(id);
  if (sf.text.size() > opts.max_file_bytes)
    return make_diagnostic("RL001", files.range(id, 0, 0),
                           "file is " + std::to_string(sf.text.size()) + " bytes, over the limit; not read (" +
                               limit_hint(LimitId::file_bytes, opts.max_file_bytes) + ")");
  for (std::size_t i = 0; i < sf.line_starts.size(); ++i) {
    std::size_t begin = sf.line_starts[i];
    std::size_t end = i + 1 < sf.line_starts.size() ? sf.line_starts[i + 1] : sf.text.size();
    if (end - begin <= opts.max_line_bytes) continue;
    return make_diagnostic("RL001", files.range(id, begin + opts.max_line_bytes, end),
                           "line " + std::to_string(i + 1) + " is " + std::to_string(end - begin) +
                               " bytes long, over the limit; file not read (" +
                               limit_hint(LimitId::line_bytes, opts.max_line_bytes) + ")");
  }
  return std::nullopt;
}

// A file in which the chosen format recognised no rule and whose text has none of that format's
// directives is not that format: RL001 naming the format it looks like, never "no problems found".
void report_nothing_recognised(RuleSet& rs, const SourceFiles& files, FileId id, Format f, bool forced) {
  if (!rs.rules.empty() || f == Format::netlify_toml || f == Format::vercel || f == Format::cloudflare_bulk || f == Format::page) return;  // most pages redirect nowhere
  for (const Diagnostic& d : rs.parse_diags)
    if (d.code == "RL001") return;  // already an error
  FormatEvidence ev = sniff_format(files.get(id).text);
  if (ev.content_lines == 0 || ev.of(f) > 0) return;
  std::string how = forced ? "read as " + std::string(to_string(f)) + " (--format)"
                           : "read as " + std::string(to_string(f)) + " (from its name)";
  std::optional<Format> like = ev.best();
  std::string what = like ? "it looks like " + std::string(to_string(*like)) + " (use --format " +
                                std::string(to_string(*like)) + ")"
                          : "it does not look like any format redirlint reads (apache, htaccess, nginx, yaml, netlify, iis)";
  rs.parse_diags.push_back(make_diagnostic(
      "RL001", files.range(id, 0, 0), "no " + std::string(to_string(f)) + " directive recognised in this file, " + how + "; " + what));
}

// Rules past the limit are dropped (RuleIds are indices, so the first max_rules stay valid).
void drop_rules_over_limit(RuleSet& rs, const ParseOptions& opts) {
  if (rs.rules.size() <= opts.max_rules) return;
  std::size_t dropped = rs.rules.size() - opts.max_rules;
  rs.parse_diags.push_back(make_diagnostic(
      "RL001", rs.rules[opts.max_rules].where,
      "more than " + std::to_string(opts.max_rules) + " rules in this file: this rule and the " +
          std::to_string(dropped - 1) + " after it are not read (" + limit_hint(LimitId::rules, opts.max_rules) + ")"));
  rs.rules.resize(opts.max_rules);
}

}  // namespace

std::string normalise_dir(std::string_view dir) {
  std::string d(dir);
  if (d.empty() || d[0] != '/') d.insert(d.begin(), '/');
  if (d.back() != '/') d.push_back('/');
  return d;
}

RuleSet parse_file(SourceFiles& files, FileId id, const ParseOptions& opts) {
  Format f = Format::apache;
  if (opts.format) {
    f = *opts.format;
  } else if (!detect_format(files.path(id), files.get(id).text, f)) {
    RuleSet rs;
    rs.file = id;
    rs.files.push_back(id);
    rs.parse_diags.push_back(make_diagnostic("RL001", files.range(id, 0, 0), "cannot tell the format of this file; use --format"));
    return rs;
  }
  RuleSet rs;
  std::optional<Diagnostic> refused = check_file_limits(files, id, opts);
  if (!refused) refused = check_server_refusals(files, id, f);
  if (refused) {
    rs.format = f;
    rs.file = id;
    rs.files.push_back(id);
    rs.parse_diags.push_back(*refused);
    return rs;
  }
  switch (f) {
    case Format::apache:
    case Format::htaccess: rs = parse_apache(files, id, f, opts); break;
    case Format::nginx: rs = parse_nginx(files, id, opts); break;
    case Format::yaml: rs = parse_yaml(files, id, opts); break;
    case Format::netlify: rs = parse_netlify(files, id, opts); break;
    case Format::netlify_toml: rs = parse_netlify_toml(files, id, opts); break;
    case Format::vercel: rs = parse_vercel(files, id, opts); break;
    case Format::cloudflare_bulk: rs = parse_cloudflare_bulk(files, id, opts); break;
    case Format::iis: rs = parse_iis(files, id, opts); break;
    case Format::page: rs = parse_page(files, id, opts); break;
  }
  apply_comment_annotations(rs, files);
  drop_rules_over_limit(rs, opts);
  report_nothing_recognised(rs, files, id, f, opts.format.has_value());
  return rs;
}

}  // namespace rl
