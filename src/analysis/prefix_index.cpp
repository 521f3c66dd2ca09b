#include "analysis/prefix_index.hpp"

#include <algorithm>

#include "analysis/facts.hpp"
#include "util/text_hash.hpp"

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

// A case-insensitive exact pattern (an nginx `map` key): indexed by its lower-cased text.
bool icase_exact_key(const Pattern& p) {
  return p.kind == MatchKind::exact && p.ignore_case && !p.negated && !p.optional_trailing_slash && !p.text.empty();
}

std::string lower_ascii(std::string_view s) {
  std::string o(s);
  for (char& c : o)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return o;
}

// The key as a piece of `source` (the pattern or location text it comes from) when it is one: no copy.
std::string_view view_into(const std::string& source, const std::string& key) {
  for (std::size_t off : {std::size_t{0}, std::size_t{1}})
    if (source.size() >= off + key.size() && std::string_view(source).substr(off, key.size()) == key)
      return std::string_view(source).substr(off, key.size());
  return {};
}

}  // namespace

const std::uint32_t* PrefixIndex::Table::slot(std::string_view key, std::uint64_t hash) const {
  if (slots.empty()) return nullptr;
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint32_t& s = slots[i];
    if (!s) return &s;
    const Group& g = groups[s - 1];
    if (g.hash == hash && g.key == key) return &s;
  }
}

const PrefixIndex::Group* PrefixIndex::Table::find(std::string_view key, std::uint64_t hash) const {
  const std::uint32_t* s = slot(key, hash);
  return s && *s ? &groups[*s - 1] : nullptr;
}

std::uint32_t PrefixIndex::Table::insert(std::string_view key, std::uint64_t hash) {
  if (const std::uint32_t* s = slot(key, hash); s && *s) return *s;
  if ((groups.size() + 1) * 2 > slots.size()) {
    slots.assign(std::max<std::size_t>(64, slots.size() * 2), 0);
    for (std::size_t k = 0; k < groups.size(); ++k)
      for (std::size_t i = groups[k].hash & (slots.size() - 1);; i = (i + 1) & (slots.size() - 1))
        if (!slots[i]) {
          slots[i] = static_cast<std::uint32_t>(k) + 1;
          break;
        }
  }
  groups.push_back({hash, key, kNoRule, kNoRule});
  for (std::size_t i = hash & (slots.size() - 1);; i = (i + 1) & (slots.size() - 1))
    if (!slots[i]) {
      slots[i] = static_cast<std::uint32_t>(groups.size());
      break;
    }
  return static_cast<std::uint32_t>(groups.size());
}

PrefixIndex::PrefixIndex(const RuleSet& rs) : group_of_(rs.rules.size(), 0), next_(rs.rules.size(), kNoRule) {
  for (const Rule& r : rs.rules) {
    if (icase_exact_key(r.match) && !location_of(rs, r)) {
      std::string& key = owned_.emplace_back(lower_ascii(r.match.text));
      std::uint32_t g = icase_exact_.insert(key, text_hash(key));
      Group& grp = icase_exact_.groups[g - 1];
      if (grp.head == kNoRule) grp.head = r.id;
      else next_[grp.tail] = r.id;
      grp.tail = r.id;
      group_of_[r.id] = g | kExactBit | kIcaseBit;
      continue;
    }
    Key k = pattern_key(r.match);
    const std::string* source = &r.match.text;
    if (const Block* loc = location_of(rs, r)) {
      Key lk = location_key(*loc);
      if (lk.known && (!k.known || (lk.exact && !k.exact) || (!k.exact && lk.text.size() > k.text.size()))) {
        k = std::move(lk);
        source = &loc->path;
      }
    }
    if (!k.known) {
      universal_.push_back(r.id);
      continue;
    }
    std::string_view key = view_into(*source, k.text);
    if (key.size() != k.text.size() || key.empty()) key = owned_.emplace_back(std::move(k.text));
    Table& t = k.exact ? exact_ : prefix_;
    std::uint32_t g = t.insert(key, text_hash(key));
    Group& grp = t.groups[g - 1];
    if (grp.head == kNoRule) grp.head = r.id;
    else next_[grp.tail] = r.id;
    grp.tail = r.id;
    group_of_[r.id] = g | (k.exact ? kExactBit : 0);
  }
  std::size_t words = 64;
  while (words * 64 < 16 * (prefix_.groups.size() + exact_.groups.size())) words *= 2;
  filter_.assign(words, 0);
  for (const Group& g : prefix_.groups) {
    prefix_lengths_.push_back(g.key.size());
    remember(g.hash);
  }
  for (const Group& g : exact_.groups) remember(g.hash);
  for (const Group& g : icase_exact_.groups) remember(g.hash);
  std::sort(prefix_lengths_.begin(), prefix_lengths_.end());
  prefix_lengths_.erase(std::unique(prefix_lengths_.begin(), prefix_lengths_.end()), prefix_lengths_.end());
}

template <class F>
void PrefixIndex::for_each_prefix(std::string_view path, F&& f) const {
  for (std::size_t n : prefix_lengths_) {
    if (n > path.size()) break;
    std::string_view pre = path.substr(0, n);
    std::uint64_t h = text_hash(pre);
    if (!may_hold(h)) continue;
    if (const Group* g = prefix_.find(pre, h)) f(*g);
  }
}

template <class F>
void PrefixIndex::for_icase_exact(std::string_view path, F&& f) const {
  if (icase_exact_.groups.empty()) return;
  std::string key = lower_ascii(path);
  std::uint64_t h = text_hash(key);
  if (!may_hold(h)) return;
  if (const Group* g = icase_exact_.find(key, h)) f(*g);
}

std::vector<RuleId> PrefixIndex::candidates_for_path(std::string_view path) const {
  return candidates_covering(path, true);
}

bool PrefixIndex::has_candidates(std::string_view path) const {
  if (!universal_.empty()) return true;
  if (std::uint64_t h = text_hash(path); may_hold(h) && exact_.find(path, h)) return true;
  bool any = false;
  for_each_prefix(path, [&](const Group&) { any = true; });
  for_icase_exact(path, [&](const Group&) { any = true; });
  return any;
}

std::vector<RuleId> PrefixIndex::candidates_covering_rule(RuleId id) const {
  std::vector<RuleId> out = universal_;
  auto append = [&](const Group& g) { for_each_id(g, [&](RuleId r) { out.push_back(r); }); };
  std::uint32_t g = group_of_[id];
  if (!g) {
    for_each_prefix("", append);
    return out;
  }
  const Group& own = group(g);
  if (g & kIcaseBit) {
    // Only a rule matching every case of the key covers it: its own group (and, a superset, the
    // other rules keyed by the lower-cased text).
    append(own);
    if (const Group* e = exact_.find(own.key, own.hash)) append(*e);
    for_each_prefix(own.key, append);
    return out;
  }
  if (g & kExactBit) append(own);
  if (g & kExactBit) for_icase_exact(own.key, append);
  for_each_prefix(own.key, append);
  return out;
}

std::vector<RuleId> PrefixIndex::candidates_covering(std::string_view prefix, bool exact) const {
  std::vector<RuleId> out = universal_;
  auto append = [&](const Group& g) { for_each_id(g, [&](RuleId id) { out.push_back(id); }); };
  if (exact) {
    if (const Group* g = exact_.find(prefix, text_hash(prefix))) append(*g);
    for_icase_exact(prefix, append);
  }
  for_each_prefix(prefix, append);
  return out;
}

}  // namespace rl::analysis
