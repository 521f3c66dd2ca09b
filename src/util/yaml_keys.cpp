#include "util/yaml_keys.hpp"

#include "report/report.hpp"  // display_text

#include <unordered_map>
#include <utility>
#include <vector>

namespace rl {

std::optional<DuplicateKey> find_duplicate_key(const YAML::Node& root) {
  std::vector<std::pair<YAML::Node, int>> todo{{root, 0}};
  while (!todo.empty()) {
    auto [n, depth] = todo.back();
    todo.pop_back();
    if (depth > 256) continue;
    std::vector<YAML::Node> children;
    if (n.IsMap()) {
      std::unordered_map<std::string, YAML::Mark> seen;
      for (const auto& kv : n) {
        if (kv.first.IsScalar()) {
          auto [it, fresh] = seen.emplace(kv.first.Scalar(), kv.first.Mark());
          if (!fresh) return DuplicateKey{kv.first.Scalar(), it->second, kv.first.Mark()};
        }
        children.push_back(kv.second);
      }
    } else if (n.IsSequence()) {
      for (const auto& c : n) children.push_back(c);
    }
    // Reversed onto the stack: the earliest duplicate in the document is found first.
    for (auto it = children.rbegin(); it != children.rend(); ++it) todo.emplace_back(*it, depth + 1);
  }
  return std::nullopt;
}

std::string duplicate_key_message(const DuplicateKey& d) {
  return "duplicate key \"" + display_text(d.key) + "\" (first at line " + std::to_string(d.first.line + 1) + ":" +
         std::to_string(d.first.column + 1) + ")";
}

}  // namespace rl
