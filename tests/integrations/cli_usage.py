#!/usr/bin/env python3
"""Usage errors say what was wrong and what was meant (exit 3): an unknown subcommand names the word and
the nearest subcommand; an unknown check code or slug names the nearest one. `check --diff` exits 1 while
findings remain (it used to exit 0 whenever nothing was fixable).
usage: cli_usage.py REDIRLINT
"""
import os
import subprocess
import sys
import tempfile

exe = sys.argv[1]
failures = []


def run(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True)


def expect(args, rc, *needles):
    p = run(*args)
    text = p.stdout + p.stderr
    if p.returncode != rc or not all(n in text for n in needles):
        failures.append(f"{args}: exit {p.returncode} (want {rc}), want {needles} in: {text!r}")


expect(["frobnicate"], 3, 'unknown subcommand "frobnicate"', "subcommands: check")
expect(["chek", "x"], 3, 'did you mean "check"?')
expect([], 3, "subcommand")
with tempfile.TemporaryDirectory() as tmp:
    f = os.path.join(tmp, ".htaccess")
    with open(f, "w") as out:
        out.write("Redirect 301 /x /y\nRedirect 301 /y /x\n")
    expect(["check", "--select", "RL2O1", f], 3, 'unknown check "RL2O1"; did you mean "RL201"?')
    expect(["check", "--ignore", "redirect-chian", f], 3, 'did you mean "redirect-chain"?')
    expect(["check", "--today", "2025-13-45", f], 3, '--today must be a real date written YYYY-MM-DD (got "2025-13-45")')
    expect(["check", "--today", "2025-02-29", f], 3, "--today must be a real date")
    expect(["check", "--today", "2024-02-29", "--select", "RL103", f], 0)
    expect(["check", "--diff", f], 1)  # a loop has no safe fix, and it is still a finding

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("usage errors name the word and the nearest name; --diff exits 1 with findings")
