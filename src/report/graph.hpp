#pragma once
/// Where requests go: the redirects a client follows from a rule's witness request, and the redirect graph
/// drawn as Graphviz DOT or Mermaid (`redirlint graph`, LSP hover). Built on src/analysis (witnesses and
/// the chain/loop graph of the checks) and simulate(): an edge is a response the simulator gave, except
/// edges marked `simulated = false`, which only say what a rule's text says (no witness request found).
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl {

/// What a client sees following redirects from one request.
struct Walk {
  std::vector<Request> requests;  ///< requests[i] got outcomes[i]; requests[i+1] follows its Location
  std::vector<Outcome> outcomes;
  bool loop = false;          ///< the last Location leads back to a URL in `requests`
  std::size_t loop_start = 0; ///< when `loop`: index of the request the last Location comes back to
  bool forever = false;       ///< still redirecting after max_hops redirects (or the URL grew too long)
  std::string exit_location;  ///< a Location the walk could not follow (not http(s)) or the hop limit stopped at
};

/// Follows `start` through `rs` for at most `max_hops` redirects, stopping at a repeated URL
/// (analysis::walk_redirects, the walk `check` and `trace --follow` use).
Walk walk_redirects(const RuleSet& rs, const Request& start, int max_hops = 20);

/// The walk of a witness request of `rule` (a request the simulator confirms it answers); nullopt when
/// analysis finds none.
std::optional<Walk> walk_for_rule(const RuleSet& rs, const Rule& rule, int max_hops = 20);

/// "GET /a -> 301 /b -> 301 /c (loop)": one line for hovers and messages.
std::string describe_walk(const Walk& w);

/// A URL as drawn: "/a" for the default http://example.com, the full URL otherwise.
std::string display_url(const Request& r);

struct GraphEdge {
  std::size_t from = 0, to = 0;  ///< node indexes
  int status = 0;
  RuleId rule = 0;
  std::uint32_t line = 0;  ///< the rule's first line
  bool chain = false;      ///< part of a walk with 2+ redirect hops
  bool loop = false;       ///< part of a redirect loop
  bool simulated = true;   ///< false: drawn from the rule's text (pattern -> target template)
};

struct RedirectGraph {
  std::string name;                ///< the file the rules come from
  std::vector<std::string> nodes;  ///< URLs (display_url) or, for unsimulated edges, source patterns/targets
  std::vector<GraphEdge> edges;    ///< unique (from, to, status), in rule order
};

/// The redirect graph of one RuleSet: for each redirect rule, the response to its witness request; chains
/// and loops from analysis::redirect_graph (the same proofs as RL201/RL202; redirects that never end are
/// drawn as loops, their first three hops); rules without a witness are drawn from their text, dashed.
RedirectGraph build_graph(const RuleSet& rs, std::string name, int max_hops = 20);

/// The graph of the redirects a client follows from `start` (analysis::walk_redirects, the walk of `check`
/// and `trace --follow`): every hop an edge, chain-coloured with 2+ redirects, the cycle of a loop as a loop.
/// Adds to `g` (several starts make one graph).
void add_walk_graph(RedirectGraph& g, const RuleSet& rs, const Request& start, int max_hops = 20);

/// `g` with only the edges of chains and loops (and their nodes): what RL201/RL202 report, drawn.
RedirectGraph problems_only(const RedirectGraph& g);

/// Graphviz DOT (one cluster per graph): loops red and bold, chains orange, unsimulated edges dashed, and
/// a legend of the kinds drawn. A graph of 20 or more unconnected parts is laid out in a grid by invisible
/// edges (500 separate redirects: about 5200x3000 px at 96 dpi, not one column 32767 px tall).
std::string render_dot(const std::vector<RedirectGraph>& graphs);
/// Mermaid flowchart with the same colours (linkStyle) and legend.
std::string render_mermaid(const std::vector<RedirectGraph>& graphs);

/// Mermaid refuses to draw more edges than this by default (its `maxEdges` setting).
inline constexpr std::size_t kMermaidMaxEdges = 500;

}  // namespace rl
