#!/usr/bin/env python3
"""Format detection (issue 16) and input robustness (issue 20): every file read as what it is, every
read bounded while reading, every unreadable input reported (exit 2, DESIGN §7), includes confined.

usage: inputs.py REDIRLINT TEST    TEST: detect | bounded | includes | refusals | walk | commands
Each command runs under a 1 GiB address-space limit and a time limit; the files given are checked to
be unchanged afterwards.
"""
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile

REDIRLINT = os.path.abspath(sys.argv[1])
TEST = sys.argv[2]
TIMEOUT = 60
MEM = 1 << 30
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


# AddressSanitizer reserves terabytes of shadow address space at start-up, so an address-space limit
# kills every sanitized run before main(). The sanitized suite (tests/fuzz/asan_test.sh, which sets
# ASAN_OPTIONS) runs without it and keeps the timeout; the normal build enforces the 1 GiB bound.
SANITIZED = "ASAN_OPTIONS" in os.environ


def limit_memory():
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (MEM, MEM))


def run(args, cwd, stdin=None, preexec=limit_memory, user=None):
    cmd = [REDIRLINT] + args
    if user:
        cmd = ["setpriv", "--reuid", user, "--regid", user, "--clear-groups"] + cmd
    try:
        r = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT, preexec_fn=preexec)
    except subprocess.TimeoutExpired:
        fail(f"redirlint {' '.join(args)}: no answer in {TIMEOUT} s")
        return None
    return r


def expect(args, cwd, code, contains=(), absent=(), stdin=None, user=None):
    before = digest(cwd)
    r = run(args, cwd, stdin=stdin, user=user)
    if r is None:
        return None
    if digest(cwd) != before:
        fail(f"redirlint {' '.join(args)} changed files under {cwd}")
    out = (r.stdout + r.stderr).decode("utf-8", "replace")
    if r.returncode != code:
        fail(f"redirlint {' '.join(args)}: exit {r.returncode}, expected {code}\n{out[-1500:]}")
    for c in contains:
        if c not in out:
            fail(f"redirlint {' '.join(args)}: output lacks {c!r}\n{out[-1500:]}")
    for c in absent:
        if c in out:
            fail(f"redirlint {' '.join(args)}: output has {c!r}\n{out[-1500:]}")
    return r


def write(d, name, data):
    p = os.path.join(d, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return p


def digest(d):
    h = {}
    for root, _, files in os.walk(d):
        if len(files) > 2000:
            continue
        for n in files:
            p = os.path.join(root, n)
            if os.path.isfile(p) and not os.path.islink(p) and os.access(p, os.R_OK):
                with open(p, "rb") as f:
                    h[p] = hashlib.sha256(f.read()).hexdigest()
    return h


ONE_LINE_NGINX = "".join(f"location = /old/{i} {{ return 301 /new/{i}; }}\n" for i in range(82))
QUOTED_HTML = ("server {\n    listen 80;\n    location /busy {\n        return 429 '<html>\n<head><title>busy</title></head>\n"
               "<body>\n<h1>Too many requests</h1>\n</body>\n</html>\n';\n    }\n"
               "    location = /a { return 302 /b; }\n}\n")
NETLIFY = "/old /new 301\n/blog/* /posts/:splat 301\n/flawed /elsewhere 302\n"
YAML = "version: 1\nredirects:\n  - from: /flawed\n    to: /elsewhere\n    status: 302\n"
APACHE = "RewriteEngine On\nRedirect /flawed /elsewhere\n"


def dump_format(d, args, stdin=None):
    r = run(["dump"] + args, d, stdin=stdin)
    if r is None or r.returncode not in (0, 1):
        fail(f"dump {args}: exit {r and r.returncode}: {r and r.stderr.decode()[-500:]}")
        return None, 0
    import json
    doc = json.loads(r.stdout)
    sets = doc if isinstance(doc, list) else doc.get("files", doc.get("rule_sets", [doc]))
    s = sets[0] if isinstance(sets, list) else sets
    return s.get("format"), len(s.get("rules", []))


def test_detect(d):
    write(d, "sites.conf", ONE_LINE_NGINX)
    # 82 one-line location blocks in a *.conf: nginx, every rule read (RL104 on none: all 301).
    expect(["check", "--output", "json", "sites.conf"], d, 0, contains=['"diagnostics"'])
    fmt, n = dump_format(d, ["sites.conf"])
    if fmt != "nginx" or n != 82:
        fail(f"one-line nginx read as {fmt} with {n} rules (expected nginx, 82)")
    write(d, "busy.conf", QUOTED_HTML)
    fmt, n = dump_format(d, ["busy.conf"])
    if fmt != "nginx" or n != 2:
        fail(f"nginx with quoted HTML read as {fmt} with {n} rules (expected nginx, 2)")
    expect(["check", "busy.conf"], d, 0, contains=["busy.conf:12:"], absent=["RL001"])
    for name in ("_redirects.base", "_redirects.prod", "docs_redirects"):
        write(d, name, NETLIFY)
        fmt, n = dump_format(d, [name])
        if fmt != "netlify" or n != 3:
            fail(f"{name} read as {fmt} with {n} rules (expected netlify, 3)")
        expect(["check", name], d, 0, contains=["RL104"], absent=["RL001"])
    # stdin of each format, by content and by --stdin-filename.
    for text, want in ((ONE_LINE_NGINX, "nginx"), (QUOTED_HTML, "nginx"), (NETLIFY, "netlify"), (YAML, "yaml"),
                       (APACHE, "apache")):
        fmt, n = dump_format(d, ["-"], stdin=text.encode())
        if fmt != want or n == 0:
            fail(f"stdin of {want} read as {fmt} with {n} rules")
    fmt, _ = dump_format(d, ["--stdin-filename", "site/.htaccess", "-"], stdin=APACHE.encode())
    if fmt != "htaccess":
        fail(f"--stdin-filename site/.htaccess read as {fmt}")
    expect(["check", "--stdin-filename", "site/_redirects", "-"], d, 0, contains=["site/_redirects:3:"],
           stdin=NETLIFY.encode())
    # Nothing the chosen format recognises: an error that names the format it looks like.
    expect(["check", "--format", "apache", "sites.conf"], d, 2,
           contains=["no apache directive recognised", "looks like nginx", "--format nginx"], absent=["no problems"])
    write(d, "prose.conf", "this is not a configuration file at all,\njust words.\n")
    expect(["check", "prose.conf"], d, 2, contains=["no apache directive recognised"], absent=["no problems"])
    expect(["check", "-"], d, 2, contains=["cannot tell the format"], stdin=b"just words\n")


def test_bounded(d):
    flawed = write(d, "flawed.conf", "Redirect /flawed /elsewhere\n")
    # A device is refused without reading a byte; the next file is still read.
    expect(["check", "--format", "apache", "/dev/zero", "flawed.conf"], d, 2,
           contains=["/dev/zero", "character device", "RL101"])
    expect(["trace", "--format", "nginx", "/dev/zero", "/a"], d, 2, contains=["character device"])
    # A FIFO with endless data stops at --max-file-bytes while reading.
    fifo = os.path.join(d, "endless.conf")
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"yes 'Redirect 301 /a /b' > {fifo}"], stderr=subprocess.DEVNULL)
    try:
        expect(["check", "--max-file-bytes", "1000000", "endless.conf", "flawed.conf"], d, 2,
               contains=["over the limit", "max-file-bytes", "RL101"])
    finally:
        writer.kill()
        writer.wait()
    # 300 MB on stdin under a 1 GiB address space: refused at the limit, not read whole.
    big = b"Redirect 301 /a /b\n" * (16 << 20)
    expect(["check", "--format", "apache", "--max-file-bytes", "1000000", "-"], d, 2,
           contains=["over the limit"], stdin=big)
    # --config, --urls and a test suite: devices and directories refused with a message.
    expect(["check", "--config", "/dev/zero", "flawed.conf"], d, 3, contains=["cannot read config file"])
    os.mkdir(os.path.join(d, "cfgdir"))
    expect(["check", "--config", "cfgdir", "flawed.conf"], d, 3, contains=["cannot read config file", "directory"])
    expect(["trace", "--urls", "/dev/zero", "flawed.conf"], d, 3, contains=["character device"])
    expect(["test", "cfgdir"], d, 2, contains=["cannot read the test suite", "directory"])
    expect(["test", "/dev/zero"], d, 2, contains=["cannot read the test suite"])
    write(d, "suite.yaml", "rules: /dev/zero\nformat: apache\ncases:\n  - request: /a\n    status: 301\n")
    expect(["test", "suite.yaml"], d, 2, contains=["character device"])


def test_includes(d):
    proj = os.path.join(d, "proj")
    write(d, "secret/env", "SECRET_TOKEN=hunter2\n")
    write(proj, "site.conf", "server {\n    listen 80;\n    include ../secret/env;\n    include /etc/passwd;\n"
                             "    include d/*;\n    include missing.conf;\n    location = /a { return 302 /b; }\n}\n")
    os.makedirs(os.path.join(proj, "d", "sub"))
    write(proj, "d/one.conf", "location = /one { return 301 /two; }\n")
    for out in ("gcc", "json", "sarif"):
        r = expect(["check", "--output", out, "site.conf"], proj, 2,
                   contains=["outside", "--include-root", "is a directory"], absent=["hunter2", "root:x:0", "SECRET"])
    r = run(["check", "site.conf"], proj)
    text = r.stdout.decode() + r.stderr.decode()
    if text.count("missing.conf") != 1:
        fail(f"'not found' reported {text.count('missing.conf')} times, expected once\n{text}")
    # --include-root widens the tree; the include then reads the file (still never quoting it as a message).
    expect(["check", "--include-root", d, "site.conf"], proj, 2, contains=["outside", "/etc/passwd"],
           absent=["../secret/env\" is outside"])
    # nginx resolves relative includes against its configuration directory (--nginx-prefix).
    write(d, "etc/nginx/snippets/r.conf", "location = /s { return 302 /t; }\n")
    write(d, "etc/nginx/sites-enabled/s.conf", "server {\n  listen 80;\n  include snippets/r.conf;\n}\n")
    expect(["check", "sites-enabled/s.conf"], os.path.join(d, "etc/nginx"), 0, contains=["not found", "--nginx-prefix"])
    expect(["check", "--nginx-prefix", ".", "sites-enabled/s.conf"], os.path.join(d, "etc/nginx"), 0,
           contains=["RL104"], absent=["not found"])
    # A glob of more than 10,000 files names the limit hit, not the nesting depth.
    many = os.path.join(d, "many")
    os.makedirs(os.path.join(many, "m"))
    for i in range(10005):
        with open(os.path.join(many, "m", f"{i:05}.conf"), "w") as f:
            f.write("")
    write(many, "top.conf", "server {\n  listen 80;\n  include m/*.conf;\n}\n")
    expect(["check", "top.conf"], many, 2, contains=["more than 10000 included files", "5 file(s)"],
           absent=["nested too deep"])


def test_refusals(d):
    bom = b"\xef\xbb\xbf"
    write(d, "bom/.htaccess", bom + b"Redirect 301 /a /b\n")
    expect(["check", "bom/.htaccess"], d, 2, contains=["byte order mark", "500"], absent=["no problems"])
    expect(["trace", "bom/.htaccess", "/a"], d, 2, contains=["byte order mark"])
    write(d, "bom.conf", bom + b"server {\n  listen 80;\n  location = /a { return 301 /b; }\n}\n")
    expect(["check", "bom.conf"], d, 2, contains=["byte order mark", "nginx"])
    expect(["convert", "--to", "apache", "bom.conf"], d, 2, contains=["byte order mark"])
    write(d, "cr/.htaccess", b"Redirect 301 /a /b\rRedirect 301 /c /d\r")
    expect(["check", "cr/.htaccess"], d, 2, contains=["lone CR"], absent=["RL201"])
    # CRLF stays fine; nginx accepts lone CRs (whitespace to it).
    write(d, "crlf/.htaccess", b"Redirect 301 /a /b\r\n")
    expect(["check", "crlf/.htaccess"], d, 0)
    write(d, "cr.conf", b"server {\rlisten 80;\rlocation = /a { return 301 /b; }\r}\r")
    expect(["check", "cr.conf"], d, 0, absent=["lone CR"])


def test_walk(d):
    tree = os.path.join(d, "tree")
    write(tree, "a/one.conf", "Redirect 301 /a /b\n")
    write(tree, "closed/two.conf", "Redirect /flawed /elsewhere\n")
    write(tree, "z/three.conf", "Redirect 301 /c /d\n")
    os.chmod(d, 0o755)
    for root, dirs, files in os.walk(tree):
        os.chmod(root, 0o755)
        for n in files:
            os.chmod(os.path.join(root, n), 0o644)
    os.chmod(os.path.join(tree, "closed"), 0o000)
    try:
        probe = subprocess.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", "true"],
                               capture_output=True)
        if probe.returncode != 0 and os.geteuid() == 0:
            print("SKIP walk: cannot drop privileges")
            return 77
        user = "nobody" if os.geteuid() == 0 else None
        if user is None and os.access(os.path.join(tree, "closed"), os.R_OK):
            print("SKIP walk: directory permissions are not enforced")
            return 77
        cmd = ["check", tree]
        if user:
            r = subprocess.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", REDIRLINT] + cmd,
                               capture_output=True, timeout=TIMEOUT, preexec_fn=limit_memory)
        else:
            r = run(cmd, d)
        out = (r.stdout + r.stderr).decode()
        if r.returncode != 2 or "cannot read directory" not in out or "closed" not in out or "/z/three.conf" not in out \
                and "three.conf" not in out:
            if "no problems" in out or r.returncode != 2:
                fail(f"walk with an unreadable folder: exit {r.returncode}\n{out}")
    finally:
        os.chmod(os.path.join(tree, "closed"), 0o755)
    return 0


def test_commands(d):
    write(d, "rules/a.conf", "Redirect 301 /a /b\n")
    write(d, "rules/b.conf", "Redirect 301 /c /d\n")
    expect(["trace", "rules", "/a"], d, 3, contains=["is a directory", "one rules file"])
    write(d, "broken.conf", "server {\n  location = /a { return 301 /b; }\n")
    r = expect(["graph", "broken.conf"], d, 2, contains=["broken.conf:"])


def main():
    d = tempfile.mkdtemp(prefix="rl-inputs-")
    os.chmod(d, 0o755)
    rc = 0
    try:
        fn = globals()["test_" + TEST]
        rc = fn(d) or 0
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return rc


sys.exit(main())
