#include "report/graph.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "analysis/facts.hpp"
#include "analysis/redirect_graph.hpp"
#include "analysis/walk.hpp"
#include "analysis/witness.hpp"

namespace rl {

std::string display_url(const Request& r) {
  std::string url = request_url(r);
  constexpr std::string_view kDefault = "http://example.com/";
  if (r.method != "GET") url = r.method + " " + url;
  if (url.starts_with(kDefault)) return url.substr(kDefault.size() - 1);
  return url;
}

Walk walk_redirects(const RuleSet& rs, const Request& start, int max_hops) {
  analysis::WalkOptions opts;
  opts.max_hops = max_hops;
  opts.sim = analysis::evidence_options(rs);
  analysis::RedirectWalk r = analysis::walk_redirects(rs, start, opts);
  Walk w;
  for (analysis::HopRecord& h : r.hops) {
    w.requests.push_back(std::move(h.request));
    w.outcomes.push_back(std::move(h.outcome));
  }
  w.loop = r.end == analysis::WalkEnd::loop;
  w.loop_start = r.loop_start;
  w.forever = r.end == analysis::WalkEnd::forever;
  if (r.end == analysis::WalkEnd::forever || r.end == analysis::WalkEnd::unfollowable)
    w.exit_location = w.outcomes.back().location;
  return w;
}

std::optional<Walk> walk_for_rule(const RuleSet& rs, const Rule& rule, int max_hops) {
  std::vector<analysis::Witness> ws = analysis::witnesses(rs, rule, 1);
  if (ws.empty()) return std::nullopt;
  return walk_redirects(rs, ws.front().request, max_hops);
}

std::string describe_walk(const Walk& w) {
  std::string s = describe(w.requests.front());
  for (const Outcome& o : w.outcomes) {
    switch (o.kind) {
      case OutcomeKind::redirect: s += " -> " + std::to_string(o.status) + " " + o.location; break;
      case OutcomeKind::answer: s += " -> " + std::to_string(o.status); break;
      case OutcomeKind::limit: s += " -> unknown (regex match limit)"; break;
      case OutcomeKind::unknown: s += " -> unknown (" + o.note + ")"; break;
      case OutcomeKind::none:
        s += " -> no rule answers";
        if (!o.final_path.empty()) s += " (serves " + o.final_path + ")";
        break;
    }
  }
  if (w.loop) s += " (loop)";
  if (w.forever) s += " ... (redirects forever)";
  return s;
}

namespace {

class GraphBuilder {
 public:
  explicit GraphBuilder(RedirectGraph& g) : g_(g) {}

  std::size_t node(const std::string& label) {
    auto [it, inserted] = index_.try_emplace(label, g_.nodes.size());
    if (inserted) g_.nodes.push_back(label);
    return it->second;
  }

  void edge(GraphEdge e) {
    for (GraphEdge& old : g_.edges)
      if (old.from == e.from && old.to == e.to && old.status == e.status) {
        old.chain = old.chain || e.chain;
        old.loop = old.loop || e.loop;
        return;
      }
    g_.edges.push_back(e);
  }

 private:
  RedirectGraph& g_;
  std::map<std::string, std::size_t> index_;
};

std::uint32_t rule_line(const RuleSet& rs, RuleId id) { return id < rs.rules.size() ? rs.rules[id].where.line : 0; }

// One redirect response as an edge: request -> where the client goes next (the raw Location when it
// cannot be followed).
void add_hop(GraphBuilder& b, const RuleSet& rs, const Request& req, const Outcome& o, RuleId rule, bool chain,
             bool loop) {
  if (o.kind != OutcomeKind::redirect) return;
  Request next;
  GraphEdge e;
  e.from = b.node(display_url(req));
  e.to = b.node(follow(req, o.location, next) ? display_url(next) : o.location);
  e.status = o.status;
  e.rule = rule;
  e.line = rule_line(rs, rule);
  e.chain = chain;
  e.loop = loop;
  b.edge(e);
}

}  // namespace

RedirectGraph build_graph(const RuleSet& rs, std::string name, int max_hops) {
  RedirectGraph g;
  g.name = std::move(name);
  GraphBuilder b(g);
  for (const Rule& rule : rs.rules) {
    if (!analysis::is_redirect(rule)) continue;
    std::vector<analysis::Witness> ws = analysis::witnesses(rs, rule, 1);
    if (!ws.empty()) {
      add_hop(b, rs, ws.front().request, ws.front().outcome, rule.id, false, false);
      continue;
    }
    GraphEdge e;
    e.from = b.node(rule.match.original.empty() ? rule.match.text : rule.match.original);
    e.to = b.node(rule.target ? rule.target->url : std::string("?"));
    e.status = rule.status;
    e.rule = rule.id;
    e.line = rule.where.line;
    e.simulated = false;
    b.edge(e);
  }
  analysis::RedirectGraph found = analysis::redirect_graph(rs, max_hops, 2);
  for (const analysis::ChainFinding& c : found.chains)
    for (const analysis::HopRecord& h : c.hops) add_hop(b, rs, h.request, h.outcome, h.rule, true, false);
  for (const analysis::LoopFinding& l : found.loops)
    for (const analysis::HopRecord& h : l.cycle) add_hop(b, rs, h.request, h.outcome, h.rule, false, true);
  for (const analysis::ForeverFinding& f : found.forever)
    for (std::size_t i = 0; i < f.hops.size() && i < 3; ++i)
      add_hop(b, rs, f.hops[i].request, f.hops[i].outcome, f.hops[i].rule, false, true);
  return g;
}

void add_walk_graph(RedirectGraph& g, const RuleSet& rs, const Request& start, int max_hops) {
  analysis::WalkOptions opts;
  opts.max_hops = max_hops;
  opts.sim = analysis::evidence_options(rs);
  analysis::RedirectWalk w = analysis::walk_redirects(rs, start, opts);
  GraphBuilder b(g);
  // The builder indexes nodes by label: re-index what `g` already has (several --from walks).
  for (const std::string& n : std::vector<std::string>(g.nodes)) b.node(n);
  bool chain = w.redirects() >= 2;
  for (std::size_t i = 0; i < w.hops.size(); ++i) {
    const analysis::HopRecord& h = w.hops[i];
    bool loop = w.end == analysis::WalkEnd::loop && i >= w.loop_start;
    add_hop(b, rs, h.request, h.outcome, h.rule, chain && !loop, loop);
  }
}

RedirectGraph problems_only(const RedirectGraph& g) {
  RedirectGraph out;
  out.name = g.name;
  std::map<std::size_t, std::size_t> renumber;
  auto node = [&](std::size_t n) {
    auto [it, inserted] = renumber.try_emplace(n, out.nodes.size());
    if (inserted) out.nodes.push_back(g.nodes[n]);
    return it->second;
  };
  for (GraphEdge e : g.edges) {
    if (!e.chain && !e.loop) continue;
    e.from = node(e.from);
    e.to = node(e.to);
    out.edges.push_back(e);
  }
  return out;
}

namespace {

/// The kinds of edge a legend explains, in the order it lists them.
enum class EdgeKind { loop, chain, redirect, unverified };

EdgeKind kind_of(const GraphEdge& e) {
  if (e.loop) return EdgeKind::loop;
  if (e.chain) return EdgeKind::chain;
  return e.simulated ? EdgeKind::redirect : EdgeKind::unverified;
}

/// The kinds drawn in `graphs`, each once, in legend order; with what the legend says of each.
std::vector<std::pair<EdgeKind, std::string_view>> legend_entries(const std::vector<RedirectGraph>& graphs) {
  bool used[4] = {false, false, false, false};
  for (const RedirectGraph& g : graphs)
    for (const GraphEdge& e : g.edges) used[static_cast<int>(kind_of(e))] = true;
  static constexpr std::string_view kText[4] = {
      "redirect loop (RL202)", "redirect chain, 2+ hops (RL201)", "one redirect (simulated)",
      "from the rule's text: no request found that it answers"};
  std::vector<std::pair<EdgeKind, std::string_view>> out;
  for (int k = 0; k < 4; ++k)
    if (used[k]) out.push_back({static_cast<EdgeKind>(k), kText[k]});
  return out;
}

std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string edge_label(const GraphEdge& e) {
  std::string s = std::to_string(e.status);
  if (e.line) s += " (line " + std::to_string(e.line) + ")";
  if (!e.simulated) s += " unverified";
  return s;
}

}  // namespace

namespace {

std::string dot_style(EdgeKind k) {
  switch (k) {
    case EdgeKind::loop: return ", color=red, fontcolor=red, penwidth=2.5";
    case EdgeKind::chain: return ", color=darkorange, fontcolor=darkorange, penwidth=2";
    case EdgeKind::redirect: return "";
    case EdgeKind::unverified: return ", style=dashed";
  }
  return "";
}

// Invisible edges that lay out the unconnected parts of `g` in a grid: part i+rows starts one rank right
// of where part i ends. DOT alone puts every part in one column (500 separate redirects: 32767 px tall),
// and Graphviz 2.43 drops edge labels when it packs parts itself (pack=true). Few parts: none.
std::vector<std::pair<std::size_t, std::size_t>> grid_edges(const RedirectGraph& g) {
  std::vector<std::size_t> parent(g.nodes.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto root = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<bool> has_out(g.nodes.size(), false);
  for (const GraphEdge& e : g.edges) {
    parent[root(e.from)] = root(e.to);
    has_out[e.from] = true;
  }
  // Parts in the order of their first node; each with its first node and a node with no way out.
  std::map<std::size_t, std::size_t> part_of_root;
  std::vector<std::pair<std::size_t, std::size_t>> parts;  // (first node, last node)
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    auto [it, inserted] = part_of_root.try_emplace(root(n), parts.size());
    if (inserted) parts.push_back({n, n});
    std::pair<std::size_t, std::size_t>& p = parts[it->second];
    if (!has_out[n] && has_out[p.second]) p.second = n;
  }
  constexpr std::size_t kMinParts = 20;
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (parts.size() < kMinParts) return out;
  // About three rows for every column: a picture wider than tall, as screens are.
  auto rows = static_cast<std::size_t>(std::lround(std::sqrt(3.0 * static_cast<double>(parts.size()))));
  for (std::size_t i = rows; i < parts.size(); ++i) out.push_back({parts[i - rows].second, parts[i].first});
  return out;
}

}  // namespace

std::string render_dot(const std::vector<RedirectGraph>& graphs) {
  std::ostringstream o;
  o << "digraph redirects {\n"
    << "  rankdir=LR;\n"
    << "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
    << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (std::size_t gi = 0; gi < graphs.size(); ++gi) {
    const RedirectGraph& g = graphs[gi];
    std::string id = "g" + std::to_string(gi) + "_";
    o << "  subgraph cluster_" << gi << " {\n    label=" << dot_quote(g.name) << ";\n";
    for (std::size_t n = 0; n < g.nodes.size(); ++n)
      o << "    " << id << n << " [label=" << dot_quote(g.nodes[n]) << "];\n";
    for (const GraphEdge& e : g.edges) {
      std::string style = dot_style(kind_of(e));
      // A chain edge drawn from the text only: orange and dashed.
      if (!e.simulated && kind_of(e) != EdgeKind::unverified) style += dot_style(EdgeKind::unverified);
      o << "    " << id << e.from << " -> " << id << e.to << " [label=" << dot_quote(edge_label(e)) << style << "];\n";
    }
    for (auto [from, to] : grid_edges(g)) o << "    " << id << from << " -> " << id << to << " [style=invis];\n";
    o << "  }\n";
  }
  auto legend = legend_entries(graphs);
  if (!legend.empty()) {
    o << "  subgraph cluster_legend {\n    label=\"legend\";\n    style=dashed;\n"
      << "    node [shape=plaintext, label=\"\"];\n";
    for (std::size_t i = 0; i < legend.size(); ++i)
      o << "    legend" << i << "a -> legend" << i << "b [label=" << dot_quote(legend[i].second)
        << dot_style(legend[i].first) << "];\n";
    o << "  }\n";
  }
  o << "}\n";
  return o.str();
}

namespace {

// Mermaid labels are quoted strings: quotes and angle brackets become entity codes.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"') out += "#quot;";
    else if (c == '<') out += "#lt;";
    else if (c == '>') out += "#gt;";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string render_mermaid(const std::vector<RedirectGraph>& graphs) {
  std::ostringstream o;
  o << "flowchart LR\n";
  std::size_t link = 0;
  std::vector<std::string> styles;
  auto style = [&](EdgeKind k) {
    if (k == EdgeKind::loop) styles.push_back("  linkStyle " + std::to_string(link) + " stroke:#d00,stroke-width:3px");
    else if (k == EdgeKind::chain) styles.push_back("  linkStyle " + std::to_string(link) + " stroke:#e80,stroke-width:2px");
    ++link;
  };
  for (std::size_t gi = 0; gi < graphs.size(); ++gi) {
    const RedirectGraph& g = graphs[gi];
    std::string id = "g" + std::to_string(gi) + "_";
    o << "  subgraph f" << gi << " [\"" << mermaid_text(g.name) << "\"]\n";
    for (std::size_t n = 0; n < g.nodes.size(); ++n)
      o << "    " << id << n << "[\"" << mermaid_text(g.nodes[n]) << "\"]\n";
    for (const GraphEdge& e : g.edges) {
      o << "    " << id << e.from << (e.simulated ? " -->" : " -.->") << "|\"" << mermaid_text(edge_label(e)) << "\"| "
        << id << e.to << "\n";
      style(kind_of(e));
    }
    o << "  end\n";
  }
  auto legend = legend_entries(graphs);
  if (!legend.empty()) {
    o << "  subgraph legend [\"legend\"]\n";
    for (std::size_t i = 0; i < legend.size(); ++i) {
      o << "    legend" << i << "a[\" \"] " << (legend[i].first == EdgeKind::unverified ? "-.->" : "-->") << "|\""
        << mermaid_text(legend[i].second) << "\"| legend" << i << "b[\" \"]\n";
      style(legend[i].first);
    }
    o << "  end\n";
  }
  for (const std::string& s : styles) o << s << "\n";
  return o.str();
}

}  // namespace rl
