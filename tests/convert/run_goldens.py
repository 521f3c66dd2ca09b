#!/usr/bin/env python3
"""Goldens of `redirlint convert` (the check runner tests/checks/run_goldens.py runs `check`, which
never reports RL301/RL302: those come from `convert`). Same folder convention:

tests/convert/DIR/NAME.EXT       input; NAME.args holds the convert arguments (e.g. `--to nginx`)
tests/convert/DIR/NAME.out       exact stdout (the converted file)
tests/convert/DIR/NAME.expected  exact stderr (the loss report, gcc format)
tests/convert/DIR/NAME_ok.EXT    (DIR = RLxxx) must produce no [RLxxx]; NAME_ok.out still checked
DIR = RL301 / RL302: triggering fixtures must show [DIR] in NAME.expected; DIR = golden: any output.
REDIRLINT_UPDATE_GOLDENS=1 rewrites .out/.expected; review the diff.
"""
import os
import subprocess
import sys

binary, root, sub = sys.argv[1], sys.argv[2], sys.argv[3]
folder = os.path.join("tests", "convert", sub)
update = os.environ.get("REDIRLINT_UPDATE_GOLDENS") == "1"
code = sub if sub.startswith("RL") else None
failures = ran = 0
kinds = set()
for name in sorted(os.listdir(os.path.join(root, folder))):
    if name.endswith((".expected", ".args", ".out", ".md")) or name.startswith("."):
        continue
    stem = name.split(".")[0]
    path = os.path.join(folder, name)
    args_file = os.path.join(root, folder, stem + ".args")
    args = open(args_file).read().split() if os.path.exists(args_file) else ["--to", "nginx"]
    r = subprocess.run([binary, "convert"] + args + [path], cwd=root, capture_output=True, text=True,
                       errors="replace", timeout=120)
    ran += 1
    ok_fixture = stem.endswith("_ok")
    kinds.add(ok_fixture)
    if r.returncode not in (0, 1):
        print(f"FAIL {path}: exit {r.returncode}\n{r.stderr}")
        failures += 1
        continue
    if code and ok_fixture and f"[{code}]" in r.stderr:
        print(f"FAIL {path}: an _ok fixture produced {code}:\n{r.stderr}")
        failures += 1
        continue
    for ext, got in ((".out", r.stdout), (".expected", r.stderr)):
        golden = os.path.join(root, folder, stem + ext)
        if update:
            with open(golden, "w") as f:
                f.write(got)
            continue
        if not os.path.exists(golden):
            print(f"FAIL {path}: no {stem}{ext} (run with REDIRLINT_UPDATE_GOLDENS=1)")
            failures += 1
        elif open(golden).read() != got:
            print(f"FAIL {path}: output differs from {stem}{ext}\n--- expected\n{open(golden).read()}--- actual\n{got}")
            failures += 1
    if code and not ok_fixture and f"[{code}]" not in r.stderr:
        print(f"FAIL {path}: triggering fixture without {code}")
        failures += 1
if code and kinds != {True, False}:
    print(f"FAIL {sub}: needs both triggering and _ok fixtures")
    failures += 1
print(f"{sub}: {ran - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
