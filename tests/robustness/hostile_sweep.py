#!/usr/bin/env python3
"""hostile_sweep.py REDIRLINT: every command that reads rules (check, dump, graph, trace, convert, test,
lsp) on every hostile input of one table: binary junk, a UTF-8 BOM, lone CR line endings, /dev/zero, a
named pipe with no writer, a line over --max-line-bytes (the 100 MB line's path, small), unbalanced
blocks, includes outside the tree. Each row asserts the exit code of DESIGN.md §7, a message naming the
file and what is wrong, that the next file is still read (commands that take several), that no byte of
the outside file is quoted, that no file changed, and a bounded time (issue 20).
"""
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REDIRLINT = os.path.abspath(sys.argv[1])
TIMEOUT = 20  # seconds; each command takes well under one: reaching it is a hang (a FIFO blocked before)
SECRET = "hunter2-not-a-config"
BOM = b"\xef\xbb\xbf"

# name -> (bytes or None for special files, message every command must print for it)
INPUTS = {
    "junk.conf": (bytes(range(256)) * 2, "lone CR line ending"),
    "bom.htaccess": (BOM + b"Redirect 301 /a /b\n", "byte order mark"),
    "bom_nginx.conf": (BOM + b"server {\n listen 80;\n location = /a { return 301 /b; }\n}\n", "byte order mark"),
    "cr.htaccess": (b"Redirect 301 /a /b\rRedirect 301 /b /c\r", "lone CR line ending"),
    "unbalanced_nginx.conf": (b"server {\n listen 80;\n location = /a { return 301 /b;\n", 'block "server" is not closed'),
    "unbalanced.conf": (b"<VirtualHost *:80>\nRedirect 301 /a /b\n", "<VirtualHost> section is never closed"),
    "long.conf": (b"Redirect 301 /a /" + b"x" * 600 + b"\n", "over the limit; file not read (limit max-line-bytes is 500"),
    "/dev/zero": (None, "is a character device, not a regular file"),
    "fifo.conf": (None, "is a named pipe (FIFO) that no program wrote to within 2 s"),
}
# Includes that leave the checked file's folder: named, never read, never quoted (info, not an error).
OUTSIDE = ("site/outside_nginx.conf",
           b"server {\n listen 80;\n include ../secret/env;\n include /etc/shadow;\n"
           b" location = /a { return 301 /b; }\n}\n",
           'is outside "')
GOOD = ("good.conf", b"Redirect /flawed /elsewhere\n")  # RL101: its finding proves it was read

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def digest(d):
    h = hashlib.sha256()
    for base, dirs, names in sorted(os.walk(d)):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(base, n)
            h.update(p.encode())
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


def run(args, cwd, stdin=None):
    start = time.monotonic()
    try:
        r = subprocess.run([REDIRLINT] + args, cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail(f"redirlint {' '.join(args)}: no answer in {TIMEOUT} s")
        return None, TIMEOUT
    return r, time.monotonic() - start


def expect(label, args, cwd, code, contains, next_file=False):
    before = digest(cwd)
    r, took = run(args, cwd)
    if r is None:
        return
    out = (r.stdout + r.stderr).decode("utf-8", "replace")
    bad = []
    if r.returncode != code:
        bad.append(f"exit {r.returncode}, expected {code}")
    for c in contains:
        if c not in out:
            bad.append(f"no {c!r}")
    if next_file and "[RL101]" not in out:
        bad.append("the next file (good.conf) was not read")
    if SECRET in out or "root:" in out:
        bad.append("quotes a file outside the tree")
    if digest(cwd) != before:
        bad.append("changed files")
    if took > 5:
        bad.append(f"took {took:.1f} s")
    if bad:
        fail(f"{label}: {'; '.join(bad)}\n{out[-800:]}")


def lsp_session(d):
    """One LSP session opening every hostile text: a diagnostic each, no crash, nothing quoted from outside."""
    def msg(o):
        b = json.dumps(o).encode()
        return b"Content-Length: %d\r\n\r\n" % len(b) + b
    def text(b):
        try:
            return b.decode("utf-8")  # the BOM as U+FEFF, as an editor sends it
        except UnicodeDecodeError:
            return b.decode("latin-1")
    docs = {n: text(t) for n, (t, _) in INPUTS.items() if t is not None}
    docs[OUTSIDE[0]] = OUTSIDE[1].decode()
    data = msg({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://" + d, "capabilities": {}}})
    data += msg({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    for n, t in docs.items():
        data += msg({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": "file://" + os.path.join(d, n), "languageId": "redirects", "version": 1, "text": t}}})
    data += msg({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + msg({"jsonrpc": "2.0", "method": "exit"})
    r, took = run(["lsp"], d, stdin=data)
    if r is None:
        return
    out = r.stdout.decode("utf-8", "replace")
    if r.returncode != 0:
        fail(f"lsp: exit {r.returncode}: {r.stderr[-400:]}")
    if SECRET in out or "root:" in out:
        fail("lsp: quotes a file outside the tree")
    got = {}
    for part in out.split("Content-Length: ")[1:]:
        o = json.loads(part[part.index("{"):])
        if o.get("method") == "textDocument/publishDiagnostics":
            got[o["params"]["uri"]] = [x["message"] for x in o["params"]["diagnostics"]]
    for n in docs:
        want = OUTSIDE[2] if n == OUTSIDE[0] else INPUTS[n][1]
        if n == "long.conf":
            continue  # the LSP keeps the default line limit (1 MiB): the 600-byte line is read
        msgs = got.get("file://" + os.path.join(d, n), [])
        if not any(want in m for m in msgs):
            fail(f"lsp: {n}: no diagnostic with {want!r}: {msgs[:3]}")


def main():
    d = tempfile.mkdtemp(prefix="rl-sweep-")
    try:
        os.makedirs(os.path.join(d, "site"))
        os.makedirs(os.path.join(d, "secret"))
        with open(os.path.join(d, "secret/env"), "w") as f:
            f.write(SECRET + "\n")
        for n, (t, _) in INPUTS.items():
            if t is not None:
                with open(os.path.join(d, n), "wb") as f:
                    f.write(t)
        os.mkfifo(os.path.join(d, "fifo.conf"))
        for n, t in (OUTSIDE[:2], GOOD):
            with open(os.path.join(d, n), "wb") as f:
                f.write(t)
        limit = ["--max-line-bytes", "500"]
        rows = [(n, msg, 2) for n, (_, msg) in INPUTS.items()] + [(OUTSIDE[0], OUTSIDE[2], None)]
        jobs = []  # (label, args, exit code, messages, next file read)
        for i, (name, message, code) in enumerate(rows):
            want = [message, name + ":"]
            # Several files: the error, and the next file still read (exit 2 wins over findings).
            for cmd in ("check", "dump", "graph"):
                jobs.append((f"{cmd} {name}", [cmd] + limit + [name, GOOD[0]], 2 if code else 1 if cmd == "check" else 0,
                             want, cmd == "check"))
            jobs.append((f"trace {name}", ["trace"] + limit + [name, "/a"], code if code else 0, want, False))
            jobs.append((f"convert {name}", ["convert", "--to", "yaml"] + limit + [name], code if code else 1, want, False))
            if name != "long.conf":  # `test` has no limit options: its rules get the defaults
                with open(os.path.join(d, f"suite{i}.yaml"), "w") as f:
                    f.write(f"rules: {name}\ncases:\n  - request: /a\n    status: 301\n")
                jobs.append((f"test (rules: {name})", ["test", f"suite{i}.yaml"], code if code else 0, want, False))
        # The suite itself hostile.
        for name, message in (("junk.conf", "a test suite is a map"), ("/dev/zero", "is a character device"),
                              ("fifo.conf", "is a named pipe (FIFO) that no program wrote to"), ("site", "is a directory")):
            jobs.append((f"test {name}", ["test", name], 2, [message], False))
        # In parallel: the rows on the pipe each wait the 2 s redirlint gives a writer.
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda j: expect(j[0], j[1], d, j[2], j[3], next_file=j[4]), jobs))
        lsp_session(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok: 7 commands x 10 hostile inputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
