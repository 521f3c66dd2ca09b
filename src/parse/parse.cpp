#include "parse/parse.hpp"

#include <algorithm>
#include <cctype>

#include "util/limits.hpp"

namespace rl {

namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::string_view basename(std::string_view p) {
  auto slash = p.find_last_of('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

// Content sniffing for *.conf and unknown names: nginx uses `;` and braces, Apache uses <Tags> and
// capitalised directives.
bool looks_like_nginx(std::string_view text) {
  std::size_t score_nginx = 0, score_apache = 0;
  std::size_t pos = 0;
  int lines = 0;
  while (pos < text.size() && lines < 400) {
    auto e = text.find('\n', pos);
    std::string_view line = text.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
    pos = e == std::string_view::npos ? text.size() : e + 1;
    ++lines;
    auto b = line.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) continue;
    line = line.substr(b);
    if (line[0] == '#') continue;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.back() == ';' || line.back() == '{' || line == "}") ++score_nginx;
    if (line[0] == '<' || line.rfind("Rewrite", 0) == 0 || line.rfind("Redirect", 0) == 0) ++score_apache;
  }
  return score_nginx > score_apache;
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

bool is_recognised_name(std::string_view path) {
  std::string name = lower(basename(path));
  return name == ".htaccess" || name == "htaccess.txt" || ends_with(name, ".htaccess") || name == "_redirects" ||
         ends_with(name, ".redirects") || ends_with(name, ".conf") || ends_with(name, ".yaml") ||
         ends_with(name, ".yml") || name == "nginx.conf" || name == "httpd.conf" || name == "apache2.conf";
}

bool detect_format(std::string_view path, std::string_view text, Format& out) {
  std::string name = lower(basename(path));
  if (name == ".htaccess" || name == "htaccess.txt" || ends_with(name, ".htaccess")) {
    out = Format::htaccess;
    return true;
  }
  if (name == "_redirects" || ends_with(name, ".redirects")) {
    out = Format::netlify;
    return true;
  }
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) {
    out = Format::yaml;
    return true;
  }
  if (name == "httpd.conf" || name == "apache2.conf") {
    out = Format::apache;
    return true;
  }
  if (name == "nginx.conf") {
    out = Format::nginx;
    return true;
  }
  if (ends_with(name, ".conf") || !text.empty()) {
    out = looks_like_nginx(text) ? Format::nginx : Format::apache;
    return ends_with(name, ".conf") || !text.empty();
  }
  return false;
}

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
  if (auto refused = check_file_limits(files, id, opts)) {
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
  }
  apply_comment_annotations(rs, files);
  drop_rules_over_limit(rs, opts);
  return rs;
}

}  // namespace rl
