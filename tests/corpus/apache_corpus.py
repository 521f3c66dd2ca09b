#!/usr/bin/env python3
"""Every file of the Apache corpus parses: no crash, no RL001 (syntax error).

.htaccess / htaccess.txt files are read with format detection (per-directory context); *.conf
files are Apache server configuration (--format apache). Exit 77 (skip) when the corpus is absent.
"""
import os
import subprocess
import sys

binary, corpus = sys.argv[1], sys.argv[2]
if not os.path.isdir(corpus):
    print(f"skip: no corpus at {corpus}")
    sys.exit(77)
names = sorted(n for n in os.listdir(corpus) if not n.startswith("."))
failures = 0
for name in names:
    path = os.path.join(corpus, name)
    args = ["--format", "apache"] if name.endswith(".conf") else []
    cmd = [binary, "check", "--output", "gcc", "--select", "RL001", "--fail-level", "info"] + args + [path]
    out = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=60)
    if out.returncode < 0 or out.returncode > 3:
        print(f"FAIL {name}: crashed with {out.returncode}\n{out.stderr}")
        failures += 1
    elif "[RL001]" in out.stdout:
        print(f"FAIL {name}: syntax errors\n{out.stdout}")
        failures += 1
print(f"apache corpus: {len(names) - failures} of {len(names)} files parse without RL001")
sys.exit(1 if failures else 0)
