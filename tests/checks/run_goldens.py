#!/usr/bin/env python3
"""Golden fixtures for one check code (STYLE.md 7).

tests/checks/RLxxx/NAME.EXT        triggering fixture; NAME.expected holds the exact stdout of
                                   `redirlint check --select RLxxx --output gcc tests/checks/RLxxx/NAME.EXT`
                                   run from the repository root.
tests/checks/RLxxx/NAME_ok.EXT     must produce no [RLxxx] at all (no .expected needed).
tests/checks/RLxxx/NAME.args       optional: extra arguments, one line (e.g. `--format nginx`).
RL4xx (site findings) run `redirlint site --root tests/checks/site ...` instead of `check`: the rule
file is checked against the small built site there (pages, assets, sitemaps, robots.txt).
REDIRLINT_UPDATE_GOLDENS=1 rewrites the .expected files; review the diff.
"""
import os
import subprocess
import sys

binary, root, code = sys.argv[1], sys.argv[2], sys.argv[3]
folder = os.path.join("tests", "checks", code)
update = os.environ.get("REDIRLINT_UPDATE_GOLDENS") == "1"
failures = 0
ran = 0
for name in sorted(os.listdir(os.path.join(root, folder))):
    if name.endswith((".expected", ".args", ".md")) or name.startswith("."):
        continue
    stem = name.split(".")[0]
    path = os.path.join(folder, name)
    args = []
    args_file = os.path.join(root, folder, stem + ".args")
    if os.path.exists(args_file):
        args = open(args_file).read().split()
    # RL4xx are findings about a built site: `redirlint site` on the small site in tests/checks/site/.
    command = ["site", "--root", "tests/checks/site"] if code.startswith("RL4") else ["check"]
    cmd = [binary, *command, "--select", code, "--output", "gcc", "--fail-level", "info"] + args + [path]
    out = subprocess.run(cmd, cwd=root, capture_output=True, text=True, errors="replace", timeout=120)
    ran += 1
    if out.returncode < 0 or out.returncode > 3:
        print(f"FAIL {path}: crashed with {out.returncode}\n{out.stderr}")
        failures += 1
        continue
    if stem.endswith("_ok"):
        if f"[{code}]" in out.stdout:
            print(f"FAIL {path}: an _ok fixture produced {code}:\n{out.stdout}")
            failures += 1
        continue
    expected_file = os.path.join(root, folder, stem + ".expected")
    if update:
        with open(expected_file, "w") as f:
            f.write(out.stdout)
        continue
    if not os.path.exists(expected_file):
        print(f"FAIL {path}: no {stem}.expected (run with REDIRLINT_UPDATE_GOLDENS=1)")
        failures += 1
        continue
    expected = open(expected_file).read()
    if out.stdout != expected:
        print(f"FAIL {path}: output differs from {stem}.expected\n--- expected\n{expected}--- actual\n{out.stdout}")
        failures += 1
    elif f"[{code}]" not in expected:
        print(f"FAIL {path}: triggering fixture whose golden has no {code}")
        failures += 1

kinds = {n.split(".")[0].endswith("_ok") for n in os.listdir(os.path.join(root, folder))
         if not n.endswith((".expected", ".args", ".md"))}
if kinds != {True, False}:
    print(f"FAIL {code}: needs both triggering and _ok fixtures")
    failures += 1
print(f"{code}: {ran - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
