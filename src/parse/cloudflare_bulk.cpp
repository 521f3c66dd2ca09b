// Cloudflare Bulk Redirects CSV → model (docs/formats/cloudflare-bulk.md). One URL redirect a line:
//   SOURCE_URL,TARGET_URL[,STATUS_CODE,PRESERVE_QUERY_STRING,INCLUDE_SUBDOMAINS,SUBPATH_MATCHING,PRESERVE_PATH_SUFFIX]
// (developers.cloudflare.com/rules/url-forwarding/bulk-redirects/reference/csv-file-format/). Status
// defaults to 301 and every boolean to false; a value may be quoted ("a,b"); the file has no header row.
// - the source's host becomes Scope::hosts (plus `*.host` with include subdomains), its scheme (when
//   written) Scope::schemes; the path is an exact match, or with subpath matching a segment prefix
//   (the rest of the path appended when preserve path suffix is on, else a regex that drops it);
// - preserve query string → QueryMode::keep, otherwise the request's query is dropped (or replaced by
//   the target's own).
#include <algorithm>

#include "parse/parse.hpp"
#include "parse/yaml_util.hpp"
#include "util/regex.hpp"

namespace rl {

namespace {

struct Cell {
  std::string text;
  std::size_t begin = 0, end = 0;  // byte offsets in the file
};

/// Splits one CSV line (RFC 4180 quotes, `""` inside a quoted value). False on an unclosed quote.
bool split_csv(std::string_view text, std::size_t begin, std::size_t end, std::vector<Cell>& out) {
  std::size_t i = begin;
  while (true) {
    Cell c;
    c.begin = i;
    if (i < end && text[i] == '"') {
      ++i;
      while (true) {
        if (i >= end) return false;
        if (text[i] == '"') {
          if (i + 1 < end && text[i + 1] == '"') {
            c.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        c.text += text[i++];
      }
      while (i < end && text[i] != ',') ++i;  // text after the closing quote is ignored
    } else {
      while (i < end && text[i] != ',') c.text += text[i++];
    }
    c.end = i;
    while (!c.text.empty() && (c.text.back() == ' ' || c.text.back() == '\t')) c.text.pop_back();
    while (!c.text.empty() && (c.text.front() == ' ' || c.text.front() == '\t')) c.text.erase(0, 1);
    out.push_back(std::move(c));
    if (i >= end) return true;
    ++i;  // the comma
  }
}

class Reader {
 public:
  Reader(const SourceFiles& files, FileId id, RuleSet& rs) : files_(files), id_(id), rs_(rs), text_(files.get(id).text) {}

  void line(std::size_t b, std::size_t e, bool first) {
    std::vector<Cell> cells;
    SourceRange whole = files_.range(id_, b, e);
    if (!split_csv(text_, b, e, cells)) return error(whole, "unclosed quote in this CSV line");
    if (first && (file_rules::ascii_lower(cells[0].text) == "source_url" || file_rules::ascii_lower(cells[0].text) == "source url"))
      return error(whole, "a header row: Cloudflare's CSV import takes no header row (it would be read as a redirect); remove it");
    if (cells.size() > 7)
      return error(at(cells[7]), "more than 7 values: SOURCE_URL,TARGET_URL,STATUS_CODE,PRESERVE_QUERY_STRING,INCLUDE_SUBDOMAINS,SUBPATH_MATCHING,PRESERVE_PATH_SUFFIX");
    if (cells.size() < 2 || cells[1].text.empty())
      return error(whole, "a URL redirect needs a source URL and a target URL (SOURCE_URL,TARGET_URL[,STATUS_CODE,...])");
    bool ok = true;
    auto flag = [&](std::size_t k) {
      if (k >= cells.size() || cells[k].text.empty()) return false;
      std::string v = cells[k].text;
      if (v == "TRUE" || v == "true") return true;
      if (v != "FALSE" && v != "false") {
        error(at(cells[k]), "\"" + v + "\" is not a boolean: write TRUE, true, FALSE, false or leave it empty");
        ok = false;
      }
      return false;
    };
    bool keep_query = flag(3), subdomains = flag(4), subpath = flag(5), suffix = flag(6);

    Rule r;
    r.origin = Origin{Format::cloudflare_bulk, "bulk-redirect"};
    r.where = whole;
    r.original = std::string(text_.substr(b, e - b));
    // Source: [scheme://]host/path, no query, no port.
    std::string src = cells[0].text, scheme, host, path;
    std::string lower = file_rules::ascii_lower(src.substr(0, 8));
    if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0) src = "http://" + src, scheme = "";
    else scheme = lower.rfind("https://", 0) == 0 ? "https" : "http";
    std::string ignored_scheme;
    if (!file_rules::split_url(src, ignored_scheme, host, path) || host.empty()) {
      error(at(cells[0]), "the source URL \"" + cells[0].text + "\" has no host name (write host/path, e.g. example.com/old)");
      return;
    }
    if (host.find(':') != std::string::npos) {
      error(at(cells[0]), "the source URL \"" + cells[0].text + "\" has a port: Cloudflare does not accept a port in a source URL");
      ok = false;
    }
    if (path.find('?') != std::string::npos || path.find('#') != std::string::npos) {
      error(at(cells[0]), "the source URL \"" + cells[0].text + "\" has a query or fragment: Cloudflare matches the path only");
      ok = false;
    }
    if (subpath && std::count(path.begin(), path.end(), '/') > 16)
      rs_.parse_diags.push_back(make_diagnostic("RL007", at(cells[0]),
                                                "the source path has more than 16 '/': Cloudflare refuses subpath matching on it"));
    for (std::size_t k : {std::size_t{0}, std::size_t{1}})
      if (cells[k].text.size() > 32 * 1024)
        rs_.parse_diags.push_back(make_diagnostic("RL007", at(cells[k]), "URL longer than 32 KB: Cloudflare refuses it"));
    r.scope.hosts.push_back(host);
    if (subdomains) r.scope.hosts.push_back("*." + host);
    if (!scheme.empty()) r.scope.schemes.push_back(scheme);
    std::string decoded = file_rules::percent_decode(path);
    r.match.original = cells[0].text;
    if (!subpath) {
      r.match.kind = MatchKind::exact;
      r.match.text = decoded;
    } else if (suffix) {
      r.match.kind = MatchKind::prefix;
      r.match.text = decoded;
    } else {
      r.match.kind = MatchKind::regex;
      r.match.text = "^" + regex_escape(decoded) + (decoded.ends_with('/') ? ".*$" : "(?:/.*)?$");
    }
    // Status.
    r.status = 301;
    r.status_implicit = true;
    if (cells.size() > 2 && !cells[2].text.empty()) {
      const std::string& s = cells[2].text;
      r.status_implicit = false;
      r.status = s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) ? std::stoi(s) : 0;
      if (r.status != 301 && r.status != 302 && r.status != 307 && r.status != 308) {
        rs_.parse_diags.push_back(make_diagnostic("RL004", at(cells[2]), "status \"" + s + "\" is not valid in a Bulk Redirect (301, 302, 307, 308)"));
        ok = false;
      }
    }
    // Target.
    Target t;
    const std::string& to = cells[1].text;
    std::string tl = file_rules::ascii_lower(to.substr(0, 8));
    t.absolute = tl.rfind("http://", 0) == 0 || tl.rfind("https://", 0) == 0;
    t.url = file_rules::template_literal(to);
    bool own_query = to.find('?') != std::string::npos;
    if (keep_query && own_query) {
      error(at(cells[1]), "the target URL has a query string and preserve query string is on: Cloudflare accepts a target query only without it");
      ok = false;
    }
    t.query = keep_query ? QueryMode::keep : own_query ? QueryMode::replace : QueryMode::drop;
    r.target = std::move(t);
    r.action = Action::redirect;
    r.flow = Flow::stop;
    r.force = true;  // evaluated at the edge, before the origin is asked
    if (!ok) return;
    r.id = static_cast<RuleId>(rs_.rules.size());
    rs_.rules.push_back(std::move(r));
  }

 private:
  SourceRange at(const Cell& c) const { return files_.range(id_, c.begin, c.end); }
  void error(SourceRange where, std::string msg) { rs_.parse_diags.push_back(make_diagnostic("RL001", where, std::move(msg))); }

  const SourceFiles& files_;
  FileId id_;
  RuleSet& rs_;
  std::string_view text_;
};

}  // namespace

RuleSet parse_cloudflare_bulk(SourceFiles& files, FileId id, const ParseOptions&) {
  return file_rules::read_rule_file(files, id, Format::cloudflare_bulk, [&](RuleSet& rs) {
    std::string_view text = files.get(id).text;
    Reader reader(files, id, rs);
    bool first = true;
    std::size_t b = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    while (b < text.size()) {
      std::size_t e = text.find('\n', b);
      if (e == std::string_view::npos) e = text.size();
      std::size_t end = e > b && text[e - 1] == '\r' ? e - 1 : e;
      std::string_view line = text.substr(b, end - b);
      if (line.find_first_not_of(" \t,") != std::string_view::npos) {
        reader.line(b, end, first);
        first = false;
      }
      b = e + 1;
    }
  });
}

}  // namespace rl
