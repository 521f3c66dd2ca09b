#!/bin/bash
# `redirlint graph` renders with the real Graphviz: DOT -> SVG, with the loop drawn red and the chain orange;
# the Mermaid output has the same edges. usage: graph_dot.sh REDIRLINT SOURCE_DIR
set -u
exe=$(realpath "$1") src=$2
command -v dot >/dev/null || { echo "SKIP: graphviz (dot) is not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$src/tests/integrations/graph" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

"$exe" graph site.htaccess > "$tmp/g.dot" || fail "graph exited $?"
cat "$tmp/g.dot"
dot -Tsvg "$tmp/g.dot" -o "$tmp/g.svg" 2> "$tmp/dot.err" || { cat "$tmp/dot.err"; fail "dot rejected the graph"; }
[ -s "$tmp/dot.err" ] && { cat "$tmp/dot.err"; fail "dot warned"; }
grep -q '<svg' "$tmp/g.svg" || fail "no SVG"
for node in '/a' '/b' '/c' '/x' '/y' '/blog/[0-9][0-9]*' '/posts/[0-9][0-9]*'; do
  grep -q "<text[^>]*>$node</text>" "$tmp/g.svg" || fail "node $node missing from the SVG"
done
# Loop edges are red, chain edges orange, in the rendered picture (Graphviz writes the colour on the path).
[ "$(grep -c 'stroke="red"' "$tmp/g.svg")" -ge 2 ] || fail "the loop /x <-> /y is not drawn red"
[ "$(grep -c 'stroke="darkorange"' "$tmp/g.svg")" -ge 2 ] || fail "the chain /a -> /b -> /c is not drawn orange"
grep -q '<text[^>]*>302 (line 6)</text>' "$tmp/g.svg" || fail "the regex rule's edge is not labelled with its status and line"

"$exe" graph --output mermaid site.htaccess > "$tmp/g.mmd" || fail "mermaid exited $?"
cat "$tmp/g.mmd"
head -1 "$tmp/g.mmd" | grep -qx 'flowchart LR' || fail "not a Mermaid flowchart"
[ "$(grep -c -- '-->|' "$tmp/g.mmd")" -eq "$(grep -c -- ' -> ' "$tmp/g.dot")" ] || fail "Mermaid and DOT disagree on the edges"
grep -q 'linkStyle .* stroke:#d00' "$tmp/g.mmd" || fail "Mermaid does not highlight the loop"
echo PASS
