// Inline annotations shared by every format (they all use `#` comments):
//   # redirlint disable=RL201,redirect-chain     (this line or the next rule)
//   # redirlint disable-file=RL101
//   # redirlint: until=2026-12-31 note="campaign"
#include <algorithm>
#include <cctype>
#include <map>

#include "checks/registry.hpp"
#include "parse/parse.hpp"
#include "parse/yaml_util.hpp"  // valid_iso_date

namespace rl {

namespace {

struct LineNote {
  std::vector<std::string> disabled;
  std::optional<std::string> until;
  std::string note;
};

std::vector<std::string> split_codes(std::string_view v) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= v.size()) {
    auto e = v.find(',', b);
    if (e == std::string_view::npos) e = v.size();
    std::string_view c = v.substr(b, e - b);
    if (!c.empty()) out.emplace_back(c);
    b = e + 1;
  }
  return out;
}

}  // namespace

void apply_comment_annotations(RuleSet& rs, const SourceFiles& files) {
  std::map<std::pair<FileId, std::uint32_t>, LineNote> notes;
  std::vector<FileId> ids = rs.files.empty() ? std::vector<FileId>{rs.file} : rs.files;
  for (FileId id : ids) {
    const SourceFile& f = files.get(id);
    for (std::uint32_t ln = 1; ln <= f.line_starts.size(); ++ln) {
      std::string_view line = files.line_text(id, ln);
      auto hash = line.find('#');
      if (hash == std::string_view::npos) continue;
      // Only a comment that starts with the word (`# redirlint disable=...`, `#redirlint: until=...`) is
      // an annotation: prose that mentions redirlint is not.
      std::string_view c = line.substr(hash + 1);
      c.remove_prefix(std::min(c.find_first_not_of(" \t"), c.size()));
      if (c.rfind("redirlint", 0) != 0) continue;
      // redirlint's own converted-output comments ("# redirlint: not converted (RL301): ...") are not notes.
      if (c.rfind("redirlint: not converted", 0) == 0 || c.rfind("redirlint: never fires", 0) == 0) continue;
      std::string_view body = c.substr(9);
      if (!body.empty() && body[0] == ':') body.remove_prefix(1);
      else if (!body.empty() && body[0] != ' ' && body[0] != '\t') continue;  // "redirlinter", "redirlint.yaml"
      // key=value words; a value may be "quoted".
      std::size_t p = 0;
      auto skip_ws = [&] { while (p < body.size() && std::isspace(static_cast<unsigned char>(body[p]))) ++p; };
      LineNote& ln_note = notes[{id, ln}];
      while (true) {
        skip_ws();
        if (p >= body.size()) break;
        std::size_t kb = p;
        while (p < body.size() && body[p] != '=' && !std::isspace(static_cast<unsigned char>(body[p]))) ++p;
        std::string_view key = body.substr(kb, p - kb);
        std::string value;
        std::size_t vcol = p;
        if (p < body.size() && body[p] == '=') {
          ++p;
          vcol = p;
          if (p < body.size() && body[p] == '"') {
            ++p;
            while (p < body.size() && body[p] != '"') value += body[p++];
            if (p < body.size()) ++p;
          } else {
            while (p < body.size() && !std::isspace(static_cast<unsigned char>(body[p]))) value += body[p++];
          }
        }
        std::size_t col0 = static_cast<std::size_t>(body.data() - line.data()) + vcol;
        SourceRange where{id, ln, static_cast<std::uint32_t>(col0 + 1), ln, static_cast<std::uint32_t>(col0 + 1 + value.size())};
        if (key == "disable" || key == "disable-file") {
          for (const std::string& code : split_codes(value)) {
            if (!find_check(code)) {
              rs.parse_diags.push_back(make_diagnostic("RL002", where, "unknown check \"" + code + "\" in redirlint comment"));
              rs.parse_diags.back().severity = Severity::warning;
              continue;
            }
            std::string canon(find_check(code)->code);
            if (key == "disable") ln_note.disabled.push_back(canon);
            else rs.file_disabled.push_back(canon);
          }
        } else if (key == "until") {
          if (file_rules::valid_iso_date(value)) ln_note.until = value;
          else rs.parse_diags.push_back(make_diagnostic("RL001", where, "bad date \"" + value + "\" in redirlint comment: expected YYYY-MM-DD"));
        } else if (key == "note") {
          ln_note.note = value;
        } else if (!key.empty()) {
          rs.parse_diags.push_back(make_diagnostic("RL002", where, "unknown redirlint comment key \"" + std::string(key) + "\" (known: disable, disable-file, until, note)"));
          rs.parse_diags.back().severity = Severity::warning;
        }
      }
    }
  }
  if (notes.empty()) return;
  // A trailing comment belongs to the rule on its own line, not to the next one.
  std::map<std::pair<FileId, std::uint32_t>, bool> rule_lines;
  for (const Rule& r : rs.rules) rule_lines[{r.where.file, r.where.line}] = true;
  for (Rule& r : rs.rules) {
    // The rule's own line, the line above it, and the line above its first condition (a comment
    // above a RewriteCond block is about the RewriteRule that ends it).
    std::uint32_t first = r.where.line;
    for (const Condition& c : r.conds)
      if (c.where.valid() && c.where.file == r.where.file) first = std::min(first, c.where.line);
    std::vector<std::uint32_t> lines{r.where.line, r.where.line - 1};
    if (first != r.where.line) lines.push_back(first - 1);
    for (std::uint32_t ln : lines) {
      if (ln != r.where.line && rule_lines.count({r.where.file, ln})) continue;
      auto it = notes.find({r.where.file, ln});
      if (it == notes.end()) continue;
      const LineNote& n = it->second;
      r.notes->disabled.insert(r.notes->disabled.end(), n.disabled.begin(), n.disabled.end());
      if (n.until && !r.notes->until) r.notes->until = n.until;
      if (!n.note.empty() && r.notes->note.empty()) r.notes->note = n.note;
    }
  }
}

}  // namespace rl
