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


def answers(kind, case):
    tmp = tempfile.mkdtemp(prefix=f"rl-conv-{case.name}-")
    server = harness.Server(kind, case, tmp)
    try:
        server.start()
        got = {n: harness.send(server.port, m, u, h) for n, m, u, h in case.requests}
        rules = open(server.rules_path, encoding="utf-8", errors="surrogateescape").read()
        return got, server.port, rules, server, tmp
    finally:
        server.stop()


def fired_lines(redirlint, kind, case, server, rules_path, only=None):
    """Source lines of the rules that fired for each request (trace --output json)."""
    out = {}
    for n, m, u, h in case.requests:
        if only is not None and n not in only:
            continue
        cmd = [redirlint, "trace", "--output", "json", "--port", str(server.port),
               "--document-root", server.docroot]
        cmd += ["--format", kind] if kind != "htaccess" else ["--format", "htaccess", "--htaccess-dir", case.htaccess[0]]
        for p in case.files:
            cmd += ["--dir" if p.endswith("/") else "--file", p.rstrip("/") if p != "/" else p]
        for k, v in h:
            cmd += ["--header", f"{k}: {v}"]
        cmd += [rules_path, f"{m} {u}"]
        r = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
        lines = set()
        try:
            for req in json.loads(r.stdout)["requests"]:
                for hop in req["hops"]:
                    for f in hop.get("fired", []):
                        lines.add(f["line"])
        except (ValueError, KeyError):
            pass
        out[n] = lines
    return out


def convert(redirlint, kind, case, rules_path, target):
    cmd = [redirlint, "convert", "--to", target, "--from", kind]
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


def main():
    redirlint = os.path.abspath(sys.argv[1])
    only = None
    verbose = "--verbose" in sys.argv
    if "--case" in sys.argv:
        only = sys.argv[sys.argv.index("--case") + 1]
    for b in (harness.APACHE, harness.NGINX):
        if not os.path.exists(b):
            print(f"skipped: {b} not installed")
            return 77
    known = set()
    with open(os.path.join(HERE, "known_silent.txt")) as f:
        known = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    known_seen = set()
    totals = {"identical": 0, "server": 0, "declared": 0, "silent": 0, "known": 0}
    for kind in ("apache", "htaccess", "nginx"):
        target = "apache" if kind == "nginx" else "nginx"
        other = "apache" if target == "apache" else "nginx"
        case_dir = os.path.join(HERE, "..", "differential", "cases", kind)
        for name in sorted(n for n in os.listdir(case_dir) if n.endswith(".case")):
            if only and only != f"{kind}/{name[:-5]}":
                continue
            case = harness.Case(os.path.join(case_dir, name))
            tmp_keep = tempfile.mkdtemp(prefix="rl-conv-src-")
            try:
                try:
                    orig, orig_port, rules, server, tmp = answers(kind, case)
                except Exception as e:  # noqa: BLE001
                    print(f"SKIP {kind}/{name}: source server did not start ({e})")
                    continue
                src = os.path.join(tmp_keep, os.path.basename(server.rules_path))
                with open(src, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write(rules)
                rc, text, err, losses = convert(redirlint, kind, case, src, target)
                if rc not in (0, 1):
                    print(f"FAIL {kind}/{name}: convert exit {rc}: {err.strip()[:300]}")
                    totals["silent"] += len(case.requests)
                    continue
                conv = converted_case(case, text, target)
                ctmp = tempfile.mkdtemp(prefix=f"rl-conv-{case.name}-to-")
                cserver = harness.Server(other, conv, ctmp)
                try:
                    cserver.start()
                    got = {n: harness.send(cserver.port, m, u, h) for n, m, u, h in case.requests}
                except Exception as e:  # noqa: BLE001
                    print(f"FAIL {kind}/{name}: converted config does not load in {other}: {e}")
                    if verbose:
                        print(text)
                    totals["silent"] += len(case.requests)
                    continue
                finally:
                    cserver.stop()
                    shutil.rmtree(ctmp, ignore_errors=True)
                server.tmp = tmp
                fired = None
                for n, m, u, h in case.requests:
                    a = (orig[n][0], normalise(orig[n][1], orig_port))
                    b = (got[n][0], normalise(got[n][1], cserver.port))
                    # "no rule answered" is 404 on one side and may be 200 on the other for files.
                    if a == b or (a[1] == "-" and b[1] == "-" and {a[0], b[0]} <= {"404", "200"}):
                        totals["identical"] += 1
                        continue
                    if fired is None:
                        os.makedirs(server.docroot, exist_ok=True)
                        fired = fired_lines(redirlint, kind, case, server, src)
                    declared = any(line in losses for line in fired.get(n, ()))
                    bucket = "declared" if declared else "silent"
                    if not declared and not fired.get(n):
                        conv_rules = os.path.join(tmp_keep, "converted.conf")
                        with open(conv_rules, "w", encoding="utf-8", errors="surrogateescape") as f:
                            f.write(text.replace("@LISTEN@", f"127.0.0.1:{server.port}").replace("@PORT@", str(server.port)))
                        conv_case = converted_case(case, "", target)
                        conv_fired = fired_lines(redirlint, other, conv_case, server, conv_rules, {n})
                        if not conv_fired.get(n):
                            bucket = "server"
                    key = f"{kind}/{name}:{n}"
                    if bucket == "silent" and key in known:
                        bucket = "known"
                        known_seen.add(key)
                    totals[bucket] += 1
                    if bucket in ("silent", "known") or verbose:
                        print(f"{bucket.upper()} {kind}/{name}:{n} {m} {u}: {kind}={orig[n][0]} {orig[n][1]}"
                              f"  converted {other}={got[n][0]} {got[n][1]}")
                shutil.rmtree(tmp, ignore_errors=True)
            finally:
                shutil.rmtree(tmp_keep, ignore_errors=True)
    fixed = set() if only else known - known_seen
    for key in sorted(fixed):
        print(f"FIXED {key}: no longer a silent difference; delete it from tests/convert/known_silent.txt")
    print(f"requests: {totals['identical']} identical, {totals['declared']} declared, {totals['silent']} silent, "
          f"{totals['known']} known silent (known_silent.txt), "
          f"{totals['server']} differ by the servers' own handling (no rule fired on either side)")
    return 1 if totals["silent"] or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
