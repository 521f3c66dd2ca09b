#!/usr/bin/env python3
"""Conversion proven on the real servers (issue 6, "Differential").

Every case of tests/differential/cases/ is run on its own server (apache, htaccess: Apache; nginx:
nginx), converted with `redirlint convert` to the other server (Apache -> nginx, nginx -> Apache),
loaded into that real server, and sent the same requests. Each request ends up in one bucket:

  identical  both servers answer the same status and Location (compared after RFC 3986
             normalisation: %xx hex case, %-escaped unreserved characters, and each test server's
             own port left out of the Location, as on a real port-80 server);
  server     the answers differ, but no rule fired on either side (per `redirlint trace` of the
             source and of the converted file): the servers' own handling of the request (static
             files, directory slashes, `..` and NUL in the path). Not a conversion difference.
  declared   the answers differ, and a rule that fired for the request in the source (per
             `redirlint trace --output json`) has an RL301/RL302 from the conversion;
  silent     the answers differ and nothing said so: a converter bug. Exit 1, unless the request is
             listed in known_silent.txt (open bugs of issue 6, reported as KNOWN; a listed request
             that is no longer silent also fails, so the list can only shrink).

Reuses the harness of tests/differential/run.py (imported, not copied).
usage: differential.py REDIRLINT [--case KIND/NAME] [--verbose]
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "differential"))
import run as harness  # noqa: E402

UNRESERVED = re.compile(r"%(2[dDeE]|5[fF]|7[eE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])")


def normalise(location, port):
    if location == "-":
        return location
    location = location.replace(f":{port}/", "/")
    if location.endswith(f":{port}"):
        location = location[: -len(f":{port}")]
    location = UNRESERVED.sub(lambda m: chr(int(m.group(1), 16)), location)
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), location)


def trace_cmd(redirlint, kind, case, server, rules_path):
    cmd = [redirlint, "trace", "--output", "json", "--port", str(server.port), "--document-root", server.docroot]
    cmd += ["--format", kind] if kind != "htaccess" else ["--format", "htaccess", "--htaccess-dir", case.htaccess[0]]
    for p in case.files:
        cmd += ["--dir" if p.endswith("/") else "--file", p.rstrip("/") if p != "/" else p]
    return cmd


def fired_lines(redirlint, kind, case, server, rules_path, only):
    """Source lines of the rules that fired for each request numbered in `only` (trace --output json),
    one `redirlint trace --urls` per set of extra headers."""
    out = {}
    groups = {}
    for n, m, u, h in case.requests:
        if n in only:
            groups.setdefault(tuple(h), []).append((n, m, u))
    for headers, reqs in groups.items():
        urls = os.path.join(server.tmp, "urls.txt")
        with open(urls, "w", encoding="utf-8", errors="surrogateescape") as f:
            for _, m, u in reqs:
                f.write(f"{m} {u}\n")
        cmd = trace_cmd(redirlint, kind, case, server, rules_path)
        for k, v in headers:
            cmd += ["--header", f"{k}: {v}"]
        r = subprocess.run(cmd + ["--urls", urls, rules_path], capture_output=True, text=True, errors="replace")
        try:
            traced = json.loads(r.stdout)["requests"]
        except (ValueError, KeyError):
            traced = []
        for i, (n, _, _) in enumerate(reqs):
            lines = set()
            if len(traced) == len(reqs):
                for hop in traced[i].get("hops", []):
                    for f in hop.get("fired", []):
                        lines.add(f["line"])
            out[n] = lines
    return out


def convert(redirlint, kind, case, rules_path, target):
    cmd = [redirlint, "convert", "--pedantic", "--to", target, "--from", kind]  # one loss line per rule
    if kind == "htaccess":
        cmd += ["--htaccess-dir", case.htaccess[0]]
    r = subprocess.run(cmd + [rules_path], capture_output=True, text=True, errors="surrogateescape")
    losses = {}
    for line in r.stderr.splitlines():
        m = re.match(r"^.*?:(\d+):\d+: \w+: .*\[(RL30[12])\]$", line)
        if m:
            losses.setdefault(int(m.group(1)), []).append(m.group(2))
    return r.returncode, r.stdout, r.stderr, losses


def converted_case(case, text, target):
    c = harness.Case.__new__(harness.Case)
    c.path, c.name = case.path, case.name + "-converted"
    c.files = list(case.files)
    if case.htaccess and case.htaccess[0] not in c.files:
        c.files.append(case.htaccess[0])
    c.htaccess = None
    c.requests = case.requests
    if target == "nginx":
        text = re.sub(r"listen 80( default_server)?;", r"listen @LISTEN@\1;", text)
    else:
        text = text.replace("<VirtualHost *:80>", "<VirtualHost *:@PORT@>")
    c.config = text
    return c


def serve(kind, case, tmp):
    """Starts a real server for `case`, sends every request, asks it to stop; (server, answers)."""
    server = harness.Server(kind, case, tmp)
    try:
        server.start()
        return server, {n: harness.send(server.port, m, u, h) for n, m, u, h in case.requests}
    finally:
        server.signal_stop()  # it shuts down while we go on; stop() at the end waits for it


def run_case(redirlint, kind, name, known):
    """One case file: its own server, the conversion, the other server. (lines to print, totals, known seen)."""
    target = "apache" if kind == "nginx" else "nginx"
    other = "apache" if target == "apache" else "nginx"
    case = harness.Case(os.path.join(HERE, "..", "differential", "cases", kind, name))
    totals = dict.fromkeys(("identical", "server", "declared", "silent", "known"), 0)
    lines, seen, servers = [], set(), []
    tmp = tempfile.mkdtemp(prefix=f"rl-conv-{case.name}-")
    ctmp = tempfile.mkdtemp(prefix=f"rl-conv-{case.name}-to-")
    try:
        try:
            server, orig = serve(kind, case, tmp)
            servers.append(server)
        except Exception as e:  # noqa: BLE001
            return [f"SKIP {kind}/{name}: source server did not start ({e})"], totals, seen
        src = os.path.join(tmp, "source-" + os.path.basename(server.rules_path))
        shutil.copyfile(server.rules_path, src)
        rc, text, err, losses = convert(redirlint, kind, case, src, target)
        if rc not in (0, 1):
            totals["silent"] += len(case.requests)
            return [f"FAIL {kind}/{name}: convert exit {rc}: {err.strip()[:300]}"], totals, seen
        conv = converted_case(case, text, target)
        try:
            cserver, got = serve(other, conv, ctmp)
            servers.append(cserver)
        except Exception as e:  # noqa: BLE001
            totals["silent"] += len(case.requests)
            return [f"FAIL {kind}/{name}: converted config does not load in {other}: {e}"] + (
                [text] if VERBOSE else []), totals, seen
        differ = {}
        for n, m, u, h in case.requests:
            a = (orig[n][0], normalise(orig[n][1], server.port))
            b = (got[n][0], normalise(got[n][1], cserver.port))
            # "no rule answered" is 404 on one side and may be 200 on the other for files.
            if a == b or (a[1] == "-" and b[1] == "-" and {a[0], b[0]} <= {"404", "200"}):
                totals["identical"] += 1
            else:
                differ[n] = (m, u)
        if differ:
            os.makedirs(server.docroot, exist_ok=True)
            fired = fired_lines(redirlint, kind, case, server, src, set(differ))
            unfired = {n for n in differ if not fired.get(n)}
            conv_fired = {}
            if unfired:
                conv_rules = os.path.join(tmp, "converted.conf")
                with open(conv_rules, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(text.replace("@LISTEN@", f"127.0.0.1:{server.port}").replace("@PORT@", str(server.port)))
                conv_fired = fired_lines(redirlint, other, converted_case(case, "", target), server, conv_rules, unfired)
            for n, (m, u) in differ.items():
                declared = any(line in losses for line in fired.get(n, ()))
                bucket = "declared" if declared else "silent"
                if n in unfired and not conv_fired.get(n):
                    bucket = "server"
                key = f"{kind}/{name}:{n}"
                if bucket == "silent" and key in known:
                    bucket = "known"
                    seen.add(key)
                totals[bucket] += 1
                if bucket in ("silent", "known") or VERBOSE:
                    lines.append(f"{bucket.upper()} {kind}/{name}:{n} {m} {u}: {kind}={orig[n][0]} {orig[n][1]}"
                                 f"  converted {other}={got[n][0]} {got[n][1]}")
        if VERBOSE and differ:
            lines.append(text)
        return lines, totals, seen
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(ctmp, ignore_errors=True)


VERBOSE = False


def main():
    global VERBOSE
    redirlint = os.path.abspath(sys.argv[1])
    only = None
    VERBOSE = "--verbose" in sys.argv
    if "--case" in sys.argv:
        only = sys.argv[sys.argv.index("--case") + 1]
    for b in (harness.APACHE, harness.NGINX):
        if not os.path.exists(b):
            print(f"skipped: {b} not installed")
            return 77
    with open(os.path.join(HERE, "known_silent.txt")) as f:
        known = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    jobs = []
    for kind in ("apache", "htaccess", "nginx"):
        case_dir = os.path.join(HERE, "..", "differential", "cases", kind)
        for name in sorted(n for n in os.listdir(case_dir) if n.endswith(".case")):
            if not only or only == f"{kind}/{name[:-5]}":
                jobs.append((kind, name))
    # Cases are independent (own temp dirs and ports): the servers mostly wait, so run several at once.
    workers = int(os.environ.get("REDIRLINT_DIFF_JOBS", "6"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda job: run_case(redirlint, job[0], job[1], known), jobs))
    totals = dict.fromkeys(("identical", "server", "declared", "silent", "known"), 0)
    known_seen = set()
    for lines, t, seen in results:
        for line in lines:
            print(line)
        for k, v in t.items():
            totals[k] += v
        known_seen |= seen
    fixed = set() if only else known - known_seen
    for key in sorted(fixed):
        print(f"FIXED {key}: no longer a silent difference; delete it from tests/convert/known_silent.txt")
    print(f"requests: {totals['identical']} identical, {totals['declared']} declared, {totals['silent']} silent, "
          f"{totals['known']} known silent (known_silent.txt), "
          f"{totals['server']} differ by the servers' own handling (no rule fired on either side)")
    return 1 if totals["silent"] or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
