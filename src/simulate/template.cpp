#include "simulate/template.hpp"

namespace rl {

namespace {

void add_literal(std::vector<TemplatePart>& parts, std::string_view text) {
  if (text.empty()) return;
  if (!parts.empty() && parts.back().kind == PartKind::literal)
    parts.back().text += text;
  else
    parts.push_back({PartKind::literal, std::string(text), 0});
}

}  // namespace

std::vector<TemplatePart> parse_template(std::string_view tpl) {
  std::vector<TemplatePart> parts;
  std::size_t i = 0;
  while (i < tpl.size()) {
    char c = tpl[i];
    if ((c != '$' && c != '%') || i + 1 >= tpl.size()) {
      add_literal(parts, tpl.substr(i, 1));
      ++i;
      continue;
    }
    char n = tpl[i + 1];
    if (n == c) {
      add_literal(parts, tpl.substr(i, 1));
      i += 2;
    } else if (n >= '0' && n <= '9') {
      parts.push_back({c == '$' ? PartKind::rule_capture : PartKind::cond_capture, "", n - '0'});
      i += 2;
    } else if (c == '$' && n == '{') {
      std::size_t close = tpl.find('}', i + 2);
      if (close == std::string_view::npos) {
        add_literal(parts, tpl.substr(i));
        break;
      }
      parts.push_back({PartKind::variable, std::string(tpl.substr(i + 2, close - i - 2)), 0});
      i = close + 1;
    } else {
      add_literal(parts, tpl.substr(i, 1));
      ++i;
    }
  }
  return parts;
}

std::string expand_template(const std::vector<TemplatePart>& parts, const PartValue& value) {
  std::string out;
  for (const TemplatePart& p : parts) out += p.kind == PartKind::literal ? p.text : value(p);
  return out;
}

std::string capture_value(const Captures* caps, int index) {
  return caps ? caps->group(static_cast<std::size_t>(index)) : std::string();
}

}  // namespace rl
