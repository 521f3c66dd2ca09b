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
grep -q 'legend.*redirect loop (RL202)' "$tmp/g.mmd" || fail "Mermaid has no legend"

# The legend explains the kinds drawn, in the picture.
grep -q '<text[^>]*>redirect loop (RL202)</text>' "$tmp/g.svg" || fail "no legend entry for loops in the SVG"
grep -q '<text[^>]*>one redirect (simulated)</text>' "$tmp/g.svg" || fail "no legend entry for plain redirects"
# --problems-only: the chain and the loop, not the regex rule.
"$exe" graph --problems-only site.htaccess > "$tmp/p.dot" || fail "--problems-only exited $?"
dot -Tsvg "$tmp/p.dot" -o "$tmp/p.svg" || fail "dot rejected --problems-only"
grep -q '<text[^>]*>/x</text>' "$tmp/p.svg" && grep -q '<text[^>]*>/c</text>' "$tmp/p.svg" || fail "--problems-only lost the chain or loop"
grep -q 'blog' "$tmp/p.dot" && fail "--problems-only drew the regex rule"
grep -q 'one redirect' "$tmp/p.dot" && fail "--problems-only legend lists a kind it does not draw"
# --from URL: the walk of one request through the same walk as check (a chain here), and nothing else.
"$exe" graph --from /a site.htaccess > "$tmp/f.dot" || fail "--from exited $?"
[ "$(grep -c ' -> g0_' "$tmp/f.dot")" -eq 2 ] || fail "--from /a: want the 2 hops of the chain: $(cat "$tmp/f.dot")"
grep -q 'g0_1 -> g0_2 \[label="301 (line 3)", color=darkorange' "$tmp/f.dot" || fail "--from /a: the chain is not orange"
"$exe" graph --from 'https://example.com/x' site.htaccess | grep -q 'https://example.com/y' || fail "--from a full URL"
"$exe" graph --from 'bad url' site.htaccess 2>/dev/null; [ $? -eq 3 ] || fail "--from a bad request is not a usage error"
# 501 separate redirects: Mermaid's default limit is 500 edges; the command says so and what draws a part.
python3 -c "
for i in range(501): print(f'Redirect 301 /old{i} /new{i}')" > "$tmp/big.htaccess"
# In DOT they are laid out in a grid, every label kept (one column would be 32767 px tall, scaled down).
"$exe" graph "$tmp/big.htaccess" | dot -Tpng -o "$tmp/big.png" 2>"$tmp/big.err" || fail "dot rejected 501 rules"
grep -q 'too large' "$tmp/big.err" && fail "501 rules: $(cat "$tmp/big.err")"
python3 - "$tmp/big.png" <<'PY' || fail "501 rules: the picture is not a readable grid"
import struct, sys
w, h = struct.unpack(">II", open(sys.argv[1], "rb").read(24)[16:24])
print("501 rules:", w, "x", h, "px")
sys.exit(0 if w < 8000 and h < 5000 else 1)
PY
"$exe" graph "$tmp/big.htaccess" | dot -Tsvg | grep -c '<text[^>]*>301 (line [0-9]*)</text>' | grep -qx 501 || fail "501 rules: edge labels lost"
"$exe" graph --output mermaid "$tmp/big.htaccess" 2>&1 >/dev/null | grep -q 'Mermaid draws at most 500' || fail "no Mermaid edge-limit warning"
echo PASS
