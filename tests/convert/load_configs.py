#!/usr/bin/env python3
"""The generated nginx and Apache configs load in the real servers: every rules file (samples,
tests/convert fixtures, the shared corpus when present) converted to nginx, apache and htaccess,
checked with `nginx -t` / `apache2 -t` on a private config in a temp dir (never the system one).
Same-format output keeps the source's own context (a whole nginx.conf, a fragment) and is covered by
tests/roundtrip instead. A .htaccess output is checked inside a <Directory> section (the same directives, parsed at start).
usage: load_configs.py REDIRLINT DIR...   exit 77 when a server binary is missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
MODS = "/usr/lib/apache2/modules"
EXTS = (".conf", ".htaccess", ".txt", ".yaml", ".yml", ".redirects", "_redirects", ".config")


def nginx_ok(tmp, text):
    conf = os.path.join(tmp, "nginx.conf")
    with open(os.path.join(tmp, "converted.conf"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    with open(conf, "w") as f:
        f.write(f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\nhttp {{\n"
                f"  access_log off;\n  client_body_temp_path {tmp}/cb;\n  proxy_temp_path {tmp}/px;\n"
                f"  fastcgi_temp_path {tmp}/fc;\n  uwsgi_temp_path {tmp}/uw;\n  scgi_temp_path {tmp}/sc;\n"
                f"  include {tmp}/converted.conf;\n}}\n")
    r = subprocess.run([NGINX, "-t", "-q", "-p", tmp + "/", "-c", conf, "-e", f"{tmp}/error.log"],
                       capture_output=True, text=True)
    return r.returncode == 0, r.stderr.strip()


def apache_ok(tmp, text, htaccess):
    with open(os.path.join(tmp, "converted.conf"), "w", encoding="utf-8", errors="surrogateescape") as f:
        if htaccess:
            f.write(f"<Directory {tmp}/htdocs>\n{text}\n</Directory>\n")
        else:
            f.write(text)
    conf = os.path.join(tmp, "httpd.conf")
    mods = "".join(f"LoadModule {m}_module {MODS}/mod_{m}.so\n" for m in ("mpm_prefork", "authz_core", "alias", "rewrite"))
    with open(conf, "w") as f:
        f.write(f'ServerRoot "{tmp}"\n{mods}Listen 127.0.0.1:1\nPidFile {tmp}/httpd.pid\nErrorLog {tmp}/error.log\n'
                f"ServerName localhost\nDocumentRoot {tmp}/htdocs\nInclude {tmp}/converted.conf\n")
    os.makedirs(os.path.join(tmp, "htdocs"), exist_ok=True)
    r = subprocess.run([APACHE, "-t", "-d", tmp, "-f", conf], capture_output=True, text=True)
    return r.returncode == 0, (r.stderr + r.stdout).strip()


def main():
    binary = sys.argv[1]
    if not os.path.exists(NGINX) or not os.path.exists(APACHE):
        print("skipped: nginx or apache2 not installed")
        return 77
    loaded = failed = 0
    for d in [x for x in sys.argv[2:] if os.path.isdir(x)]:
        for root, dirs, names in os.walk(d):
            dirs[:] = sorted(x for x in dirs if not x.startswith("."))
            for n in sorted(names):
                if not n.endswith(EXTS):
                    continue
                path = os.path.join(root, n)
                d = subprocess.run([binary, "dump", path], capture_output=True, text=True, errors="replace")
                source = d.stdout.split('"format": "', 1)[1].split('"', 1)[0] if '"format": "' in d.stdout else ""
                for to in ("nginx", "apache", "htaccess"):
                    if to == source:
                        continue  # same format keeps the source's own context (whole file or fragment)
                    c = subprocess.run([binary, "convert", "--to", to, path], capture_output=True,
                                       text=True, errors="surrogateescape")
                    if c.returncode not in (0, 1):
                        continue  # does not parse: nothing to load
                    with tempfile.TemporaryDirectory(prefix="rl-load-") as tmp:
                        ok, err = nginx_ok(tmp, c.stdout) if to == "nginx" else apache_ok(tmp, c.stdout, to == "htaccess")
                    if ok:
                        loaded += 1
                    else:
                        failed += 1
                        print(f"FAIL {path} --to {to}: {err[-400:]}")
    print(f"load: {loaded} generated configs load, {failed} fail")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
