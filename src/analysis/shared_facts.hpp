#pragma once
/// Facts about one RuleSet that several checks need, each computed once, on first use (issue 8):
/// per-rule example paths and compiled match patterns, the prefix index, the evidence options and
/// the redirect graph (RL201 redirect-chain and RL202 redirect-loop share one walk).
/// Not thread-safe: one SharedFacts per thread, or fill it before sharing.
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analysis/prefix_index.hpp"
#include "analysis/redirect_graph.hpp"
#include "analysis/same_source.hpp"
#include "analysis/witness.hpp"
#include "model/model.hpp"
#include "simulate/simulate.hpp"
#include "util/regex.hpp"

namespace rl::analysis {

class SharedFacts {
 public:
  /// `rs` must outlive this object and must not change while it lives.
  explicit SharedFacts(const RuleSet& rs);
  SharedFacts(const SharedFacts&) = delete;
  SharedFacts& operator=(const SharedFacts&) = delete;

  /// A second set of facts for another thread: it shares `first`'s example paths, prefix index and
  /// evidence options, which this constructor has `first` fill for every rule (read-only from then on,
  /// in both objects), and keeps its own compiled patterns, graph and pairs. Make it before either
  /// object is used on another thread; `first` must outlive it.
  SharedFacts(SharedFacts& first, const RuleSet& rs);

  const RuleSet& rules() const { return rs_; }
  /// example_paths(rules(), rule `id`), computed once. The span stays valid while this object lives.
  std::span<const std::string> example_paths(RuleId id);
  /// The rule's match pattern compiled by PCRE2; nullptr for non-regex rules and rejected patterns.
  /// Valid until the next match_regex call: only the recently used patterns are kept (compiled
  /// patterns of 1M rules would take ~200 MB; each check asks for one rule's pattern at a time).
  const Regex* match_regex(RuleId id);
  const PrefixIndex& prefix_index();
  /// evidence_options(rules()), computed once.
  const SimOptions& evidence_options();
  /// redirect_graph(rules(), max_hops, min_hops), computed once per pair of limits.
  const RedirectGraph& redirect_graph(int max_hops, int min_hops);
  /// origins_of(rules()), computed once.
  const Origins& origins();
  /// The examples and compiled patterns of the rules' conditions, for request_for (this thread's own).
  ConditionSolver& conditions() { return conditions_; }
  /// same_source_pairs(rules()), computed once (RL204 and RL205 split them).
  const std::vector<SameSourcePair>& same_source_pairs();

  /// The facts a check should use: the shared ones run_checks made, else `local` built on `ctx.rules`.
  template <class Context>
  static SharedFacts& of(const Context& ctx, std::optional<SharedFacts>& local) {
    return ctx.facts ? *ctx.facts : local.emplace(ctx.rules);
  }

 private:
  const RuleSet& rs_;
  // Example paths of every rule asked, packed: a rule's paths are adjacent in a chunk of kChunk
  // strings (1M rules: 8 bytes a rule plus the strings, instead of an optional vector each).
  static constexpr std::size_t kChunk = 1024;  // 32 KB: from the heap, below the mmap threshold
  struct ExampleSlot {
    std::uint32_t first = 0;  ///< index in the chunks (chunk * kChunk + offset)
    std::uint16_t count = 0;
    bool filled = false;
  };
  struct Examples {
    std::vector<ExampleSlot> slots;
    std::vector<std::unique_ptr<std::string[]>> chunks;
    std::size_t used = kChunk;  ///< strings used in the last chunk
  };
  std::shared_ptr<Examples> examples_;  ///< shared with a second SharedFacts: then every slot is filled
  static constexpr std::size_t kRecentRegexes = 64;
  struct RecentRegex {
    RuleId id = 0;
    bool filled = false;
    std::optional<Regex> re;
  };
  std::vector<RecentRegex> regexes_ = std::vector<RecentRegex>(kRecentRegexes);  ///< slot id % kRecentRegexes
  std::shared_ptr<const PrefixIndex> index_;
  std::shared_ptr<const SimOptions> evidence_;
  std::map<std::pair<int, int>, RedirectGraph> graphs_;
  std::optional<std::vector<SameSourcePair>> same_source_;
  std::optional<Origins> origins_;
  ConditionSolver conditions_;
};

}  // namespace rl::analysis
