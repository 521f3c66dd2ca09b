#!/usr/bin/env python3
"""The shared real-world corpus converted and loaded in the real target servers (issue 18).

Every Apache / .htaccess file of CORPUS/apache is converted to nginx and every nginx file of
CORPUS/nginx to Apache; each output is loaded with `nginx -t` / `apache2 -t` on a private config in
a temp dir (tests/convert/load_configs.py, never the system one). One line per file: the rules
converted exactly / approximated (RL302) / not converted (RL301), directives other than rules kept
as RL301 comments, and whether the output loads. The other directions (-> .htaccess, Apache <->
.htaccess, _redirects / YAML -> each server) are load-checked too and counted in the last line.

A file that does not parse (exit 2) must leave stdout empty: nothing half-converted is written. An
output that does not load fails the test.
usage: corpus.py REDIRLINT CORPUS   exit 77 when CORPUS or a server binary is missing.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import load_configs  # noqa: E402

SUMMARY = re.compile(r"(\d+) rules: (\d+) exact, (\d+) approximated \(RL302\), (\d+) not converted")
GROUPED = re.compile(r"\((\d+) rules, lines ")


def source_format(binary, path):
    d = subprocess.run([binary, "dump", path], capture_output=True, text=True, errors="replace")
    try:
        model = json.loads(d.stdout)
    except ValueError:
        return "", 0
    return model["format"], len(model["rules"])


def convert_and_load(binary, path, fmt, n_rules, to):
    """(row dict) for one conversion: the loss counts from the summary line and the load result."""
    c = subprocess.run([binary, "convert", "--to", to, path], capture_output=True, text=True, errors="surrogateescape")
    row = {"path": path, "from": fmt, "to": to, "rc": c.returncode, "problem": ""}
    if c.returncode == 2:
        lines = c.stderr.splitlines()
        reason = next((x for x in lines if "[RL001]" in x), next((x for x in lines if ": error: " in x), c.stderr.strip()))
        row["parsed"] = False
        row["reason"] = reason.split(": error: ", 1)[-1][:120]
        if c.stdout.strip():
            row["problem"] = "exit 2 but a converted file was written to stdout"
        return row
    row["parsed"] = True
    m = SUMMARY.search(c.stderr)
    if m:
        row["rules"], row["exact"], row["approx"], row["refused"] = map(int, m.groups())
    else:
        row["rules"], row["exact"], row["approx"], row["refused"] = n_rules, n_rules, 0, 0
    # RL301 lines name rules and other directives (include, a section); one line may group several.
    rl301 = sum(int(m.group(1)) if (m := GROUPED.search(x)) else 1 for x in c.stderr.splitlines() if x.endswith("[RL301]"))
    row["other"] = max(0, rl301 - row["refused"])
    if c.returncode not in (0, 1):
        row["problem"] = f"convert exit {c.returncode}"
        return row
    with tempfile.TemporaryDirectory(prefix="rl-corpus-") as tmp:
        if to == "nginx":
            ok, err = load_configs.nginx_ok(tmp, c.stdout)
        else:
            ok, err = load_configs.apache_ok(tmp, c.stdout, to == "htaccess")
    row["loads"] = ok
    if not ok:
        row["problem"] = f"does not load in {to}: {err[-300:]}"
    return row


def jobs_for(binary, corpus):
    """(path, format, rules, target, main) for every corpus file: main = the direction of the per-file table."""
    jobs = []
    for sub in sorted(os.listdir(corpus)):
        d = os.path.join(corpus, sub)
        if not os.path.isdir(d):
            continue
        for n in sorted(os.listdir(d)):
            if not n.endswith(load_configs.EXTS):
                continue
            path = os.path.join(d, n)
            fmt, n_rules = source_format(binary, path)
            main = {"apache": "nginx", "htaccess": "nginx", "nginx": "apache"}.get(fmt)
            for to in ("nginx", "apache", "htaccess"):
                if to != fmt:  # same format keeps the source's own context: tests/roundtrip
                    jobs.append((path, fmt, n_rules, to, to == main))
    return jobs


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(corpus):
        print(f"skipped: no corpus at {corpus}")
        return 77
    if not os.path.exists(load_configs.NGINX) or not os.path.exists(load_configs.APACHE):
        print("skipped: nginx or apache2 not installed")
        return 77
    jobs = jobs_for(binary, corpus)
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("REDIRLINT_CORPUS_JOBS", "2"))) as pool:
        rows = list(pool.map(lambda j: dict(convert_and_load(binary, *j[:4]), main=j[4]), jobs))
    failed = [r for r in rows if r["problem"]]
    totals = dict.fromkeys(("files", "rules", "exact", "approx", "refused", "other", "unparsed", "loads"), 0)
    print(f"{'file':48} {'to':7} {'rules':>5} {'exact':>5} {'RL302':>5} {'RL301':>5} {'other':>5}  loads")
    for r in rows:
        if not r["main"]:
            continue
        name = os.path.relpath(r["path"], corpus)
        totals["files"] += 1
        if not r["parsed"]:
            totals["unparsed"] += 1
            print(f"{name:48} {r['to']:7} not parsed (exit 2, nothing written): {r['reason']}")
            continue
        for k in ("rules", "exact", "approx", "refused", "other"):
            totals[k] += r[k]
        totals["loads"] += bool(r.get("loads"))
        print(f"{name:48} {r['to']:7} {r['rules']:5} {r['exact']:5} {r['approx']:5} {r['refused']:5} {r['other']:5}"
              f"  {'yes' if r.get('loads') else 'NO'}")
    others = [r for r in rows if not r["main"]]
    print(f"Apache/.htaccess -> nginx, nginx -> Apache: {totals['files']} files, {totals['unparsed']} not parsed, "
          f"{totals['loads']} outputs load; {totals['rules']} rules: {totals['exact']} exact, {totals['approx']} "
          f"approximated (RL302), {totals['refused']} not converted (RL301); {totals['other']} other directives "
          f"kept as RL301 comments")
    print(f"other directions: {len(others)} conversions, {sum(1 for r in others if r.get('loads'))} load, "
          f"{sum(1 for r in others if not r['parsed'])} not parsed")
    unparsed = {}
    for r in others:
        if not r["parsed"]:
            unparsed.setdefault((os.path.relpath(r["path"], corpus), r["reason"]), []).append(r["to"])
    for (name, reason), targets in sorted(unparsed.items()):
        print(f"  not parsed (--to {', '.join(targets)}): {name}: {reason}")
    for r in failed:
        print(f"FAIL {os.path.relpath(r['path'], corpus)} --to {r['to']}: {r['problem']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
