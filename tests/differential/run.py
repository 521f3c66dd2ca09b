#!/usr/bin/env python3
"""Differential tests: real apache2 / nginx against `redirlint trace` (see README.md)."""
import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HERE = os.path.dirname(os.path.abspath(__file__))


class Case:
    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.config = ""
        self.htaccess = None  # (dir, text)
        self.files = []
        self.mapfiles = {}  # ServerRoot-relative name -> text (--- mapfile NAME)
        self.requests = []  # (line number, method, url, headers)
        self._parse()

    def _parse(self):
        section, arg, body = None, None, []
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for number, line in enumerate(lines + ["--- end"], start=1):
            m = re.match(r"^--- (\w+)\s*(.*)$", line)
            if m:
                self._finish(section, arg, body)
                section, arg, body = m.group(1), m.group(2).strip(), []
                continue
            if section in ("config", "htaccess", "mapfile"):
                body.append(line)
            elif section is not None and line.strip() and not line.lstrip().startswith("#"):
                body.append((number, line.strip()))

    def _finish(self, section, arg, body):
        if section == "config":
            self.config = "\n".join(body).strip("\n") + "\n"
        elif section == "htaccess":
            d = arg or "/"
            if not d.endswith("/"):
                d += "/"
            self.htaccess = (d, "\n".join(body).strip("\n") + "\n")
        elif section == "mapfile":
            self.mapfiles[arg] = "\n".join(body).strip("\n") + "\n"
        elif section == "files":
            self.files = [text for _, text in body]
        elif section == "requests":
            for number, text in body:
                parts = [p.strip() for p in text.split(" | ")]
                words = parts[0].split()
                method, url = (words[0], words[1]) if len(words) == 2 else ("GET", words[0])
                headers = [tuple(h.split(":", 1)) for h in parts[1:]]
                self.requests.append((number, method, url, [(k.strip(), v.strip()) for k, v in headers]))
        elif section not in (None, "end"):
            raise ValueError(f"{self.path}: unknown section '--- {section}'")


def free_port():
    for _ in range(200):
        port = random.randint(18001, 29999)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def wait_port(port, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def split_url(url):
    """(Host header, raw target) for a request line URL."""
    m = re.match(r"^http://([^/?#]*)(.*)$", url)
    if m:
        return m.group(1), m.group(2) or "/"
    if url.startswith("https://"):
        raise ValueError("https requests are not supported by the harness")
    return "example.com", url


def send(port, method, url, headers):
    host, target = split_url(url)
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines += ["Connection: close", "", ""]
    data = "\r\n".join(lines).encode("utf-8", "surrogateescape")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            head = b"".join(chunks)
            if b"\r\n\r\n" in head:
                break
    head = b"".join(chunks).split(b"\r\n\r\n", 1)[0].decode("utf-8", "surrogateescape")
    status_line, *header_lines = head.split("\r\n")
    status = status_line.split(" ")[1] if " " in status_line else "?"
    location = "-"
    for h in header_lines:
        k, _, v = h.partition(":")
        if k.strip().lower() == "location":
            location = v.strip()
    return status, location


class Server:
    """A throw-away server in its own temp dir, stopped by the PID in its pid file."""

    def __init__(self, kind, case, tmp):
        self.kind, self.case, self.tmp = kind, case, tmp
        self.port = free_port()
        self.docroot = os.path.join(tmp, "htdocs")
        self.pidfile = os.path.join(tmp, "server.pid")
        self.rules_path = None

    def subst(self, text):
        return (text.replace("@LISTEN@", f"127.0.0.1:{self.port}").replace("@PORT@", str(self.port))
                .replace("@DOCROOT@", self.docroot))

    def prepare_docroot(self):
        os.makedirs(self.docroot)
        for p in self.case.files:
            full = os.path.join(self.docroot, p.lstrip("/"))
            if p.endswith("/"):
                os.makedirs(full, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w") as f:
                    f.write("ok\n")
        for name, text in getattr(self.case, "mapfiles", {}).items():  # cases built without _parse have none
            full = os.path.join(self.tmp, name)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        if self.case.htaccess:
            d, text = self.case.htaccess
            full = os.path.join(self.docroot, d.lstrip("/"))
            os.makedirs(full, exist_ok=True)
            self.rules_path = os.path.join(full, ".htaccess")
            with open(self.rules_path, "w") as f:
                f.write(self.subst(text))
        # The workers run as nobody when we are root: everything must be world-readable.
        for root, dirs, files in os.walk(self.tmp):
            os.chmod(root, 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)

    def start(self):
        self.prepare_docroot()
        config = self.subst(self.case.config)
        case_conf = os.path.join(self.tmp, "case.conf")
        with open(case_conf, "w") as f:
            f.write(config)
        if self.kind in ("apache", "htaccess"):
            if self.kind == "apache":
                self.rules_path = case_conf
            conf = os.path.join(self.tmp, "httpd.conf")
            with open(conf, "w") as f:
                f.write(self.apache_conf(config))
            cmd = [APACHE, "-d", self.tmp, "-f", conf, "-k", "start"]
        else:
            self.rules_path = case_conf
            for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
                os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
            conf = os.path.join(self.tmp, "nginx.conf")
            with open(conf, "w") as f:
                f.write(self.nginx_conf(config))
            os.chmod(self.tmp, 0o755)
            cmd = [NGINX, "-p", self.tmp + "/", "-c", conf, "-e", os.path.join(self.tmp, "error.log")]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0 or not wait_port(self.port):
            raise RuntimeError(f"{self.kind} did not start: {r.stderr.strip()} {self.error_log()}")
        # The pid file may appear a moment after the port opens.
        for _ in range(100):
            if os.path.exists(self.pidfile):
                break
            time.sleep(0.02)

    def error_log(self):
        try:
            with open(os.path.join(self.tmp, "error.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def signal_stop(self):
        """Asks the server to stop (SIGTERM to the PID in its pid file); returns at once."""
        if getattr(self, "pid", None) is not None:
            return
        try:
            with open(self.pidfile) as f:
                self.pid = int(f.read().strip())
        except (OSError, ValueError):
            self.pid = 0
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            self.pid = 0

    def stop(self):
        """Stops the server and waits until its main process is gone (SIGKILL after 5 s)."""
        self.signal_stop()
        if not self.pid:
            return
        for _ in range(200):
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.pid = 0
                return
            time.sleep(0.025)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.pid = 0

    def apache_conf(self, case_config):
        root = os.geteuid() == 0
        mods = ["mpm_prefork", "authz_core", "alias", "rewrite"]
        lines = [f'ServerRoot "{self.tmp}"']
        lines += [f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in mods]
        lines += [
            f"Listen 127.0.0.1:{self.port}",
            f"PidFile {self.pidfile}",
            f"ErrorLog {self.tmp}/error.log",
            "LogLevel warn",
            f"Mutex file:{self.tmp} default",
            "StartServers 1", "MinSpareServers 1", "MaxSpareServers 2",
            "ServerName localhost",
            f"DocumentRoot {self.docroot}",
            "<Directory />", "  AllowOverride None", "  Require all denied", "</Directory>",
            f"<Directory {self.docroot}>", "  AllowOverride All", "  Options FollowSymLinks",
            "  Require all granted", "</Directory>",
        ]
        if root:
            lines += ["User nobody", "Group nogroup"]
        return "\n".join(lines) + "\n# --- case config\n" + case_config

    def nginx_conf(self, case_config):
        t = self.tmp
        return f"""daemon on;
pid {self.pidfile};
error_log {t}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {t}/client_body;
  proxy_temp_path {t}/proxy;
  fastcgi_temp_path {t}/fastcgi;
  uwsgi_temp_path {t}/uwsgi;
  scgi_temp_path {t}/scgi;
  root {self.docroot};
# --- case config
{case_config}
}}
"""


def run_trace(redirlint, kind, server, case, requests):
    """tsv lines of `redirlint trace` for the requests (grouped by extra headers)."""
    results = {}
    groups = {}
    for req in requests:
        groups.setdefault(tuple(req[3]), []).append(req)
    for headers, reqs in groups.items():
        urls = os.path.join(server.tmp, "urls.txt")
        with open(urls, "w", encoding="utf-8") as f:
            for _, method, url, _ in reqs:
                f.write(f"{method} {url}\n")
        cmd = [redirlint, "trace", "--output", "tsv", "--port", str(server.port), "--urls", urls]
        if kind == "htaccess":
            cmd += ["--format", "htaccess", "--htaccess-dir", case.htaccess[0]]
        else:
            cmd += ["--format", kind]
        cmd += ["--document-root", server.docroot]
        for p in case.files:
            cmd += ["--dir" if p.endswith("/") else "--file", p.rstrip("/") if p != "/" else p]
        for k, v in headers:
            cmd += ["--header", f"{k}: {v}"]
        cmd.append(server.rules_path)
        r = subprocess.run(cmd, capture_output=True, text=True, errors="surrogateescape")
        lines = [l for l in r.stdout.split("\n") if l]
        if len(lines) != len(reqs):
            for req in reqs:
                results[req[0]] = ("trace-error", r.stderr.strip()[:300] or f"exit {r.returncode}")
            continue
        for req, line in zip(reqs, lines):
            cols = line.split("\t")
            results[req[0]] = (cols[2], cols[3]) if len(cols) == 4 else ("trace-error", line)
    return results


def agree(server_result, trace_result):
    status, location = server_result
    t_status, t_location = trace_result
    if t_status == "-":
        return status in ("404", "200") and location == "-"
    return status == t_status and location == t_location


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, choices=["apache", "htaccess", "nginx"])
    ap.add_argument("--redirlint")
    ap.add_argument("--case")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--server-only", action="store_true")
    args = ap.parse_args()

    binary = NGINX if args.server == "nginx" else APACHE
    if not os.path.exists(binary):
        print(f"skipped: {binary} not installed")
        return 77
    case_dir = os.path.join(HERE, "cases", args.server)
    names = sorted(n for n in os.listdir(case_dir) if n.endswith(".case")) if os.path.isdir(case_dir) else []
    if args.case:
        names = [n for n in names if n == args.case + ".case"]
    passed = failed = 0
    stopping = []  # (server, temp dir): servers shut down in parallel, waited for at the end
    try:
        passed, failed = run_cases(args, case_dir, names, stopping)
    finally:
        for server, tmp in stopping:
            server.stop()
            if not args.keep:
                shutil.rmtree(tmp, ignore_errors=True)
    if not args.server_only:
        print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def run_cases(args, case_dir, names, stopping):
    passed = failed = 0
    for name in names:
        case = Case(os.path.join(case_dir, name))
        tmp = tempfile.mkdtemp(prefix=f"rl-diff-{case.name}-")
        server = Server(args.server, case, tmp)
        try:
            try:
                server.start()
                answers = {n: send(server.port, m, u, h) for n, m, u, h in case.requests}
            except Exception as e:  # a case that cannot run is a failure of every request in it
                print(f"FAIL {name}: {e}")
                failed += len(case.requests) or 1
                continue
            finally:
                server.signal_stop()  # it shuts down while trace runs; stop() below waits for it
            if args.server_only:
                for n, m, u, _ in case.requests:
                    print(f"{name}:{n}\t{m}\t{u}\t{answers[n][0]}\t{answers[n][1]}")
                continue
            traced = run_trace(args.redirlint, args.server, server, case, case.requests)
            for n, m, u, h in case.requests:
                got = traced.get(n, ("trace-error", "no line"))
                if agree(answers[n], got):
                    passed += 1
                else:
                    failed += 1
                    extra = "".join(f" | {k}: {v}" for k, v in h)
                    print(f"FAIL {name}:{n} {m} {u}{extra}: server={answers[n][0]} {answers[n][1]}"
                          f"  trace={got[0]} {got[1]}")
        finally:
            server.signal_stop()
            stopping.append((server, tmp))
            if args.keep:
                print(f"kept {tmp}")
    return passed, failed


if __name__ == "__main__":
    sys.exit(main())
