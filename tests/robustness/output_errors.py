#!/usr/bin/env python3
"""Write errors (issue 20): every subcommand whose stdout is /dev/full (a full disk) exits 2 with
"cannot write the output (standard output): No space left on device" on stderr, in bounded time,
and leaves its input files untouched.
usage: output_errors.py REDIRLINT"""
import hashlib
import os
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SAMPLES = os.path.join(ROOT, "samples")
COMMANDS = [
    ["convert", "--to", "nginx", "site.htaccess"],
    ["check", "site.htaccess"],
    ["check", "--output", "json", "site.htaccess"],
    ["check", "--output", "sarif", "site.htaccess"],
    ["check", "--diff", "RL101.htaccess"],
    ["trace", "site.htaccess", "/old"],
    ["trace", "--output", "json", "site.htaccess", "/old"],
    ["graph", "site.htaccess"],
    ["dump", "site.htaccess"],
    ["list-checks"],
    ["explain", "RL201"],
    ["test", "tests.yaml"],
    ["--help"],
]


def digest():
    h = hashlib.sha256()
    for folder, dirs, names in sorted(os.walk(SAMPLES)):  # samples/site/ is a folder of pages
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                h.update(os.path.relpath(path, SAMPLES).encode() + f.read())
    return h.hexdigest()


def main():
    exe = os.path.abspath(sys.argv[1])
    if not os.path.exists("/dev/full"):
        print("SKIP: no /dev/full")
        return 77
    before = digest()
    failures = []
    for cmd in COMMANDS:
        with open("/dev/full", "w") as full:
            t0 = time.monotonic()
            p = subprocess.run([exe] + cmd, cwd=SAMPLES, stdout=full, stderr=subprocess.PIPE, timeout=60)
            took = time.monotonic() - t0
        err = p.stderr.decode(errors="replace")
        if p.returncode != 2:
            failures.append(f"{cmd}: exit {p.returncode}, expected 2")
        if "cannot write the output (standard output): No space left on device" not in err:
            failures.append(f"{cmd}: no write-error message in stderr: {err[-300:]!r}")
        if took > 30:
            failures.append(f"{cmd}: took {took:.1f} s")
        # The same command with a working stdout does not report a write error.
        ok = subprocess.run([exe] + cmd, cwd=SAMPLES, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
        if ok.returncode == 2 or b"cannot write the output" in ok.stderr:
            failures.append(f"{cmd}: with /dev/null: exit {ok.returncode} {ok.stderr[-200:]!r}")
    if digest() != before:
        failures.append("samples/ changed")
    for f in failures:
        print("FAIL", f)
    print(f"{len(COMMANDS)} commands against /dev/full, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
