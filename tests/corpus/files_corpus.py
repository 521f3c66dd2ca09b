#!/usr/bin/env python3
"""Every _redirects, YAML and IIS web.config file of the corpus parses without a crash.

- netlify/*: no RL001 error (a source without its leading '/' is an RL001 *warning*: Netlify's own
  parser accepts it), and every rule line becomes a rule: the count of non-blank, non-comment lines
  equals the rules read plus the lines reported.
- yaml/*: these are other tools' redirect maps, so each gives exactly one diagnostic, the RL001
  "not a redirlint rule file", and no rule.
Exit 77 (skip) when the corpus is absent.
"""
import json
import os
import re
import subprocess
import sys
import tomllib

binary, corpus = sys.argv[1], sys.argv[2]
PARSER_CODES = "RL001,RL002,RL003,RL004,RL005,RL006,RL007"  # parsing only: the analysis has its own tests
if not os.path.isdir(corpus):
    print(f"skip: no corpus at {corpus}")
    sys.exit(77)


def run(args):
    out = subprocess.run([binary] + args, capture_output=True, text=True, errors="replace", timeout=60)
    if out.returncode < 0 or out.returncode > 3:
        raise RuntimeError(f"crashed with {out.returncode}: {' '.join(args)}\n{out.stderr}")
    return out


failures = 0
files = 0


def each_file(sub, fmt):
    """Yields (name, path, diagnostics on the file, RL001 errors, rules read) for every corpus/<sub> file."""
    global failures, files
    folder = os.path.join(corpus, sub)
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        path = os.path.join(folder, name)
        files += 1
        try:
            check = run(["check", "--select", PARSER_CODES, "--format", fmt, "--output", "gcc", "--fail-level", "info", path])
            dump = run(["dump", "--format", fmt, "--output", "text", path])
        except RuntimeError as e:
            print(f"FAIL {name}: {e}")
            failures += 1
            continue
        diags = [l for l in check.stdout.splitlines() if l.startswith(path + ":")]
        errors = [l for l in diags if ": error: " in l and l.endswith("[RL001]")]
        rules = sum(1 for l in dump.stdout.splitlines() if l.startswith("rule "))
        yield name, path, diags, errors, rules


def fail(message):
    global failures
    print("FAIL " + message)
    failures += 1


# netlify/*: no RL001, and every rule line is read or rejected.
for name, path, diags, errors, rules in each_file("netlify", "netlify"):
    if errors:
        fail(f"{name}: RL001 errors:\n" + "\n".join(errors[:5]))
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [l.strip() for l in f]
    expected = sum(1 for l in lines if l and not l.startswith("#"))
    rejected_lines = {l.split(":")[1] for l in diags if ": error: " in l}
    if rules + len(rejected_lines) != expected:
        fail(f"{name}: {expected} rule lines, {rules} rules read, {len(rejected_lines)} lines rejected")

# yaml/*: other tools' YAML: one 'not a redirlint rule file' RL001 and no rule.
for name, path, diags, errors, rules in each_file("yaml", "yaml"):
    if len(diags) != 1 or "not a redirlint rule file" not in diags[0] or not diags[0].endswith("[RL001]") or rules:
        fail(f"{name}: expected one 'not a redirlint rule file' RL001 and no rule, got {rules} rules and:\n" + "\n".join(diags[:5]))

# iis/*.config: IIS web.config files; no RL001 error.
for name, path, diags, errors, rules in each_file("iis", "iis"):
    if errors:
        fail(f"{name}: {rules} rules, RL001 errors:\n" + "\n".join(errors[:5]))

# netlify-toml/*, vercel/*: no RL001 error, and every entry of the file's redirect list is a rule or
# is reported (RL0xx on its range), counted from the file's own text.
for sub in ("netlify-toml", "vercel"):
    for name, path, diags, errors, rules in each_file(sub, sub):
        if errors:
            fail(f"{name}: RL001 errors:\n" + "\n".join(errors[:5]))
        with open(path, "rb") as f:
            raw = f.read()
        if sub == "netlify-toml":
            entries = len(tomllib.loads(raw.decode()).get("redirects", []))
        else:
            doc = json.loads(raw)
            entries = len(doc.get("redirects", [])) + len(doc.get("rewrites", []))
        rejected = {l.split(":")[1] for l in diags if re.search(r": (error|warning): ", l) and not l.endswith("[RL006]")}
        if rules != entries and rules + len(rejected) < entries:
            fail(f"{name}: {entries} entries, {rules} rules read, {len(rejected)} reported")

print(f"files corpus: {files} files, {failures} failed")
sys.exit(1 if failures else 0)
