#!/usr/bin/env python3
"""The servers' own refusals (issue 20), checked against real apache2 / nginx (throw-away instances
of tests/differential on 127.0.0.1) next to redirlint's verdict on the same bytes.

usage: server_refusals.py REDIRLINT        exit 77 (skip) when apache2 or nginx is not installed.
Evidence recorded 2026-12-07 (apache2 2.4, nginx 1.22):
  .htaccess starting with a BOM -> 500, "Invalid command '\\xef\\xbb\\xbfRedirect'"
  apache2 -t, config with a BOM -> "Invalid command '\\xef\\xbb\\xbfRedirect'", exit 1
  .htaccess with lone CR endings -> 500 "Redirect takes one, two or three arguments"
     (RewriteEngine On<CR>RewriteRule ... -> 200: the rule is never applied)
  nginx -t, file with a BOM -> [emerg] unknown directive "\\ufeffserver", exit 1
  nginx -t, lone CR endings -> syntax is ok (CR is whitespace to nginx)
  nginx -t, include in conf/../sites/site.conf of snippets/x.conf -> opens conf/snippets/x.conf
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "differential"))
import run as D  # noqa: E402

REDIRLINT = os.path.abspath(sys.argv[1])
BOM = b"\xef\xbb\xbf"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def server(kind):
    tmp = tempfile.mkdtemp(prefix="rl-refusal-")
    s = D.Server.__new__(D.Server)
    s.tmp, s.port, s.docroot, s.pidfile = tmp, D.free_port(), tmp + "/htdocs", tmp + "/server.pid"
    os.makedirs(s.docroot)
    return s


def apache_t(case):
    s = server("apache")
    with open(s.tmp + "/case.conf", "wb") as f:
        f.write(case)
    with open(s.tmp + "/httpd.conf", "wb") as f:
        f.write(s.apache_conf("").encode() + b"Include " + s.tmp.encode() + b"/case.conf\n")
    r = subprocess.run([D.APACHE, "-d", s.tmp, "-f", s.tmp + "/httpd.conf", "-t"], capture_output=True)
    return r.returncode, r.stderr.decode("utf-8", "backslashreplace"), s.tmp + "/case.conf"


def apache_htaccess(ht):
    s = server("htaccess")
    with open(s.tmp + "/httpd.conf", "w") as f:
        f.write(s.apache_conf(""))
    with open(s.docroot + "/.htaccess", "wb") as f:
        f.write(ht)
    with open(s.docroot + "/a", "w") as f:
        f.write("ok\n")
    for root, _, files in os.walk(s.tmp):
        os.chmod(root, 0o755)
        for n in files:
            os.chmod(os.path.join(root, n), 0o644)
    subprocess.run([D.APACHE, "-d", s.tmp, "-f", s.tmp + "/httpd.conf", "-k", "start"], check=True)
    D.wait_port(s.port)
    try:
        status, _ = D.send(s.port, "GET", "http://localhost/a", [])
    finally:
        time.sleep(0.2)
        s.signal_stop()
        s.stop()
    return status, s.docroot + "/.htaccess"


def nginx_t(case):
    s = server("nginx")
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        os.makedirs(os.path.join(s.tmp, d), exist_ok=True)
    with open(s.tmp + "/case.conf", "wb") as f:
        f.write(case)
    with open(s.tmp + "/nginx.conf", "w") as f:
        f.write(s.nginx_conf("include case.conf;"))
    r = subprocess.run([D.NGINX, "-p", s.tmp + "/", "-c", s.tmp + "/nginx.conf", "-e", s.tmp + "/error.log", "-t"],
                       capture_output=True)
    return r.returncode, r.stderr.decode("utf-8", "backslashreplace"), s.tmp + "/case.conf"


def redirlint(path, fmt):
    r = subprocess.run([REDIRLINT, "check", "--format", fmt, path], capture_output=True, timeout=60)
    return r.returncode, (r.stdout + r.stderr).decode("utf-8", "replace")


def agree(what, server_refuses, path, fmt, needle):
    rc, out = redirlint(path, fmt)
    refuses = rc == 2 and needle in out
    if refuses != server_refuses:
        fail(f"{what}: server refuses={server_refuses}, redirlint exit {rc}:\n{out}")


def main():
    if not (os.path.exists(D.APACHE) and os.path.exists(D.NGINX)):
        print("SKIP: apache2 or nginx not installed")
        return 77
    rc, err, p = apache_t(BOM + b"Redirect 301 /a /b\n")
    agree("apache -t BOM", rc != 0 and "Invalid command" in err, p, "apache", "byte order mark")
    rc, err, p = apache_t(b"Redirect 301 /a /b\rRedirect 301 /c /d\r")
    agree("apache -t lone CR", rc != 0, p, "apache", "lone CR")
    st, p = apache_htaccess(BOM + b"Redirect 301 /a /b\n")
    agree(".htaccess BOM", st == "500", p, "htaccess", "byte order mark")
    st, p = apache_htaccess(b"Redirect 301 /a /b\rRedirect 301 /c /d\r")
    agree(".htaccess lone CR", st == "500", p, "htaccess", "lone CR")
    st, p = apache_htaccess(b"Redirect 301 /a /b\r\n")
    agree(".htaccess CRLF", st != "301", p, "htaccess", "RL001")
    rc, err, p = nginx_t(BOM + b"server { listen 18999; location = /a { return 301 /b; } }\n")
    agree("nginx BOM", rc != 0 and "unknown directive" in err, p, "nginx", "byte order mark")
    rc, err, p = nginx_t(b"server {\rlisten 18999;\rlocation = /a { return 301 /b; }\r}\r")
    agree("nginx lone CR", rc != 0, p, "nginx", "RL001")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


sys.exit(main())
