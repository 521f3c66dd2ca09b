#!/usr/bin/env python3
"""redirlint benchmark driver (issue 8): generates rule sets with bench/gen.py, runs redirlint and the
peers side by side in one run, and prints a table:

    rules  format  command  median s  cpu s  peak MiB  rules/s  ratio  cpu ratio

`ratio` = redirlint's median wall time / the peer's median wall time on the same file (≤ 1.0 = faster);
`cpu s` is the median user+sys time of the runs (all threads) and `cpu ratio` its ratio to the peer's:
on a shared machine whose other jobs stretch the wall times, compare those.
Peers: `apache2 -t` on a private config that includes the generated Apache rules, and `nginx -t` on a
private config including the nginx rules (nginx is superlinear: it is only run up to --nginx-max).
Times are wall-clock medians of --repeat runs; peak RSS comes from wait4() of each child. `trace` runs
N requests on N rules (bench/gen.py --urls: each rule's own source, one in four a miss); a run that
exceeds --timeout is killed and counted as failed. docs/performance.md has the figures.

    python3 bench/run.py --build build                     # 10k and 100k, all formats
    python3 bench/run.py --build build --sizes 1000000     # the 1M row
    python3 bench/run.py --build build --smoke             # tiny sizes: checks the driver works (CI)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXT = {"apache": "conf", "htaccess": "htaccess", "nginx": "conf", "netlify": "redirects", "yaml": "yaml"}


def run_measured(cmd, cwd=None, timeout=3600):
    """Runs cmd, returns (wall seconds, peak RSS MiB, exit code, user+sys seconds). Output is discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024.0, code, usage.ru_utime + usage.ru_stime


def measure(cmd, repeat, cwd=None, timeout=3600):
    """(median wall s, max peak MiB, last exit code, median user+sys s) of `repeat` runs."""
    walls, peaks, codes, cpus = [], [], [], []
    for _ in range(repeat):
        w, p, c, u = run_measured(cmd, cwd, timeout)
        walls.append(w)
        peaks.append(p)
        codes.append(c)
        cpus.append(u)
    return statistics.median(walls), max(peaks), codes[-1], statistics.median(cpus)


def generate(n, fmt, workdir, real=False):
    """The generated rules and, next to them, one request per rule (hits and misses) for trace.
    `real`: bench/gen.py --real (canonical prelude, guarded rules, 150 injected findings; issue 15)."""
    path = os.path.join(workdir, f"rules-{n}-{fmt}{'-real' if real else ''}.{EXT[fmt]}")
    urls = path + ".urls"
    if not os.path.exists(path) or not os.path.exists(urls):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen.py"), "--rules", str(n), "--format", fmt,
                        "--seed", "1", "-o", path, "--urls", urls] + (["--real"] if real else []), check=True)
    return path


def apache_peer(rules_path, workdir):
    """A private httpd.conf that loads the generated rules: `apache2 -t` parses and compiles them."""
    root = tempfile.mkdtemp(dir=workdir)
    mods = "/usr/lib/apache2/modules"
    conf = os.path.join(root, "httpd.conf")
    with open(conf, "w") as f:
        f.write(f"""ServerRoot {root}
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
Mutex file:{root}
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule alias_module {mods}/mod_alias.so
LoadModule rewrite_module {mods}/mod_rewrite.so
Listen 127.0.0.1:18999
ServerName bench.example
DocumentRoot {root}
Include {rules_path}
""")
    return ["apache2", "-t", "-f", conf]


def nginx_peer(rules_path, workdir):
    root = tempfile.mkdtemp(dir=workdir)
    os.makedirs(os.path.join(root, "logs"))  # nginx opens <prefix>/logs/error.log before reading the config
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""pid {root}/nginx.pid;
error_log {root}/error.log;
events {{}}
http {{
  client_body_temp_path {root}/b; proxy_temp_path {root}/p; fastcgi_temp_path {root}/f;
  uwsgi_temp_path {root}/u; scgi_temp_path {root}/s; access_log off;
  include {rules_path};
}}
""")
    return ["nginx", "-t", "-p", root, "-c", conf]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--formats", default="apache,nginx,netlify,yaml")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--nginx-max", type=int, default=20000, help="largest size given to `nginx -t`")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--commands", default="check", help="check,convert,trace")
    ap.add_argument("--real", action="store_true",
                    help="real shapes (bench/gen.py --real; Apache and .htaccess get guarded rules and a prelude)")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat: checks the driver works")
    ap.add_argument("--keep", help="directory for generated files (kept between runs)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed (reported as FAIL)")
    args = ap.parse_args()
    if args.smoke:
        args.sizes, args.repeat, args.nginx_max = "200", 1, 200
        args.commands = "check,convert,trace"
    binary = os.path.join(ROOT, args.build, "redirlint") if not os.path.isabs(args.build) else os.path.join(args.build, "redirlint")
    if not os.path.exists(binary):
        print(f"no binary at {binary}: run make build first", file=sys.stderr)
        return 2
    workdir = args.keep or tempfile.mkdtemp(prefix="rl-bench-")
    os.makedirs(workdir, exist_ok=True)
    rows = []
    failures = 0
    printed = 0

    def flush(final=False):
        nonlocal printed
        # A check row waits for its peer's ratio; everything before it can go out now.
        upto = len(rows) if final else next((i for i in range(printed, len(rows)) if rows[i][2] == "redirlint check"), len(rows))
        for n, fmt, cmd, wall, cpu, peak, rate, ratio, cpu_ratio in rows[printed:upto]:
            r = f"{ratio:6.2f}" if ratio is not None else "     -"
            cr = f"{cpu_ratio:9.2f}" if cpu_ratio is not None else "        -"
            print(f"{n:9d}  {fmt:8}  {cmd:20}  {wall:9.3f}  {cpu:7.3f}  {peak:9.1f}  {rate:10.0f}  {r}  {cr}", flush=True)
        printed = max(printed, upto)

    print(f"{'rules':>9}  {'format':8}  {'command':20}  {'median s':>9}  {'cpu s':>7}  {'peak MiB':>9}  {'rules/s':>10}  "
          f"{'ratio':>6}  {'cpu ratio':>9}", flush=True)
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            for fmt in args.formats.split(","):
                path = generate(n, fmt, workdir, args.real)
                check_row = None
                # The prelude and the injected findings add rules: at 1M the default max-rules (10^6) would refuse them.
                limit = ["--max-rules", str(2 * n + 1000)]
                for command in args.commands.split(","):
                    if command == "check":
                        cmd = [binary, "check", "--output", "gcc"] + limit + [path]
                    elif command == "convert":
                        to = "nginx" if fmt != "nginx" else "apache"
                        cmd = [binary, "convert", "--to", to] + limit + [path]
                    else:
                        # n requests: each rule's own source (3 in 4) or a miss (bench/gen.py --urls).
                        cmd = [binary, "trace", "--output", "tsv", "--urls", path + ".urls"] + limit + [path]
                    wall, peak, code, cpu = measure(cmd, args.repeat, timeout=args.timeout)
                    if code not in (0, 1):  # 1 = findings / approximations: fine for a benchmark
                        print(f"FAIL redirlint {command} on {fmt} {n}: exit {code}", file=sys.stderr)
                        failures += 1
                    if command == "check":
                        check_row = len(rows)
                    rows.append((n, fmt, f"redirlint {command}", wall, cpu, peak, n / wall if wall else 0, None, None))
                if args.no_peers:
                    flush(final=True)
                    continue
                peer = None
                if fmt == "apache" and shutil.which("apache2"):
                    peer = ("apache2 -t", apache_peer(path, workdir))
                elif fmt == "nginx" and shutil.which("nginx") and n <= args.nginx_max:
                    peer = ("nginx -t", nginx_peer(path, workdir))
                if peer:
                    wall, peak, code, cpu = measure(peer[1], args.repeat)
                    if code != 0:
                        print(f"note: {peer[0]} exited {code} on {path}", file=sys.stderr)
                    rows.append((n, fmt, peer[0], wall, cpu, peak, n / wall if wall else 0, None, None))
                    if check_row is not None and wall:
                        own = rows[check_row]
                        rows[check_row] = own[:7] + (own[3] / wall, own[4] / cpu if cpu else None)
                flush(final=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    flush(final=True)
    print(f"bench: {len(rows) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
