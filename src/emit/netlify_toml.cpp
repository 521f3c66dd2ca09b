// netlify.toml emitter: the `_redirects` emitter's rules, each written as a `[[redirects]]` table.
// Netlify reads both with the same semantics (docs/formats/netlify-toml.md), so every loss of the
// `_redirects` emitter is the loss here too; comments (and rules kept as comments) stay comments.
#include <algorithm>
#include <sstream>

#include "emit/emit.hpp"

namespace rl {

namespace {

std::string toml_string(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') out += {'\\', ch};
    else if (c < 0x20 || c == 0x7f) out += std::string("\\u00") + kHex[c >> 4] + kHex[c & 15];
    else out += ch;
  }
  return out + "\"";
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t b = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > b) out.push_back(line.substr(b, i - b));
  }
  return out;
}

bool is_status(std::string_view w) {
  if (!w.empty() && w.back() == '!') w.remove_suffix(1);
  return w.size() == 3 && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// One `_redirects` rule line as a [[redirects]] table.
std::string table(std::string_view line) {
  std::vector<std::string_view> w = words(line);
  std::string out = "[[redirects]]\n";
  std::size_t i = 0;
  out += "  from = " + toml_string(w[i++]) + "\n";
  std::vector<std::string_view> query, conds;
  while (i < w.size() && w[i].front() != '/' && w[i].find("://") == std::string_view::npos && w[i].find('=') != std::string_view::npos)
    query.push_back(w[i++]);
  if (i < w.size() && !is_status(w[i])) out += "  to = " + toml_string(w[i++]) + "\n";
  if (i < w.size() && is_status(w[i])) {
    std::string_view s = w[i++];
    bool force = s.back() == '!';
    out += "  status = " + std::string(s.substr(0, 3)) + "\n";
    if (force) out += "  force = true\n";
  }
  for (; i < w.size(); ++i) conds.push_back(w[i]);
  auto inline_table = [&](std::string_view key, const std::vector<std::string_view>& pairs, bool list) {
    if (pairs.empty()) return;
    out += "  " + std::string(key) + " = {";
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      std::size_t eq = pairs[k].find('=');
      std::string_view name = pairs[k].substr(0, eq), value = pairs[k].substr(eq + 1);
      out += (k ? ", " : "") + toml_string(name) + " = ";
      if (!list) {
        out += toml_string(value);
        continue;
      }
      out += "[";
      std::size_t b = 0;
      for (bool first = true; b <= value.size(); first = false) {
        std::size_t e = value.find(',', b);
        if (e == std::string_view::npos) e = value.size();
        out += (first ? "" : ", ") + toml_string(value.substr(b, e - b));
        b = e + 1;
      }
      out += "]";
    }
    out += "}\n";
  };
  inline_table("query", query, false);
  inline_table("conditions", conds, true);
  return out;
}

}  // namespace

Emitted emit_netlify_toml(const RuleSet& rs, const EmitOptions& opts, const SourceFiles& files) {
  Emitted e = emit_netlify(rs, opts, files);
  std::istringstream in(e.text);
  std::string out, line;
  bool after_table = false;
  while (std::getline(in, line)) {
    std::size_t f = line.find_first_not_of(" \t");
    if (f == std::string::npos) {
      out += "\n";
      after_table = false;
    } else if (line[f] == '#') {
      if (after_table) out += "\n";
      out += line.substr(f) + "\n";
      after_table = false;
    } else {
      if (after_table) out += "\n";
      out += table(line.substr(f));
      after_table = true;
    }
  }
  e.text = std::move(out);
  return e;
}

}  // namespace rl
