#!/usr/bin/env python3
"""convert -o never replaces its input (the same file, also through a symlink: exit 3, the input
unchanged) and a failed write to standard output is exit 2 (issue 18).
usage: output_target.py REDIRLINT"""
import os
import subprocess
import sys
import tempfile

redirlint = sys.argv[1]
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "_redirects")
    text = "/a /b 301\n"
    with open(src, "w") as f:
        f.write(text)
    link = os.path.join(tmp, "link")
    os.symlink(src, link)
    for target in (src, link):
        r = subprocess.run([redirlint, "convert", "--to", "apache", "-o", target, src], capture_output=True, text=True)
        if r.returncode != 3 or open(src).read() != text or "is the input file" not in r.stderr:
            print(f"FAIL -o {target}: exit {r.returncode}, input now {open(src).read()!r}: {r.stderr}")
            failures += 1
    out = os.path.join(tmp, "out.conf")
    r = subprocess.run([redirlint, "convert", "--to", "apache", "-o", out, src], capture_output=True, text=True)
    if r.returncode != 0 or "/b" not in open(out).read():
        print(f"FAIL -o {out}: exit {r.returncode}: {r.stderr}")
        failures += 1
    if os.path.exists("/dev/full"):
        with open("/dev/full", "w") as full:
            r = subprocess.run([redirlint, "convert", "--to", "apache", src], stdout=full, stderr=subprocess.PIPE, text=True)
        if r.returncode != 2 or "standard output" not in r.stderr:
            print(f"FAIL stdout /dev/full: exit {r.returncode}: {r.stderr}")
            failures += 1
print(f"output_target: {failures} failed")
sys.exit(1 if failures else 0)
