#!/usr/bin/env python3
"""Writes are atomic (issue 9): `check --fix` and `convert -o` killed with SIGKILL at random moments
leave the target file either exactly as it was or exactly as a complete run writes it, never a
half-written file; a clean run leaves no temporary file in the directory.

usage: atomic.py REDIRLINT
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

# check --fix re-checks the fixed files: 10^4 rules keep the test in seconds; convert -o gets 10^5
# (to _redirects: the fastest real conversion, so that the kills land in the write too).


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def scenario(binary, tmp, name, make_args, rules, kills):
    """Runs once to completion to learn the new content, then kills fresh runs at random times."""
    src = os.path.join(tmp, "rules.conf")
    # `Redirect /x /y` has the implicit 302: --fix writes `Redirect 302 /x /y` (RL101), every line changes.
    old = "".join(f"Redirect /old/{i} /new/{i}\n" for i in range(rules)).encode()
    with open(src, "wb") as f:
        f.write(old)
    target, args = make_args(src)
    before = read(target) if os.path.exists(target) else None
    start = time.monotonic()
    r = subprocess.run([binary] + args, cwd=tmp, capture_output=True, timeout=300)
    full = time.monotonic() - start
    if r.returncode not in (0, 1):
        fail(f"{name}: exit {r.returncode}: {r.stderr.decode()[-300:]}")
    new = read(target)
    if new == before:
        fail(f"{name}: the complete run did not change {target}")
    leftovers = [n for n in os.listdir(tmp) if ".redirlint-" in n]
    if leftovers:
        fail(f"{name}: temporary files left after a clean run: {leftovers}")
    seen = {"old": 0, "new": 0}
    for k in range(kills):
        with open(src, "wb") as f:
            f.write(old)
        if before is None and os.path.exists(target):
            os.unlink(target)
        elif before is not None:
            with open(target, "wb") as f:
                f.write(before)
        p = subprocess.Popen([binary] + args, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Spread the kills over the whole run, the last ones close to the end (the write itself).
        time.sleep(full * (0.3 + 0.7 * (k + random.random()) / kills))
        p.send_signal(signal.SIGKILL)
        p.wait()
        now = read(target) if os.path.exists(target) else None
        if now == before:
            seen["old"] += 1
        elif now == new:
            seen["new"] += 1
        else:
            fail(f"{name}: after kill -9 number {k + 1}, {target} is neither the old nor the new content "
                 f"({len(now or b'')} bytes; old {len(before or b'')}, new {len(new)})")
        # A killed run may leave its temporary file (nothing can remove it); it never replaces the target.
        for n in os.listdir(tmp):
            if ".redirlint-" in n:
                os.unlink(os.path.join(tmp, n))
    print(f"ok {name} ({rules} rules): {kills} kills during a {full:.2f} s run: {seen['old']} old, {seen['new']} new, never partial")


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        scenario(binary, tmp, "check --fix",
                 lambda src: (src, ["check", "--fix", "--select", "RL101", "--format", "apache", src]), 10_000, 5)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "_redirects")
        with open(out, "w") as f:
            f.write("# the previous output\n")
        scenario(binary, tmp, "convert -o", lambda src: (out, ["convert", "--to", "netlify", "-o", out, src]), 100_000, 8)
    return 0


if __name__ == "__main__":
    sys.exit(main())
