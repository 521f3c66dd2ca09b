#pragma once
/// Where requests go: sample requests for a rule, the redirects a client follows, and the redirect graph
/// drawn as Graphviz DOT or Mermaid (`redirlint graph`, LSP hover). Everything here is proved by the
/// simulator: an edge is a response the simulator gave, except edges marked `simulated = false`, which
/// only say what a rule's text says (no sample request fired it).
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "simulate/simulate.hpp"

namespace rl {

/// Requests that exercise `rule`: its example paths (analysis::example_paths) on the scheme and literal
/// host it is limited to (http and example.com otherwise). Empty when no example path exists.
std::vector<Request> sample_requests(const RuleSet& rs, const Rule& rule);

/// What a client sees following redirects from one request.
struct Walk {
  std::vector<Request> requests;  ///< requests[i] got outcomes[i]; requests[i+1] follows its Location
  std::vector<Outcome> outcomes;
  bool loop = false;          ///< the last Location leads back to a URL in `requests`
  std::size_t loop_start = 0; ///< when `loop`: index of the request the last Location comes back to
  std::string exit_location;  ///< a Location the walk could not follow (not http(s)) or the hop limit stopped at
};

/// Follows `start` through `rs` for at most `max_hops` redirects, stopping at a repeated URL.
Walk walk_redirects(const RuleSet& rs, const Request& start, int max_hops = 20);

/// The first sample request for which `rule` fires, walked; nullopt when none fires.
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

/// The redirect graph of one RuleSet: for each redirect rule, the walk of its first sample request that
/// fires it; rules no sample fires are drawn from their text, dashed.
RedirectGraph build_graph(const RuleSet& rs, std::string name);

/// Graphviz DOT (one cluster per graph): loops red and bold, chains orange, unsimulated edges dashed.
std::string render_dot(const std::vector<RedirectGraph>& graphs);
/// Mermaid flowchart with the same colours (linkStyle).
std::string render_mermaid(const std::vector<RedirectGraph>& graphs);

}  // namespace rl
