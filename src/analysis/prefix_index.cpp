#include "analysis/prefix_index.hpp"

#include "analysis/facts.hpp"

namespace rl::analysis {

namespace {

struct Key {
  std::string text;
  bool exact = false;
  bool known = false;
};

Key pattern_key(const Pattern& p) {
  if (p.negated || p.ignore_case) return {};
  switch (p.kind) {
    case MatchKind::exact:
      if (p.optional_trailing_slash) {
        std::string t = p.text;
        if (t.size() > 1 && t.back() == '/') t.pop_back();
        return {t, false, !t.empty()};
      }
      return {p.text, true, true};
    case MatchKind::prefix: return {p.text, false, !p.text.empty()};
    case MatchKind::regex: {
      if (auto lit = regex_literal(p.text)) return {*lit, true, true};
      std::string pre = regex_literal_prefix(p.text);
      return {pre, false, !pre.empty()};
    }
  }
  return {};
}

Key location_key(const Block& b) {
  switch (b.mod) {
    case LocationMod::exact: return {b.path, true, true};
    case LocationMod::none:
    case LocationMod::prefix_noregex: return {b.path, false, !b.path.empty()};
    case LocationMod::regex: {
      Pattern p;
      p.text = b.path;
      return pattern_key(p);
    }
    default: return {};
  }
}

}  // namespace

PrefixIndex::PrefixIndex(const RuleSet& rs) : keys_(rs.rules.size()), exact_(rs.rules.size(), false) {
  for (const Rule& r : rs.rules) {
    Key k = pattern_key(r.match);
    if (const Block* loc = location_of(rs, r)) {
      Key lk = location_key(*loc);
      if (lk.known && (!k.known || (lk.exact && !k.exact) || (!k.exact && lk.text.size() > k.text.size()))) k = lk;
    }
    if (!k.known) {
      universal_.push_back(r.id);
      continue;
    }
    keys_[r.id] = k.text;
    exact_[r.id] = k.exact;
    (k.exact ? exact_map_ : prefix_map_)[k.text].push_back(r.id);
  }
}

std::vector<RuleId> PrefixIndex::candidates_for_path(std::string_view path) const {
  std::vector<RuleId> out = universal_;
  if (auto it = exact_map_.find(std::string(path)); it != exact_map_.end())
    out.insert(out.end(), it->second.begin(), it->second.end());
  if (prefix_map_.empty()) return out;
  std::string pre;
  for (std::size_t n = 1; n <= path.size(); ++n) {
    pre.assign(path.substr(0, n));
    if (auto it = prefix_map_.find(pre); it != prefix_map_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

std::vector<RuleId> PrefixIndex::candidates_covering(std::string_view prefix, bool exact) const {
  std::vector<RuleId> out = universal_;
  if (exact)
    if (auto it = exact_map_.find(std::string(prefix)); it != exact_map_.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  std::string pre;
  for (std::size_t n = 1; n <= prefix.size() && !prefix_map_.empty(); ++n) {
    pre.assign(prefix.substr(0, n));
    if (auto it = prefix_map_.find(pre); it != prefix_map_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

}  // namespace rl::analysis
