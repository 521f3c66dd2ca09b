// netlify.toml → model. Netlify reads `[[redirects]]` tables with the semantics of `_redirects` lines
// (docs/formats/netlify-toml.md): each table's fields are gathered with their ranges and built by the
// shared Netlify rule builder (parse/netlify_rule.hpp). TOML itself is read by tomlplusplus; the rest of
// the file (build settings, headers, plugins) is not about redirects and is not looked at.
#include <toml++/toml.h>

#include <algorithm>

#include "parse/netlify_rule.hpp"
#include "parse/parse.hpp"
#include "parse/yaml_util.hpp"

namespace rl {

namespace {

using netlify_rule::Field;

/// Converts tomlplusplus positions (1-based line, column in code points) into byte ranges of the file.
class Positions {
 public:
  Positions(const SourceFiles& files, FileId id) : files_(files), id_(id), text_(files.get(id).text) {}

  std::size_t offset(const toml::source_position& p) const {
    const auto& starts = files_.get(id_).line_starts;
    if (p.line == 0 || p.line > starts.size()) return text_.size();
    std::size_t o = starts[p.line - 1];
    for (toml::source_index c = 1; c < p.column && o < text_.size() && text_[o] != '\n'; ++c) {
      ++o;
      while (o < text_.size() && (static_cast<unsigned char>(text_[o]) & 0xC0) == 0x80) ++o;
    }
    return o;
  }
  SourceRange range(const toml::source_region& r) const { return files_.range(id_, offset(r.begin), std::max(offset(r.begin), offset(r.end))); }
  SourceRange range(std::size_t b, std::size_t e) const { return files_.range(id_, b, e); }
  std::string_view text(std::size_t b, std::size_t e) const { return std::string_view(text_).substr(b, e - b); }
  const std::string& all() const { return text_; }

 private:
  const SourceFiles& files_;
  FileId id_;
  const std::string& text_;
};

/// The byte range of a [[redirects]] table: its header line through its last value.
std::pair<std::size_t, std::size_t> table_span(const toml::table& t, const Positions& pos) {
  std::size_t b = pos.offset(t.source().begin), e = b;
  for (const auto& [key, node] : t) {
    b = std::min({b, pos.offset(key.source().begin), pos.offset(node.source().begin)});
    e = std::max(e, pos.offset(node.source().end));
  }
  // The header `[[redirects]]` starts the line the table begins on (tomlplusplus points inside it).
  const std::string& text = pos.all();
  std::size_t line = text.rfind('\n', b == 0 ? 0 : b - 1);
  std::size_t ls = line == std::string::npos ? 0 : line + 1;
  std::size_t first = text.find_first_not_of(" \t", ls);
  if (first != std::string::npos && first < b && text.compare(first, 2, "[[") == 0) b = first;
  return {b, e};
}

/// Comment lines directly above byte offset `b` (no blank line between).
std::vector<std::string> comments_above(const std::string& text, std::size_t b) {
  std::vector<std::string> out;
  std::size_t ls = text.rfind('\n', b == 0 ? 0 : b - 1);
  while (ls != std::string::npos && ls > 0) {
    std::size_t prev = text.rfind('\n', ls - 1);
    std::size_t s = prev == std::string::npos ? 0 : prev + 1;
    std::string_view line = std::string_view(text).substr(s, ls - s);
    std::size_t f = line.find_first_not_of(" \t\r");
    if (f == std::string_view::npos || line[f] != '#') break;
    out.insert(out.begin(), std::string(line.substr(f)));
    if (prev == std::string::npos) break;
    ls = prev;
  }
  return out;
}

/// `["en", "fr"]` or `"en"` → "en,fr"; nullopt when it is neither.
std::optional<std::string> string_list(const toml::node& n) {
  if (auto s = n.value<std::string>()) return *s;
  const toml::array* a = n.as_array();
  if (!a) return std::nullopt;
  std::string out;
  for (const toml::node& item : *a) {
    auto s = item.value<std::string>();
    if (!s) return std::nullopt;
    out += (out.empty() ? "" : ",") + *s;
  }
  return out;
}

struct Reader {
  const Positions& pos;
  const ParseOptions& opts;
  RuleSet& rs;
  netlify_rule::Counters counters;

  void error(const toml::node& n, std::string msg) {
    rs.parse_diags.push_back(make_diagnostic("RL001", pos.range(n.source()), std::move(msg)));
  }

  void table(const toml::table& t) {
    auto [b, e] = table_span(t, pos);
    netlify_rule::Fields f;
    f.where = pos.range(b, e);
    f.original = std::string(pos.text(b, e));
    f.comments = comments_above(pos.all(), b);
    f.after_from = f.where;
    bool ok = true, has_from = false;
    for (const auto& [key, node] : t) {
      std::string k(key.str());
      SourceRange at = pos.range(node.source());
      if (k == "from" || k == "to") {
        auto s = node.value<std::string>();
        if (!s) {
          error(node, "\"" + k + "\" must be a string");
          ok = false;
          continue;
        }
        (k == "from" ? f.from : f.to.emplace()) = Field{*s, at};
        has_from = has_from || k == "from";
      } else if (k == "status") {
        auto v = node.value<std::int64_t>();
        if (!v || !node.is_integer()) {
          error(node, "\"status\" must be an integer (301, 302, 200, 404 ...)");
          ok = false;
          continue;
        }
        f.status = Field{std::to_string(*v), at};
      } else if (k == "force") {
        if (!node.is_boolean()) {
          error(node, "\"force\" must be true or false");
          ok = false;
          continue;
        }
        f.force = *node.value<bool>();
      } else if (k == "query" || k == "conditions") {
        const toml::table* sub = node.as_table();
        if (!sub) {
          error(node, "\"" + k + "\" must be a table (" + (k == "query" ? "query = {id = \":id\"}" : "conditions = {Country = [\"US\"]}") + ")");
          ok = false;
          continue;
        }
        for (const auto& [sk, sn] : *sub) {
          std::optional<std::string> v = k == "query" ? sn.value<std::string>() : string_list(sn);
          if (!v) {
            error(sn, "\"" + k + "." + std::string(sk.str()) + "\" must be " + (k == "query" ? "a string" : "a list of strings"));
            ok = false;
            continue;
          }
          Field fld{std::string(sk.str()) + "=" + *v, pos.range(pos.offset(sk.source().begin), pos.offset(sn.source().end))};
          (k == "query" ? f.query : f.conds).push_back(std::move(fld));
        }
      } else if (k == "headers" || k == "signed") {
        rs.parse_diags.push_back(make_diagnostic("RL006", pos.range(pos.offset(key.source().begin), pos.offset(node.source().end)),
                                                 "\"" + k + "\" (headers sent to a proxied site) is not modelled"));
      } else {
        std::string near = file_rules::did_you_mean(k, {"from", "to", "status", "force", "query", "conditions", "headers", "signed"});
        rs.parse_diags.push_back(make_diagnostic(
            "RL002", pos.range(pos.offset(key.source().begin), pos.offset(key.source().end)),
            "unknown key \"" + k + "\" in [[redirects]]" + (near.empty() ? "" : " (did you mean \"" + near + "\"?)") +
                "; known: from, to, status, force, query, conditions, headers, signed"));
      }
    }
    if (!has_from) {
      rs.parse_diags.push_back(make_diagnostic("RL001", pos.range(b, std::min(e, pos.all().find('\n', b))),
                                               "[[redirects]] entry without \"from\""));
      return;
    }
    netlify_rule::add_rule(f, Format::netlify_toml, "netlify.toml", opts, counters, rs, ok);
  }
};

}  // namespace

RuleSet parse_netlify_toml(SourceFiles& files, FileId id, const ParseOptions& opts) {
  return file_rules::read_rule_file(files, id, Format::netlify_toml, [&](RuleSet& rs) {
    Positions pos(files, id);
    toml::table doc;
    try {
      doc = toml::parse(files.get(id).text, files.path(id));
    } catch (const toml::parse_error& e) {
      std::size_t o = pos.offset(e.source().begin);
      rs.parse_diags.push_back(make_diagnostic("RL001", pos.range(o, o), "TOML: " + std::string(e.description())));
      return;
    }
    Reader reader{pos, opts, rs, {}};
    const toml::node* redirects = doc.get("redirects");
    if (!redirects) return;
    const toml::array* list = redirects->as_array();
    if (!list || !list->is_array_of_tables()) {
      reader.error(*redirects, "\"redirects\" must be an array of tables: write each rule as a [[redirects]] table");
      return;
    }
    for (const toml::node& n : *list) reader.table(*n.as_table());
  });
}

}  // namespace rl
