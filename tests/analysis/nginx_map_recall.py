#!/usr/bin/env python3
"""RL201/RL202 on an nginx `map` of redirects (bench/gen_nginx_map.py, issue 15).

A map of a couple of thousand exact keys (plus regex keys) used through `if ($new)` and through
`if ($new != "")`, with planted chains and loops: `redirlint check --select RL201,RL202` must report
exactly the planted findings, each on its map entry's line.
"""
import json
import os
import subprocess
import sys
import tempfile

binary, root = sys.argv[1], sys.argv[2]
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for use in ("if", "ne"):
        out = os.path.join(tmp, f"map-{use}.conf")
        findings = os.path.join(tmp, f"map-{use}.json")
        subprocess.run([sys.executable, os.path.join(root, "bench", "gen_nginx_map.py"), "--entries", "2000",
                        "--chains", "25", "--loops", "10", "--regex", "20", "--use", use, "--seed", "5",
                        "-o", out, "--findings", findings], check=True)
        res = subprocess.run([binary, "check", "--format", "nginx", "--select", "RL201,RL202", "--output", "json", out],
                             capture_output=True, text=True, timeout=120)
        if res.returncode not in (0, 1):
            print(f"FAIL {use}: exit {res.returncode}\n{res.stderr}")
            failures += 1
            continue
        got = {(d["code"], d["range"]["start"]["line"]) for d in json.loads(res.stdout)["diagnostics"]}
        expected = {(d["code"], d["line"]) for d in json.load(open(findings))}
        missing, extra = sorted(expected - got), sorted(got - expected)
        status = "ok" if expected and not missing and not extra else "FAIL"
        print(f"{status} if-{use}: {len(expected)} planted, {len(got)} reported, missing {missing[:5]}, extra {extra[:5]}")
        failures += status != "ok"
sys.exit(1 if failures else 0)
