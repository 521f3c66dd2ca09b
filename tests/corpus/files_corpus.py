#!/usr/bin/env python3
"""Every _redirects, YAML and IIS web.config file of the corpus parses without a crash.

- netlify/*: no RL001 error (a source without its leading '/' is an RL001 *warning*: Netlify's own
  parser accepts it), and every rule line becomes a rule: the count of non-blank, non-comment lines
  equals the rules read plus the lines reported.
- yaml/*: these are other tools' redirect maps, so each gives exactly one diagnostic, the RL001
  "not a redirlint rule file", and no rule.
Exit 77 (skip) when the corpus is absent.
"""
import os
import subprocess
import sys

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
netlify_dir = os.path.join(corpus, "netlify")
for name in sorted(os.listdir(netlify_dir)) if os.path.isdir(netlify_dir) else []:
    path = os.path.join(netlify_dir, name)
    files += 1
    try:
        check = run(["check", "--select", PARSER_CODES, "--format", "netlify", "--output", "gcc", "--fail-level", "info", path])
        dump = run(["dump", "--format", "netlify", "--output", "text", path])
    except RuntimeError as e:
        print(f"FAIL {name}: {e}")
        failures += 1
        continue
    diags = [l for l in check.stdout.splitlines() if l.startswith(path + ":")]
    errors = [l for l in diags if ": error: " in l and l.endswith("[RL001]")]
    if errors:
        print(f"FAIL {name}: RL001 errors:\n" + "\n".join(errors[:5]))
        failures += 1
    rules = sum(1 for l in dump.stdout.splitlines() if l.startswith("rule "))
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [l.strip() for l in f]
    expected = sum(1 for l in lines if l and not l.startswith("#"))
    rejected_lines = {l.split(":")[1] for l in diags if ": error: " in l}
    if rules + len(rejected_lines) != expected:
        print(f"FAIL {name}: {expected} rule lines, {rules} rules read, {len(rejected_lines)} lines rejected")
        failures += 1

yaml_dir = os.path.join(corpus, "yaml")
for name in sorted(os.listdir(yaml_dir)) if os.path.isdir(yaml_dir) else []:
    path = os.path.join(yaml_dir, name)
    files += 1
    try:
        check = run(["check", "--select", PARSER_CODES, "--format", "yaml", "--output", "gcc", "--fail-level", "info", path])
        dump = run(["dump", "--format", "yaml", "--output", "text", path])
    except RuntimeError as e:
        print(f"FAIL {name}: {e}")
        failures += 1
        continue
    diags = [l for l in check.stdout.splitlines() if l.startswith(path + ":")]
    rules = sum(1 for l in dump.stdout.splitlines() if l.startswith("rule "))
    if len(diags) != 1 or "not a redirlint rule file" not in diags[0] or not diags[0].endswith("[RL001]") or rules:
        print(f"FAIL {name}: expected one 'not a redirlint rule file' RL001 and no rule, got {rules} rules and:\n" + "\n".join(diags[:5]))
        failures += 1

# iis/*.config: IIS web.config files; no RL001 error.
iis_dir = os.path.join(corpus, "iis")
for name in sorted(os.listdir(iis_dir)) if os.path.isdir(iis_dir) else []:
    path = os.path.join(iis_dir, name)
    files += 1
    try:
        check = run(["check", "--select", PARSER_CODES, "--format", "iis", "--output", "gcc", "--fail-level", "info", path])
        dump = run(["dump", "--format", "iis", "--output", "text", path])
    except RuntimeError as e:
        print(f"FAIL {name}: {e}")
        failures += 1
        continue
    errors = [l for l in check.stdout.splitlines() if ": error: " in l and l.endswith("[RL001]")]
    rules = sum(1 for l in dump.stdout.splitlines() if l.startswith("rule "))
    if errors:
        print(f"FAIL {name}: {rules} rules, RL001 errors:\n" + "\n".join(errors[:5]))
        failures += 1

print(f"files corpus: {files} files, {failures} failed")
sys.exit(1 if failures else 0)
