#include "checks/run.hpp"

#include "analysis/shared_facts.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <string>
#include <thread>
#include <unordered_set>

namespace rl {

namespace {

std::string canonical(std::string_view code) {
  const CheckInfo* c = find_check(code);
  return c ? std::string(c->code) : std::string(code);
}

bool contains(const std::vector<std::string>& v, std::string_view code) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return canonical(s) == code; });
}

}  // namespace

bool Selection::enabled(std::string_view code) const {
  if (!select.empty() && !contains(select, code)) return false;
  return !contains(ignore, code);
}

Severity Selection::severity_of(const Diagnostic& d) const {
  for (const auto& [code, sev] : severity)
    if (canonical(code) == d.code) return sev;
  return d.severity;
}

namespace {

// The redirect-graph checks (RL201, RL202: one walk of every redirect, about a third of a full check)
// run on a second thread while the other checks run on this one, both reading one set of example
// paths and one prefix index. Each thread keeps its own simulator caches and compiled patterns
// (measured at 10^6 rules: +0 to +5% peak memory, 15-25% less wall time).
bool walks_graph(const CheckInfo& c) { return c.code == "RL201" || c.code == "RL202"; }

// One finding per rule about its status code: the most useful of RL103 (review date passed), RL102
// (temporary on a move permanent by nature), RL101 (implicit 302) and RL104 (no review date), in that
// order. 0 for other codes.
int status_rank(std::string_view code) {
  static constexpr std::string_view kOrder[] = {"RL103", "RL102", "RL101", "RL104"};
  for (std::size_t i = 0; i < std::size(kOrder); ++i)
    if (code == kOrder[i]) return static_cast<int>(std::size(kOrder) - i);
  return 0;
}

// A message is one line a reader can take in: longer ones (a pattern of 11 KB quoted) are cut with an
// ellipsis at a UTF-8 boundary; the JSON example keeps the full request and Location.
constexpr std::size_t kMaxMessage = 500;
void cap_message(std::string& m) {
  if (m.size() <= kMaxMessage) return;
  std::size_t cut = kMaxMessage - 3;
  while (cut > 0 && (static_cast<unsigned char>(m[cut]) & 0xC0) == 0x80) --cut;
  m.resize(cut);
  m += "...";
}

// Keeps the highest-ranked status finding of each rule, and each RL006 note once per file and message
// with the count of the others ("(and 121 more)").
std::vector<Diagnostic> one_per_problem(std::vector<Diagnostic> in) {
  using Key = std::pair<FileId, std::uint32_t>;
  std::map<Key, int> best;
  for (const Diagnostic& d : in)
    if (int rank = status_rank(d.code)) {
      int& b = best[{d.range.file, d.range.line}];
      b = std::max(b, rank);
    }
  std::map<std::pair<FileId, std::string>, std::size_t> first_note;  // -> index in out
  std::vector<std::size_t> repeats;
  std::vector<Diagnostic> out;
  for (Diagnostic& d : in) {
    if (int rank = status_rank(d.code); rank && best[{d.range.file, d.range.line}] != rank) continue;
    if (d.code == "RL006") {
      auto [it, fresh] = first_note.try_emplace({d.range.file, d.message}, out.size());
      if (!fresh) {
        ++repeats[it->second];
        continue;
      }
    }
    out.push_back(std::move(d));
    repeats.push_back(0);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (repeats[i]) out[i].message += " (and " + std::to_string(repeats[i]) + " more in this file)";
    cap_message(out[i].message);
  }
  return out;
}

}  // namespace

std::vector<Diagnostic> run_checks(const RuleSet& rs, const SourceFiles& files, const CheckOptions& opts,
                                   const Selection& sel) {
  std::vector<const CheckInfo*> selected;
  for (const CheckInfo& info : all_checks())
    if (info.factory && sel.enabled(info.code)) selected.push_back(&info);
  // One Reporter per check: merged in registry order, the result does not depend on the threads.
  std::vector<Reporter> per_check(selected.size());
  auto run_group = [&](int group, analysis::SharedFacts& facts) {  // group -1 all, 1 graph checks, 0 the others
    CheckContext ctx{rs, files, opts, &facts};
    for (std::size_t i = 0; i < selected.size(); ++i)
      if (group < 0 || walks_graph(*selected[i]) == (group == 1)) selected[i]->factory()->run(ctx, per_check[i]);
  };
  const bool graph = std::any_of(selected.begin(), selected.end(), [](const CheckInfo* c) { return walks_graph(*c); });
  const bool others = std::any_of(selected.begin(), selected.end(), [](const CheckInfo* c) { return !walks_graph(*c); });
  const bool split =
      graph && others && (opts.jobs >= 2 || (opts.jobs == 0 && std::thread::hardware_concurrency() >= 2));
  analysis::SharedFacts facts(rs);
  if (split) {
    // The facts both groups need (examples of every rule, prefix index) are built once, here, and only
    // read by the two threads; each keeps its own compiled patterns and results.
    analysis::SharedFacts graph_facts(facts, rs);
    std::exception_ptr failed;
    std::thread second([&] {
      try {
        run_group(1, graph_facts);
      } catch (...) {
        failed = std::current_exception();
      }
    });
    try {
      run_group(0, facts);
    } catch (...) {
      second.join();
      throw;
    }
    second.join();
    if (failed) std::rethrow_exception(failed);
  } else {
    run_group(-1, facts);
  }
  Reporter out;
  for (const Diagnostic& d : rs.parse_diags) out.report(d);
  // RL201 and RL202 both note (RL006) where their shared walk stopped at a match limit: each note once.
  // Only RL006 is reported by more than one check, so only it is compared (a file can have 10^6 findings).
  std::unordered_set<std::string> notes;
  for (Reporter& r : per_check)
    for (Diagnostic& d : r.diagnostics()) {
      if (d.code == "RL006" &&
          !notes.insert(std::to_string(d.range.file) + ':' + std::to_string(d.range.line) + ':' + d.message).second)
        continue;
      out.report(std::move(d));
    }
  // Inline suppressions: by the rule whose first line the diagnostic starts on.
  std::map<std::pair<FileId, std::uint32_t>, const std::vector<std::string>*> by_line;
  for (const Rule& r : rs.rules)
    if (!r.notes->disabled.empty()) by_line[{r.where.file, r.where.line}] = &r.notes->disabled;
  std::vector<Diagnostic> result;
  for (Diagnostic& d : out.diagnostics()) {
    if (!sel.enabled(d.code) || contains(rs.file_disabled, d.code)) continue;
    auto it = by_line.find({d.range.file, d.range.line});
    if (it != by_line.end() && contains(*it->second, d.code)) continue;
    d.severity = sel.severity_of(d);
    result.push_back(std::move(d));
  }
  return one_per_problem(std::move(result));
}

}  // namespace rl
