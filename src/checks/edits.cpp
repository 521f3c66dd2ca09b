#include "checks/edits.hpp"

#include <cctype>

#include "simulate/url.hpp"

namespace rl {

namespace {

struct Tok {
  std::size_t begin, end;  // byte offsets in the line
};

// Whitespace-separated words with "..." / '...' quoting; ';' ends a word (nginx).
std::vector<Tok> tokens(std::string_view line, std::size_t from) {
  std::vector<Tok> out;
  std::size_t i = from;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i >= line.size() || line[i] == '#' || line[i] == ';') break;
    std::size_t b = i;
    if (line[i] == '"' || line[i] == '\'') {
      char q = line[i++];
      while (i < line.size() && line[i] != q) i += line[i] == '\\' ? 2 : 1;
      i = std::min(i + 1, line.size());
    } else {
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])) && line[i] != ';') ++i;
    }
    out.push_back({b, i});
  }
  return out;
}

Edit make_edit(const Rule& r, std::size_t b, std::size_t e, std::string text) {
  return Edit{SourceRange{r.where.file, r.where.line, static_cast<std::uint32_t>(b + 1), r.where.line,
                          static_cast<std::uint32_t>(e + 1)},
              std::move(text)};
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<Edit> alias_status(std::string_view line, const std::vector<Tok>& t, const Rule& r, int status) {
  std::string dir = url::lower(line.substr(t[0].begin, t[0].end - t[0].begin));
  if (dir == "redirecttemp" || dir == "redirectpermanent") {
    if (status == 301) return make_edit(r, t[0].begin, t[0].end, "RedirectPermanent");
    if (status == 302) return make_edit(r, t[0].begin, t[0].end, "RedirectTemp");
    return std::nullopt;
  }
  if (t.size() < 2) return std::nullopt;
  std::string second = url::lower(line.substr(t[1].begin, t[1].end - t[1].begin));
  if (is_digits(second) || second == "permanent" || second == "temp" || second == "seeother")
    return make_edit(r, t[1].begin, t[1].end, std::to_string(status));
  return make_edit(r, t[1].begin, t[1].begin, std::to_string(status) + " ");
}

std::optional<Edit> rewrite_rule_status(std::string_view line, const std::vector<Tok>& t, const Rule& r, int status) {
  if (t.size() < 3) return std::nullopt;
  std::string code = "R=" + std::to_string(status);
  if (t.size() < 4 || line[t[3].begin] != '[') return make_edit(r, t[2].end, t[2].end, " [" + code + "]");
  std::size_t b = t[3].begin + 1, e = line.find(']', b);
  if (e == std::string_view::npos || e > t[3].end) return std::nullopt;
  std::size_t i = b;
  while (i < e) {
    std::size_t j = line.find(',', i);
    if (j == std::string_view::npos || j > e) j = e;
    std::string flag = url::lower(line.substr(i, j - i));
    std::string name = flag.substr(0, flag.find('='));
    if (name == "r" || name == "redirect") return make_edit(r, i, j, code);
    i = j + 1;
  }
  return make_edit(r, b, b, code + ",");
}

std::optional<Edit> nginx_status(std::string_view line, const std::vector<Tok>& t, const Rule& r, int status) {
  std::string dir(line.substr(t[0].begin, t[0].end - t[0].begin));
  if (dir == "return") {
    if (t.size() < 2) return std::nullopt;
    if (is_digits(line.substr(t[1].begin, t[1].end - t[1].begin))) return make_edit(r, t[1].begin, t[1].end, std::to_string(status));
    return make_edit(r, t[1].begin, t[1].begin, std::to_string(status) + " ");
  }
  if (dir != "rewrite" || t.size() < 3) return std::nullopt;
  std::string flag = status == 301 ? "permanent" : status == 302 ? "redirect" : "";
  if (flag.empty()) return std::nullopt;
  if (t.size() >= 4) {
    std::string cur(line.substr(t[3].begin, t[3].end - t[3].begin));
    if (cur == "redirect" || cur == "permanent") return make_edit(r, t[3].begin, t[3].end, flag);
    return std::nullopt;
  }
  return make_edit(r, t[2].end, t[2].end, " " + flag);
}

}  // namespace

int permanent_counterpart(int status) { return status == 307 ? 308 : 301; }

std::optional<Edit> status_edit(const SourceFiles& files, const Rule& r, int status) {
  if (!r.where.valid() || r.where.file >= files.size()) return std::nullopt;
  std::string_view line = files.line_text(r.where.file, r.where.line);
  std::size_t from = r.where.column ? r.where.column - 1 : 0;
  if (from > line.size()) return std::nullopt;
  std::vector<Tok> t = tokens(line, from);
  if (t.empty()) return std::nullopt;
  switch (r.origin.format) {
    case Format::apache:
    case Format::htaccess: {
      std::string dir = url::lower(r.origin.directive);
      if (dir.rfind("redirect", 0) == 0) return alias_status(line, t, r, status);
      if (dir == "rewriterule") return rewrite_rule_status(line, t, r, status);
      return std::nullopt;
    }
    case Format::nginx: return nginx_status(line, t, r, status);
    case Format::netlify:
      for (std::size_t k = 2; k < t.size(); ++k) {
        std::string_view w = line.substr(t[k].begin, t[k].end - t[k].begin);
        std::string_view digits = w.substr(0, w.find('!'));
        if (digits.size() == 3 && is_digits(digits))
          return make_edit(r, t[k].begin, t[k].begin + 3, std::to_string(status));
      }
      return std::nullopt;
    case Format::netlify_toml:
    case Format::vercel:
    case Format::cloudflare_bulk: return std::nullopt;  // a fix in a table / JSON object / CSV row: not offered
    case Format::yaml:
      for (std::uint32_t ln = r.where.line; ln <= r.where.end_line; ++ln) {
        std::string_view l = files.line_text(r.where.file, ln);
        std::size_t k = l.find("status:");
        if (k == std::string_view::npos) continue;
        std::size_t b = k + 7;
        while (b < l.size() && l[b] == ' ') ++b;
        std::size_t e = b;
        while (e < l.size() && std::isdigit(static_cast<unsigned char>(l[e]))) ++e;
        if (e == b) return std::nullopt;
        return Edit{SourceRange{r.where.file, ln, static_cast<std::uint32_t>(b + 1), ln, static_cast<std::uint32_t>(e + 1)},
                    std::to_string(status)};
      }
      return std::nullopt;
    case Format::iis: {
      // redirectType="..." (rewrite rules) / httpResponseStatus="..." (httpRedirect); 308 only in the latter.
      bool http_redirect = r.origin.directive == "httpRedirect";
      const char* name = http_redirect ? "httpResponseStatus=\"" : "redirectType=\"";
      const char* value = status == 301 ? "Permanent" : status == 302 ? "Found" : status == 307 ? "Temporary"
                        : status == 308 && http_redirect ? "PermRedirect" : status == 303 && !http_redirect ? "SeeOther" : nullptr;
      if (!value || r.origin.directive == "rewriteMap") return std::nullopt;
      for (std::uint32_t ln = r.where.line; ln <= r.where.end_line; ++ln) {
        std::string_view l = files.line_text(r.where.file, ln);
        std::size_t k = l.find(name);
        if (k == std::string_view::npos) continue;
        std::size_t b = k + std::string_view(name).size(), e = l.find('"', b);
        if (e == std::string_view::npos) return std::nullopt;
        return Edit{SourceRange{r.where.file, ln, static_cast<std::uint32_t>(b + 1), ln, static_cast<std::uint32_t>(e + 1)}, value};
      }
      return std::nullopt;
    }
    case Format::page: return std::nullopt;  // a page's code is not rewritten (written by hand)
  }
  return std::nullopt;
}

std::optional<Edit> target_edit(const SourceFiles& files, const Rule& r, std::string_view old_target,
                                std::string_view target) {
  if (!r.where.valid() || old_target.empty()) return std::nullopt;
  std::string_view line = files.line_text(r.where.file, r.where.line);
  std::size_t from = r.where.column ? r.where.column - 1 : 0;
  std::vector<Tok> t = tokens(line, from);
  std::optional<std::size_t> found;
  for (const Tok& k : t) {
    std::string_view w = line.substr(k.begin, k.end - k.begin);
    if (w == old_target) {
      if (found) return std::nullopt;
      found = k.begin;
    }
  }
  if (!found) return std::nullopt;
  return make_edit(r, *found, *found + old_target.size(), std::string(target));
}

std::optional<Edit> delete_rule_edit(const SourceFiles& files, const RuleSet& rs, const Rule& r) {
  if (!r.where.valid()) return std::nullopt;
  std::uint32_t first = r.where.line, last = r.where.end_line ? r.where.end_line : r.where.line;
  for (const Condition& c : r.conds)
    if (c.where.valid() && c.where.line < first) first = c.where.line;
  if (r.where.end_column > 1 && last == r.where.end_line) {
    std::string_view tail = files.line_text(r.where.file, last).substr(std::min<std::size_t>(r.where.end_column - 1, files.line_text(r.where.file, last).size()));
    for (char c : tail)
      if (!std::isspace(static_cast<unsigned char>(c)) && c != ';') return std::nullopt;
  }
  std::string_view head = files.line_text(r.where.file, first);
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(head[i]))) continue;
    // Something else before the rule on its first line: keep it.
    const Condition* c0 = nullptr;
    for (const Condition& c : r.conds)
      if (c.where.line == first) c0 = &c;
    std::uint32_t col = c0 ? c0->where.column : (first == r.where.line ? r.where.column : 1);
    if (i + 1 < col) return std::nullopt;
    break;
  }
  for (const Rule& o : rs.rules)
    if (&o != &r && o.where.file == r.where.file && o.where.line <= last && (o.where.end_line ? o.where.end_line : o.where.line) >= first)
      return std::nullopt;
  return Edit{SourceRange{r.where.file, first, 1, last + 1, 1}, ""};
}

}  // namespace rl
