#!/usr/bin/env python3
"""Every file of the nginx corpus parses: no crash, and RL001 only where real nginx refuses the file.

The files nginx itself rejects at parse time (checked with `nginx -t` 1.22.1 on a wrapped private
copy) are listed in REJECTED with nginx's reason; they must give RL001, every other file must not.
Files known to hold redirects must give at least that many rules (the parser reads them, not just
survives them). Exit 77 (skip) when the corpus is absent.
"""
import os
import subprocess
import sys

REJECTED = {
    # nginx: directive "listen" is not terminated by ";" (a Go template: `listen {{port}};`)
    "fec-proxy-nginx.conf": 31,
    # nginx: unexpected "}" (every `return 301 URL` lacks its ";")
    "greenpeace-gpi-redirects.conf": 2,
}
MIN_RULES = {
    "aac-riveroaks-redirects.conf": 400,
    "fec-redirects-transition.conf": 1000,
    "fec-redirects-www.conf": 500,
    "nodejs-org.conf": 150,
    "psf-docs-redirects.conf": 60,
    "greenpeace-gpi-redirects.conf": 330,
    "iojs-org.conf": 3,
}

binary, corpus = sys.argv[1], sys.argv[2]
if not os.path.isdir(corpus):
    print(f"skip: no corpus at {corpus}")
    sys.exit(77)
names = sorted(n for n in os.listdir(corpus) if n.endswith(".conf"))
failures = 0
clean = 0
for name in names:
    path = os.path.join(corpus, name)
    cmd = [binary, "dump", "--format", "nginx", "--output", "text", path]
    out = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=60)
    if out.returncode < 0 or out.returncode > 3:
        print(f"FAIL {name}: crashed with {out.returncode}\n{out.stderr}")
        failures += 1
        continue
    errors = [l for l in out.stderr.splitlines() if "[RL001]" in l]
    rules = sum(1 for l in out.stdout.splitlines() if l.startswith("rule "))
    if name in REJECTED:
        first = f"{path}:{REJECTED[name]}:"
        if not errors or not errors[0].startswith(first):
            print(f"FAIL {name}: nginx rejects it at line {REJECTED[name]}; redirlint said:\n" + "\n".join(errors[:3]))
            failures += 1
    elif errors:
        print(f"FAIL {name}: syntax errors in a file nginx accepts\n" + "\n".join(errors))
        failures += 1
    else:
        clean += 1
    if rules < MIN_RULES.get(name, 0):
        print(f"FAIL {name}: {rules} rules, expected at least {MIN_RULES[name]}")
        failures += 1
print(f"nginx corpus: {clean} of {len(names)} files parse without RL001; "
      f"{len(REJECTED)} rejected as nginx rejects them")
sys.exit(1 if failures else 0)
