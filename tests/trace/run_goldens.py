#!/usr/bin/env python3
"""Golden tests of `redirlint trace` and `redirlint test` output.

tests/trace/NAME.cmd       one line: the arguments after `redirlint` (shell quoting), run from the
                           repository root.
tests/trace/NAME.expected  the exact stdout, then a last line `exit: N` with the exit code.
REDIRLINT_UPDATE_GOLDENS=1 rewrites the .expected files; review the diff.
"""
import os
import shlex
import subprocess
import sys

binary, root = sys.argv[1], sys.argv[2]
folder = os.path.join(root, "tests", "trace")
update = os.environ.get("REDIRLINT_UPDATE_GOLDENS") == "1"
failures = ran = 0
for name in sorted(os.listdir(folder)):
    if not name.endswith(".cmd"):
        continue
    stem = name[:-4]
    with open(os.path.join(folder, name)) as f:
        args = shlex.split(f.read().strip())
    out = subprocess.run([binary] + args, cwd=root, capture_output=True, text=True, errors="replace", timeout=60)
    ran += 1
    got = out.stdout + f"exit: {out.returncode}\n"
    expected_path = os.path.join(folder, stem + ".expected")
    if update:
        with open(expected_path, "w") as f:
            f.write(got)
        continue
    try:
        with open(expected_path) as f:
            expected = f.read()
    except OSError:
        expected = None
    if got != expected:
        failures += 1
        print(f"FAIL {stem}: redirlint {' '.join(args)}")
        print("--- expected\n" + (expected or "(missing)") + "--- got\n" + got + "--- stderr\n" + out.stderr)
print(f"{ran - failures} passed, {failures} failed")
sys.exit(1 if failures or ran == 0 else 0)
