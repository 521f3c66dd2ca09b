#include "analysis/same_source.hpp"

#include <functional>
#include <optional>
#include <unordered_map>

#include "analysis/facts.hpp"
#include "analysis/shared_facts.hpp"
#include "util/text_hash.hpp"
#include "analysis/witness.hpp"
#include "simulate/url.hpp"

namespace rl::analysis {

namespace {

std::string family(const Rule& r) {
  if (r.origin.format == Format::apache || r.origin.format == Format::htaccess)
    return url::iequals(r.origin.directive, "RewriteRule") ? "rewrite" : "alias";
  return "rules";
}

bool same_result(const Rule& a, const Rule& b) {
  bool targets = a.target.has_value() == b.target.has_value() &&
                 (!a.target || (a.target->url == b.target->url && a.target->query == b.target->query));
  return a.action == b.action && a.status == b.status && targets && a.flow == b.flow && a.force == b.force;
}

}  // namespace

// source_key(), written into `k` (reused: no allocation per rule once it is large enough).
void write_source_key(std::string& k, const Rule& r) {
  k.clear();
  k += family(r);
  k += '|';
  k += std::to_string(r.scope.server);
  k += '|';
  k += std::to_string(r.scope.block);
  k += '|';
  k += r.scope.dir;
  k += '|';
  for (const std::string& h : r.scope.hosts) k += h, k += ',';
  k += '|';
  for (const std::string& x : r.scope.schemes) k += x, k += ',';
  k += '|';
  k += to_string(r.match.kind);
  k += '|';
  k += r.match.text;
  k += '|';
  if (r.match.ignore_case) k += 'i';
  if (r.match.negated) k += '!';
  if (r.match.optional_trailing_slash) k += '/';
  for (const Condition& c : r.conds) {
    k += '|';
    k += c.test;
    k += to_string(c.op);
    if (c.pattern.negated) k += '!';
    k += c.pattern.text;
    if (c.pattern.ignore_case) k += 'i';
    if (c.or_next) k += "|OR";
  }
}

std::string source_key(const RuleSet& rs, const Rule& r) {
  std::string k;
  write_source_key(k, r);
  (void)rs;
  return k;
}

bool is_final(const RuleSet& rs, const Rule& r) {
  if (r.action == Action::redirect || r.action == Action::answer)
    return r.flow == Flow::stop || r.flow == Flow::end || (rs.format != Format::apache && rs.format != Format::htaccess && r.flow != Flow::next);
  if (r.action == Action::rewrite) return is_file_rules(rs.format);
  return false;
}

std::string result_text(const Rule& r) {
  if (r.action == Action::redirect && r.target) return std::to_string(r.status) + " " + quoted(r.target->url);
  if (r.action == Action::answer) return std::to_string(r.status);
  if (r.action == Action::rewrite && r.target) return "rewrite to " + quoted(r.target->url);
  return "no change";
}

std::vector<SameSourcePair> same_source_pairs(const RuleSet& rs) {
  SharedFacts facts(rs);
  return same_source_pairs(facts);
}

std::vector<SameSourcePair> same_source_pairs(SharedFacts& facts) {
  const RuleSet& rs = facts.rules();
  std::vector<SameSourcePair> out;
  // The first final rule of each source key, in a flat open-addressing table keyed by the key's hash
  // (1M keys of ~100 bytes would be ~150 MB as strings, ~50 MB as a node map of hashes: here 24 MB).
  // A hit is confirmed on the whole key; the rare key whose hash is taken by another key goes to
  // `collided`.
  struct Entry {
    std::uint64_t hash;
    RuleId id;
  };
  std::vector<Entry> entries;
  std::vector<std::uint32_t> slots(64, 0);  // entry index + 1; a power of two, at most half full
  auto slot_of = [&](std::uint64_t h) -> std::uint32_t& {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask)
      if (!slots[i] || entries[slots[i] - 1].hash == h) return slots[i];
  };
  auto add = [&](std::uint64_t h, RuleId id) {
    if ((entries.size() + 1) * 2 > slots.size()) {
      slots.assign(slots.size() * 2, 0);
      for (std::size_t k = 0; k < entries.size(); ++k) slot_of(entries[k].hash) = static_cast<std::uint32_t>(k) + 1;
    }
    entries.push_back({h, id});
    slot_of(h) = static_cast<std::uint32_t>(entries.size());
  };
  std::unordered_map<std::string, RuleId> collided;
  const SimOptions* opts = nullptr;
  std::string key, other;
  for (const Rule& r : rs.rules) {
    if (r.action == Action::none || r.match.negated) continue;
    write_source_key(key, r);
    std::uint64_t h = text_hash(key);
    std::optional<RuleId> first;
    if (std::uint32_t s = slot_of(h); !s) {
      if (is_final(rs, r)) add(h, r.id);
    } else if (write_source_key(other, rs.rules[entries[s - 1].id]), other == key) {
      first = entries[s - 1].id;
    } else if (auto c = collided.find(key); c != collided.end()) {
      first = c->second;
    } else if (is_final(rs, r)) {
      collided.emplace(key, r.id);
    }
    if (!first) continue;
    const Rule& a = rs.rules[*first];
    if (!opts) opts = &facts.evidence_options();
    for (const std::string& p : facts.example_paths(r.id)) {
      Request q = request_for(rs, r, p, facts.conditions());
      Outcome o = simulate(rs, q, *opts);
      if (undetermined(o.kind) || !fired(o, a.id) || fired(o, r.id)) continue;
      out.push_back({a.id, r.id, same_result(a, r), std::move(q), std::move(o)});
      break;
    }
  }
  return out;
}

}  // namespace rl::analysis
