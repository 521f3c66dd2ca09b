#include <doctest/doctest.h>

#include "report/graph.hpp"

using namespace rl;

namespace {

RedirectGraph hostile() {
  RedirectGraph g;
  g.name = "we\"ird\\.htaccess";
  g.nodes = {"/a\"b", "/<script>\n", "^/x(.*)$"};
  GraphEdge loop{0, 1, 301, 0, 2, false, true, true};
  GraphEdge chain{1, 0, 302, 1, 3, true, false, true};
  GraphEdge text{2, 0, 301, 2, 4, false, false, false};
  g.edges = {loop, chain, text};
  return g;
}

}  // namespace

TEST_CASE("DOT labels escape quotes, backslashes and newlines; loops are red, chains orange, unverified dashed") {
  std::string dot = render_dot({hostile()});
  CHECK(dot.find("label=\"we\\\"ird\\\\.htaccess\"") != std::string::npos);
  CHECK(dot.find("g0_0 [label=\"/a\\\"b\"];") != std::string::npos);
  CHECK(dot.find("g0_1 [label=\"/<script> \"];") != std::string::npos);
  CHECK(dot.find("g0_0 -> g0_1 [label=\"301 (line 2)\", color=red") != std::string::npos);
  CHECK(dot.find("g0_1 -> g0_0 [label=\"302 (line 3)\", color=darkorange") != std::string::npos);
  CHECK(dot.find("g0_2 -> g0_0 [label=\"301 (line 4) unverified\", style=dashed];") != std::string::npos);
}

TEST_CASE("Mermaid labels use entity codes and links are styled by index") {
  std::string m = render_mermaid({hostile()});
  CHECK(m.rfind("flowchart LR\n", 0) == 0);
  CHECK(m.find("g0_0[\"/a#quot;b\"]") != std::string::npos);
  CHECK(m.find("g0_1[\"/#lt;script#gt; \"]") != std::string::npos);
  CHECK(m.find("g0_2 -.->|\"301 (line 4) unverified\"| g0_0") != std::string::npos);
  CHECK(m.find("linkStyle 0 stroke:#d00") != std::string::npos);
  CHECK(m.find("linkStyle 1 stroke:#e80") != std::string::npos);
  CHECK(m.find("linkStyle 2") == std::string::npos);
}

TEST_CASE("display_url shortens only the default http://example.com origin") {
  Request r;
  r.target = "/a?q=1";
  CHECK(display_url(r) == "/a?q=1");
  r.scheme = "https";
  CHECK(display_url(r) == "https://example.com/a?q=1");
  r.scheme = "http";
  r.method = "POST";
  CHECK(display_url(r) == "POST http://example.com/a?q=1");
}

TEST_CASE("problems_only keeps the chain and loop edges and renumbers their nodes") {
  RedirectGraph p = problems_only(hostile());
  CHECK(p.name == hostile().name);
  REQUIRE(p.edges.size() == 2);
  CHECK(p.nodes == std::vector<std::string>{"/a\"b", "/<script>\n"});
  CHECK(p.edges[0].from == 0);
  CHECK(p.edges[0].to == 1);
  CHECK(p.edges[1].from == 1);
}

TEST_CASE("the legend lists the kinds of edge drawn, styled as they are") {
  std::string dot = render_dot({hostile()});
  CHECK(dot.find("legend0a -> legend0b [label=\"redirect loop (RL202)\", color=red") != std::string::npos);
  CHECK(dot.find("legend1a -> legend1b [label=\"redirect chain, 2+ hops (RL201)\", color=darkorange") != std::string::npos);
  CHECK(dot.find("legend2a -> legend2b [label=\"from the rule's text: no request found that it answers\", style=dashed") !=
        std::string::npos);
  CHECK(dot.find("one redirect") == std::string::npos);  // no plain edge drawn
  std::string only = render_dot({problems_only(hostile())});
  CHECK(only.find("from the rule's text") == std::string::npos);
  std::string m = render_mermaid({hostile()});
  CHECK(m.find("legend2a[\" \"] -.->|\"from the rule's text") != std::string::npos);
  CHECK(m.find("linkStyle 3 stroke:#d00") != std::string::npos);  // the legend's loop, after the 3 edges
  CHECK(render_dot({}).find("legend") == std::string::npos);
}
