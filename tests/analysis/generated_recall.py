#!/usr/bin/env python3
"""Exact recall and precision of RL201-RL203 on generated rule sets (bench/gen.py).

For each format: a few thousand non-interacting rules with injected chains, loops and shadowed rules;
`redirlint check --select RL201,RL202,RL203` must report exactly the injected findings (code and line).
"""
import json
import os
import subprocess
import sys
import tempfile

binary, root = sys.argv[1], sys.argv[2]
FORMATS = {"htaccess": "site.htaccess", "nginx": "site.conf", "netlify": "_redirects", "apache": "vhost.conf", "yaml": "rules.yaml"}
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for fmt, name in FORMATS.items():
        out = os.path.join(tmp, fmt, name)
        os.makedirs(os.path.dirname(out))
        findings = os.path.join(tmp, fmt + ".json")
        subprocess.run([sys.executable, os.path.join(root, "bench", "gen.py"), "--rules", "3000", "--format", fmt,
                        "--inject-chains", "15", "--inject-loops", "15", "--inject-shadowed", "15", "--seed", "11",
                        "-o", out, "--findings", findings], check=True)
        res = subprocess.run([binary, "check", "--format", fmt, "--select", "RL201,RL202,RL203", "--output", "json", out],
                             capture_output=True, text=True, timeout=120)
        if res.returncode not in (0, 1):
            print(f"FAIL {fmt}: exit {res.returncode}\n{res.stderr}")
            failures += 1
            continue
        got = {(d["code"], d["range"]["start"]["line"]) for d in json.loads(res.stdout)["diagnostics"]}
        expected = {(d["code"], d["line"]) for d in json.load(open(findings))}
        missing, extra = sorted(expected - got), sorted(got - expected)
        status = "ok" if not missing and not extra else "FAIL"
        print(f"{status} {fmt}: {len(expected)} injected, {len(got)} reported, missing {missing}, extra {extra}")
        failures += status != "ok"
sys.exit(1 if failures else 0)
