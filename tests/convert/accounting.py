#!/usr/bin/env python3
"""Nothing is dropped silently: for every rules file (recursively) and every other target format,
#rules in = #exact + #approximated + #not converted, the RL301/RL302 lines name source rules, and
every not-converted rule's original text is in the output as a comment.
usage: accounting.py REDIRLINT DIR...  (missing DIRs are ignored)
"""
import json
import os
import re
import subprocess
import sys

FORMATS = ["apache", "htaccess", "nginx", "yaml", "netlify"]
EXTS = (".conf", ".htaccess", ".txt", ".yaml", ".yml", ".redirects", "_redirects", ".config")


def main():
    binary = sys.argv[1]
    checked = failed = 0
    for d in [x for x in sys.argv[2:] if os.path.isdir(x)]:
        for root, dirs, names in os.walk(d):
            dirs[:] = sorted(x for x in dirs if not x.startswith("."))
            for n in sorted(names):
                if not n.endswith(EXTS) or n.endswith((".out", ".expected")):
                    continue
                path = os.path.join(root, n)
                args_file = os.path.splitext(path)[0].split(".")[0] + ".args"
                extra = []
                if os.path.exists(args_file):
                    a = open(args_file).read().split()
                    extra = [x for i, x in enumerate(a) if a[i - 1] in ("--from", "--htaccess-dir") or x in ("--from", "--htaccess-dir")]
                r = subprocess.run([binary, "dump"] + [x.replace("--from", "--format") for x in extra] + [path],
                                   capture_output=True, text=True, errors="replace")
                if r.returncode != 0 or "[RL001]" in r.stderr:
                    continue
                model = json.loads(r.stdout)
                rules, per_pos = {}, {}
                for x in model["rules"]:
                    pos = (x["where"]["start"]["line"], x["where"]["start"]["column"])
                    rules[pos] = x
                    per_pos[pos] = per_pos.get(pos, 0) + 1  # an nginx map expands into several rules
                for to in FORMATS:
                    if to == model["format"]:
                        continue
                    c = subprocess.run([binary, "convert", "--pedantic", "--to", to] + extra + [path], capture_output=True,
                                       text=True, errors="replace")
                    checked += 1
                    problems = []
                    lost = {}
                    for line in c.stderr.splitlines():
                        # info = a %-encoding note (the rule still counts as exact)
                        m = re.match(r"^.*?:(\d+):(\d+): (?:error|warning): .*\[(RL30[12])\]$", line)
                        if m:
                            lost.setdefault((int(m.group(1)), int(m.group(2))), set()).add(m.group(3))
                    refused = {k for k, v in lost.items() if "RL301" in v and k in rules}
                    approx = {k for k, v in lost.items() if v == {"RL302"}}
                    if any(k not in rules for k, v in lost.items() if "RL302" in v):
                        problems.append("an RL302 that names no source rule")
                    m = re.search(r"(\d+) rules: (\d+) exact, (\d+) approximated \(RL302\), (\d+) not converted", c.stderr)
                    if m:
                        total, exact, a, nc = map(int, m.groups())
                        if total != len(model["rules"]) or exact + a + nc != total:
                            problems.append(f"summary {m.group(0)!r} does not add up to {len(model['rules'])} rules")
                        shared = any(v > 1 for v in per_pos.values())  # map entries share one position
                        if not shared and (a != len(approx) or nc != len(refused)):
                            problems.append(f"summary {m.group(0)!r} != {len(approx)} RL302 and {len(refused)} RL301 rules")
                    elif lost or c.returncode != 0:
                        problems.append(f"exit {c.returncode} with losses but no summary line")
                    for k in refused:
                        for orig_line in rules[k].get("original", "").splitlines():
                            if orig_line.strip() and not re.search(r"#\s*" + re.escape(orig_line.strip()), c.stdout):
                                problems.append(f"not-converted rule at {k[0]}:{k[1]} is not kept as a comment: {orig_line.strip()!r}")
                    if (c.returncode == 0) != (not lost):
                        problems.append(f"exit {c.returncode} does not match the loss report")
                    if problems:
                        failed += 1
                        print(f"FAIL {path} --to {to}:\n  " + "\n  ".join(problems[:5]))
    print(f"accounting: {checked - failed} conversions add up, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
