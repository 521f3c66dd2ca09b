#include "analysis/prefix_index.hpp"

#include <algorithm>

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

PrefixIndex::PrefixIndex(const RuleSet& rs) : keys_(rs.rules.size(), nullptr), exact_(rs.rules.size(), false) {
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
    exact_[r.id] = k.exact;
    auto it = (k.exact ? exact_map_ : prefix_map_).try_emplace(std::move(k.text)).first;
    it->second.push_back(r.id);
    keys_[r.id] = &it->first;
  }
  std::size_t words = 64;
  while (words * 64 < 8 * (prefix_map_.size() + exact_map_.size())) words *= 2;
  filter_.assign(words, 0);
  for (const auto& [key, ids] : prefix_map_) {
    prefix_lengths_.push_back(key.size());
    remember(key);
  }
  for (const auto& [key, ids] : exact_map_) remember(key);
  std::sort(prefix_lengths_.begin(), prefix_lengths_.end());
  prefix_lengths_.erase(std::unique(prefix_lengths_.begin(), prefix_lengths_.end()), prefix_lengths_.end());
}

template <class F>
void PrefixIndex::for_each_prefix(std::string_view path, F&& f) const {
  for (std::size_t n : prefix_lengths_) {
    if (n > path.size()) break;
    std::string_view pre = path.substr(0, n);
    if (!may_hold(pre)) continue;
    if (auto it = prefix_map_.find(pre); it != prefix_map_.end()) f(it->second);
  }
}

std::vector<RuleId> PrefixIndex::candidates_for_path(std::string_view path) const {
  std::vector<RuleId> out = universal_;
  auto append = [&](const std::vector<RuleId>& ids) { out.insert(out.end(), ids.begin(), ids.end()); };
  if (auto it = exact_map_.find(path); it != exact_map_.end()) append(it->second);
  for_each_prefix(path, append);
  return out;
}

bool PrefixIndex::has_candidates(std::string_view path) const {
  if (!universal_.empty() || (may_hold(path) && exact_map_.count(path))) return true;
  bool any = false;
  for_each_prefix(path, [&](const std::vector<RuleId>&) { any = true; });
  return any;
}

std::vector<RuleId> PrefixIndex::candidates_covering(std::string_view prefix, bool exact) const {
  std::vector<RuleId> out = universal_;
  auto append = [&](const std::vector<RuleId>& ids) { out.insert(out.end(), ids.begin(), ids.end()); };
  if (exact)
    if (auto it = exact_map_.find(prefix); it != exact_map_.end()) append(it->second);
  for_each_prefix(prefix, append);
  return out;
}

}  // namespace rl::analysis
