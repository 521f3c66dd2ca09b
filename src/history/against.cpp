#include "history/against.hpp"

#include <set>
#include <string>
#include <utility>

#include "analysis/facts.hpp"
#include "analysis/witness.hpp"
#include "simulate/simulate.hpp"

namespace rl::history {

namespace {

bool permanent(int status) { return status == 301 || status == 308; }

/// "301 /new", "410", "no rule (serves /old)".
std::string answer_text(const Outcome& o) {
  switch (o.kind) {
    case OutcomeKind::redirect: return std::to_string(o.status) + " " + o.location;
    case OutcomeKind::answer: return std::to_string(o.status);
    case OutcomeKind::none:
      return "no rule answers" + (o.final_path.empty() ? std::string() : " (serves \"" + o.final_path + "\")");
    default: return "unknown";
  }
}

Example example_of(const Request& req, const Outcome& o) {
  Example e;
  e.request = describe(req);
  e.hops.push_back(Hop{request_url(req), o.status, o.location});
  return e;
}

class Comparison {
 public:
  Comparison(const RuleSet& old_rs, const RuleSet& new_rs, std::string_view rev)
      : old_(old_rs), new_(new_rs), rev_(rev) {}

  std::vector<Diagnostic> run() {
    for (const Rule& r : old_.rules) {
      if (!analysis::is_redirect(r)) continue;
      for (const analysis::Witness& w : analysis::witnesses(old_, r, 2))
        if (compare(r, w)) break;  // one finding per old rule
    }
    return std::move(out_);
  }

 private:
  /// True when this witness gave a finding.
  bool compare(const Rule& old_rule, const analysis::Witness& w) {
    const Outcome& was = w.outcome;
    if (was.kind != OutcomeKind::redirect) return false;
    Outcome now = simulate(new_, w.request);
    if (undetermined(now.kind)) return false;  // no claim through what the simulator cannot know
    const std::string url = describe(w.request);
    const std::string at_rev = "at " + std::string(rev_) + ": " + answer_text(was);
    const Rule* now_rule = nullptr;  // the rule that answers now
    if (now.kind != OutcomeKind::none)
      if (std::optional<RuleId> id = analysis::answering_rule(new_, now)) now_rule = &new_.rules[*id];
    if (permanent(was.status)) {
      if (now.kind == OutcomeKind::redirect && now.status == was.status && now.location == was.location) return false;
      const std::string cached = "; browsers and caches keep the " + std::to_string(was.status) +
                                 " they saw, so clients that visited still get " + answer_text(was);
      if (now.kind == OutcomeKind::redirect && now_rule) {
        Diagnostic d = make_diagnostic("RL502", now_rule->where,
                                       "permanent redirect changed: \"" + url + "\" was " + answer_text(was) + " " +
                                           "at " + std::string(rev_) + ", is now " + answer_text(now) + cached);
        d.related.push_back({old_rule.where, at_rev});
        d.example = example_of(w.request, now);
        out_.push_back(std::move(d));
        return true;
      }
      Diagnostic d = make_diagnostic("RL501", old_rule.where,
                                     "permanent redirect removed: \"" + url + "\" was " + answer_text(was) + " at " +
                                         std::string(rev_) + ", now " + answer_text(now) + cached);
      if (now_rule) d.related.push_back({now_rule->where, "now: " + answer_text(now)});
      d.example = example_of(w.request, now);
      out_.push_back(std::move(d));
      return true;
    }
    if (now.kind == OutcomeKind::redirect && permanent(now.status) && now.location == was.location && now_rule) {
      Diagnostic d = make_diagnostic("RL503", now_rule->where,
                                     "temporary redirect made permanent: \"" + url + "\" was " + answer_text(was) +
                                         " at " + std::string(rev_) + ", is now " + answer_text(now) +
                                         " (fine when the move is final: clients will cache it)");
      d.related.push_back({old_rule.where, at_rev});
      out_.push_back(std::move(d));
      return true;
    }
    if (now.kind == OutcomeKind::none) {
      Diagnostic d = make_diagnostic("RL504", old_rule.where,
                                     "redirect removed: \"" + url + "\" was " + answer_text(was) + " at " +
                                         std::string(rev_) + ", now " + answer_text(now) +
                                         ": a 404 unless a page is served there");
      d.example = example_of(w.request, now);
      out_.push_back(std::move(d));
      return true;
    }
    return false;
  }

  const RuleSet& old_;
  const RuleSet& new_;
  std::string_view rev_;
  std::vector<Diagnostic> out_;
};

}  // namespace

std::vector<Diagnostic> compare_rule_sets(const RuleSet& old_rs, const RuleSet& new_rs, std::string_view rev) {
  return Comparison(old_rs, new_rs, rev).run();
}

}  // namespace rl::history
