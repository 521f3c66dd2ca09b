#!/usr/bin/env python3
"""`redirlint export` prints every redirect with its final answer (docs/site.md "Exports").

tests/site/NAME.args      one line: the arguments after `redirlint export` (run from the repository root)
tests/site/NAME.expected  the exact stdout
REDIRLINT_UPDATE_GOLDENS=1 rewrites the .expected files; review the diff.
"""
import os
import subprocess
import sys

binary, root = sys.argv[1], sys.argv[2]
folder = os.path.join(root, "tests", "site")
update = os.environ.get("REDIRLINT_UPDATE_GOLDENS") == "1"
failures = ran = 0
for name in sorted(os.listdir(folder)):
    if not name.endswith(".args"):
        continue
    stem = name[: -len(".args")]
    args = open(os.path.join(folder, name)).read().split()
    out = subprocess.run([binary, "export", *args], cwd=root, capture_output=True, text=True, timeout=60)
    ran += 1
    expected_file = os.path.join(folder, stem + ".expected")
    if out.returncode != 0:
        print(f"FAIL {stem}: exit {out.returncode}\n{out.stderr}")
        failures += 1
        continue
    if update:
        open(expected_file, "w").write(out.stdout)
        continue
    expected = open(expected_file).read() if os.path.exists(expected_file) else None
    if out.stdout != expected:
        print(f"FAIL {stem}: output differs from {stem}.expected\n--- expected\n{expected}--- actual\n{out.stdout}")
        failures += 1
print(f"export: {ran} ran, {failures} failed")
sys.exit(1 if failures or not ran else 0)
