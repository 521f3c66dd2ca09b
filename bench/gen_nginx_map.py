#!/usr/bin/env python3
"""Generates an nginx `map` of redirects used through `if ($new) { return 301 $new; }` (issue 15).

    python3 bench/gen_nginx_map.py --entries N [--chains K] [--loops K] [--regex K] [--hostnames]
                                   [--seed S] [-o FILE] [--findings FILE|-] [--use if|ne]

The shape real sites keep thousands of redirects in:

    map $uri $new {
        default "";
        /old/e1-3fa9 /new/e1-3fa9;
        ...
    }
    server {
        listen 80;
        server_name example.com;
        if ($new) { return 301 $new; }      # --use ne: if ($new != "") { ... }
        location / { }
    }

Base entries never interact: every key is under /old/, every value under /new/, which no key
matches. Injected groups (keys interleaved at random places):
- chain K: /cK-a -> /cK-b, /cK-b -> /cK-c    RL201 on the entry of /cK-a
- loop K:  /lK-a -> /lK-b, /lK-b -> /lK-a    RL202 on the entry of /lK-a
--regex K adds K regex entries `~^/re/K/(\\d+)$ /new/re/K/$1;` (tried after every exact key).
--findings writes the expected findings as JSON: [{"code": "RL201", "line": 12}, ...] (1-based
lines of the generated file; a map entry's finding is reported on its line).
"""
import argparse
import json
import random
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=12800)
    ap.add_argument("--chains", type=int, default=0)
    ap.add_argument("--loops", type=int, default=0)
    ap.add_argument("--regex", type=int, default=0)
    ap.add_argument("--use", choices=["if", "ne"], default="if")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output")
    ap.add_argument("--findings")
    args = ap.parse_args()
    rnd = random.Random(args.seed)

    # (key, value, finding code or None)
    entries = [(f"/old/e{i}-{rnd.getrandbits(16):04x}", None, None) for i in range(args.entries)]
    entries = [(k, "/new/" + k[len("/old/"):], None) for k, _, _ in entries]
    groups = []
    for k in range(args.chains):
        groups.append([(f"/c{k}-a", f"/c{k}-b", "RL201"), (f"/c{k}-b", f"/c{k}-c", None)])
    for k in range(args.loops):
        groups.append([(f"/l{k}-a", f"/l{k}-b", "RL202"), (f"/l{k}-b", f"/l{k}-a", None)])
    for g in groups:
        # The first rule of the group is placed before the second (the finding's line is stable).
        at = sorted(rnd.randrange(len(entries) + 1) for _ in g)
        for off, (e, pos) in enumerate(zip(g, at)):
            entries.insert(pos + off, e)

    lines = ["map $uri $new {", '    default "";']
    findings = []
    for key, value, code in entries:
        lines.append(f"    {key} {value};")
        if code:
            findings.append({"code": code, "line": len(lines)})
    for k in range(args.regex):
        lines.append(f"    ~^/re/{k}/(\\d+)$ /new/re/{k}/$1;")
    lines.append("}")
    cond = "$new" if args.use == "if" else '$new != ""'
    lines += ["server {", "    listen 80;", "    server_name example.com;",
              f"    if ({cond}) {{ return 301 $new; }}", "    location / { }", "}"]
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    if args.findings:
        data = json.dumps(sorted(findings, key=lambda x: x["line"]), indent=0)
        if args.findings == "-":
            sys.stderr.write(data + "\n")
        else:
            with open(args.findings, "w") as f:
                f.write(data + "\n")


if __name__ == "__main__":
    main()
