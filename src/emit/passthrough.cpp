// Same-format emit for Apache, .htaccess and nginx: the block structure rebuilt from the model,
// every rule and unmodelled directive written with its original text, in source order, with one
// canonical indentation. parse -> emit -> parse gives the same model; emit twice gives the same bytes.
#include <algorithm>
#include <tuple>

#include "emit/common.hpp"
#include "emit/passthrough.hpp"

namespace rl::emit_detail {

namespace {

struct Item {
  FileId file = 0;
  std::uint32_t line = 0, column = 0;
  int kind = 0;  // 0 open block, 1 directive, 2 close block
  int block = -1;
  std::string text;
  std::vector<std::string> comments;
};

std::string trim_lines(std::string_view text, const std::string& ind) {
  // Continuation lines keep their own text; the first line gets the indentation.
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      out += ind;
    }
    out += std::string(line) + "\n";
    first = false;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

int depth_of(const RuleSet& rs, int block) {
  int d = 0;
  for (int b = block; b >= 0; b = rs.blocks[static_cast<std::size_t>(b)].parent) ++d;
  return d;
}

std::string settings(const RuleSet& rs, const std::optional<bool>& engine, const std::optional<std::string>& base,
                     const std::vector<std::string>& options, const std::string& ind) {
  std::string out;
  if (rs.format == Format::nginx) return out;
  if (engine) out += ind + "RewriteEngine " + (*engine ? "On" : "Off") + "\n";
  if (base) out += ind + "RewriteBase " + *base + "\n";
  if (!options.empty()) {
    out += ind + "RewriteOptions";
    for (const std::string& o : options) out += " " + o;
    out += "\n";
  }
  return out;
}

}  // namespace

std::string passthrough(const RuleSet& rs, const EmitOptions& opts, Losses& L) {
  (void)L;
  std::vector<Item> items;
  auto order_of = [&](FileId f) {
    auto it = std::find(rs.files.begin(), rs.files.end(), f);
    return it == rs.files.end() ? static_cast<FileId>(f == rs.file ? 0 : 1000 + f)
                                : static_cast<FileId>(it - rs.files.begin());
  };
  for (std::size_t i = 0; i < rs.blocks.size(); ++i) {
    const Block& b = rs.blocks[i];
    items.push_back({order_of(b.where.file), b.where.line, b.where.column, 0, static_cast<int>(i), "", {}});
    SourceRange e = b.end.valid() ? b.end : b.where;
    items.push_back({order_of(e.file), e.valid() ? e.line : UINT32_MAX, e.valid() ? e.column : UINT32_MAX, 2,
                     static_cast<int>(i), "", {}});
  }
  for (const Rule& r : rs.rules) {
    // The rule's comments go above its first line (its first RewriteCond).
    std::vector<std::string> comments = r.notes->comments;
    if (r.notes->until) comments.push_back("redirlint: until=" + *r.notes->until);  // the review date travels
    for (const Condition& c : r.conds)
      if (rs.format != Format::nginx && c.where.valid() && !c.original.empty() && c.where != r.where) {
        items.push_back({order_of(c.where.file), c.where.line, c.where.column, 1, r.scope.block, c.original, comments});
        comments.clear();
      }
    items.push_back({order_of(r.where.file), r.where.line, r.where.column, 1, r.scope.block, r.original, comments});
  }
  for (const Unmodelled& u : rs.unmodelled)
    items.push_back({order_of(u.where.file), u.where.line, u.where.column, 1, u.block, u.text, {}});
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.file, a.line, a.column, a.kind) < std::tie(b.file, b.line, b.column, b.kind);
  });
  std::string out = header_comment(opts, to_string(rs.format));
  out += settings(rs, rs.rewrite_engine, rs.rewrite_base, rs.rewrite_options, "");
  bool nginx = rs.format == Format::nginx;
  for (const Item& it : items) {
    if (it.kind == 1) {
      std::string ind(4 * static_cast<std::size_t>(depth_of(rs, it.block)), ' ');
      for (const std::string& c : it.comments) {
        std::string_view t = c;
        while (!t.empty() && (t.front() == '#' || t.front() == ' ')) t.remove_prefix(1);
        out += comment_lines(t, ind);
      }
      out += trim_lines(it.text, ind);
      continue;
    }
    const Block& b = rs.blocks[static_cast<std::size_t>(it.block)];
    std::string ind(4 * static_cast<std::size_t>(depth_of(rs, b.parent)), ' ');
    std::string inner(ind.size() + 4, ' ');
    if (it.kind == 0) {
      if (nginx) {
        out += ind + b.directive + (b.argument.empty() ? "" : " " + b.argument) + " {\n";
        // listen / server_name live in the Block's fields, not in unmodelled.
        if (b.kind == BlockKind::server) {
          for (int port : b.ports)
            out += inner + "listen " + std::to_string(port) + (b.default_server ? " default_server" : "") +
                   (b.https ? " ssl" : "") + ";\n";
          if (!b.server_names.empty()) {
            out += inner + "server_name";
            for (const std::string& n : b.server_names) out += " " + n;
            out += ";\n";
          }
        }
      }
      else {
        out += ind + "<" + b.directive + (b.argument.empty() ? "" : " " + b.argument) + ">\n";
        out += settings(rs, b.rewrite_engine, b.rewrite_base, b.rewrite_options, inner);
      }
    } else {
      out += ind + (nginx ? std::string("}") : "</" + b.directive + ">") + "\n";
    }
  }
  return out;
}

}  // namespace rl::emit_detail
