#!/usr/bin/env python3
"""`redirlint logs` reports each finding at the file:line of its rule (or of the log line).

Runs on copies of samples/RL511..RL514 and samples/access.log (combined and common lines)
in a temp dir, the log plain and gzip-compressed (two members concatenated, as logrotate + cat make),
and on a hostile log (a 100 kB line, binary junk, a truncated line); compares everything printed with
logs.expected (REDIRLINT_UPDATE_GOLDENS=1 rewrites it):
- RL511 unused rule, RL512 logged chain with its count, RL513 logged 404 with the closest redirect
  source / page, RL514 temporary redirect hit after its review date;
- --output json carries the same diagnostics and the `logs` summary;
- the same findings from the .gz log as from the plain one;
- the hostile log: RL001 warnings naming the first skipped line, the good lines still counted.
"""
import difflib
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
expected_path = os.path.join(root, "tests/history/logs.expected")
out = []


def run(cwd, *args):
    p = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    out.append(f"$ redirlint {' '.join(args)}\n{p.stdout}{p.stderr}exit {p.returncode}\n")
    return p


with tempfile.TemporaryDirectory() as d:
    for name in ("RL511.htaccess", "RL512.htaccess", "RL513.htaccess", "RL514.yaml"):
        shutil.copy(os.path.join(root, "samples", name), d)
    log = open(os.path.join(root, "samples/access.log"), "rb").read()
    open(os.path.join(d, "access.log"), "wb").write(log)
    half = log.index(b"\n", len(log) // 2) + 1
    with open(os.path.join(d, "access.log.gz"), "wb") as f:
        f.write(gzip.compress(log[:half]) + gzip.compress(log[half:]))
    junk = (log.splitlines(True)[0] + b"x" * 100_000 + b"\n" + b"\x16\x03\x01\x00\xa5\x01\x00\n" +
            b'203.0.113.1 - - [01/Nov/2026:00:00:00 +0000] "GET /trunc' + b"\n" + log.splitlines(True)[2])
    open(os.path.join(d, "hostile.log"), "wb").write(junk)
    run(d, "logs", "--output", "gcc", "RL511.htaccess", "access.log")
    plain = run(d, "logs", "--output", "gcc", "RL512.htaccess", "access.log")
    packed = run(d, "logs", "--output", "gcc", "RL512.htaccess", "access.log.gz")
    if plain.stdout.replace("access.log", "LOG") != packed.stdout.replace("access.log.gz", "LOG"):
        out.append("FAIL: the .gz log gives other findings than the plain one\n")
    run(d, "logs", "--output", "gcc", "RL513.htaccess", "access.log")
    run(d, "logs", "--output", "json", "RL514.yaml", "access.log")
    run(d, "logs", "--output", "gcc", "RL511.htaccess", "hostile.log")
    run(d, "logs", "--output", "gcc", "RL511.htaccess", "no-such.log")

text = "".join(out)
if os.environ.get("REDIRLINT_UPDATE_GOLDENS"):
    open(expected_path, "w").write(text)
    print("updated", expected_path)
    sys.exit(0)
want = open(expected_path).read() if os.path.exists(expected_path) else ""
if text != want or "FAIL" in text:
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "expected", "actual"))
    sys.exit(1)
print("logs: all outputs as expected")
