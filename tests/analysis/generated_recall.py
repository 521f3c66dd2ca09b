#!/usr/bin/env python3
"""Exact recall and precision of RL201-RL203 on generated rule sets (bench/gen.py).

For each format: a few thousand non-interacting rules with injected chains, loops, self-feeding regex
redirects and shadowed rules; `redirlint check --select RL201,RL202,RL203` must report exactly the
injected findings (code and line). The same again with the canonical prelude of real sites at the top
(http -> https and apex -> www in the format's idiom, issue 15): every injected finding is still
reported, and the only other findings allowed are at most 3 RL201 on the prelude's own lines (the
canonical hop, reported once on the canonical rule).
"""
import json
import os
import subprocess
import sys
import tempfile

binary, root = sys.argv[1], sys.argv[2]
FORMATS = {"htaccess": "site.htaccess", "nginx": "site.conf", "netlify": "_redirects", "apache": "vhost.conf", "yaml": "rules.yaml"}
PRELUDE = {"htaccess", "nginx", "netlify"}
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for fmt, name in FORMATS.items():
        for prelude in ([False, True] if fmt in PRELUDE else [False]):
            label = fmt + (" with prelude" if prelude else "")
            out = os.path.join(tmp, fmt + ("-prelude" if prelude else ""), name)
            os.makedirs(os.path.dirname(out))
            findings = out + ".json"
            subprocess.run([sys.executable, os.path.join(root, "bench", "gen.py"), "--rules", "3000", "--format", fmt,
                            "--inject-chains", "15", "--inject-loops", "15", "--inject-shadowed", "15",
                            "--inject-self", "5", "--seed", "11", "-o", out, "--findings", findings]
                           + (["--prelude"] if prelude else []), check=True)
            res = subprocess.run([binary, "check", "--format", fmt, "--select", "RL201,RL202,RL203", "--output", "json", out],
                                 capture_output=True, text=True, timeout=120)
            if res.returncode not in (0, 1):
                print(f"FAIL {label}: exit {res.returncode}\n{res.stderr}")
                failures += 1
                continue
            got = {(d["code"], d["range"]["start"]["line"]) for d in json.loads(res.stdout)["diagnostics"]}
            expected = {(d["code"], d["line"]) for d in json.load(open(findings))}
            missing, extra = sorted(expected - got), sorted(got - expected)
            # The prelude is the header's tail: every line before the first generated rule's.
            first_rule = min(line for _, line in expected)
            canonical = [e for e in extra if prelude and e[0] == "RL201" and e[1] < first_rule]
            wrong = [e for e in extra if e not in canonical]
            ok = not missing and not wrong and len(canonical) <= 3
            print(f"{'ok' if ok else 'FAIL'} {label}: {len(expected)} injected, {len(got)} reported, missing {missing}, "
                  f"extra {wrong}, on the canonical rules {canonical}")
            failures += not ok
sys.exit(1 if failures else 0)
