#!/usr/bin/env python3
"""Small inputs that used to be taken in silence (issue 20), each with its exit code, its message and
a bound on time and memory:
- YAML duplicate keys: a rule file's second `redirects:` / `defaults:` / key inside `defaults` is an
  RL001 error at its line:col naming the first one (exit 2; the second is not read); the same in
  `.redirlint.yaml` (exit 3, usage) and in a `redirlint test` suite (exit 2);
- `--today` that is not a real date YYYY-MM-DD: exit 3 with the value in the message; the LSP
  `today` option likewise refused with a window/showMessage;
- LSP framing: a Content-Length of 10^12, negative, missing or not a number, a 64 MiB header line,
  a header without body, invalid JSON: answered (id null, the reason) or, for a cut-off stream,
  refused on stderr, with exit 1, in under 5 s and 64 MiB of peak RSS each.
usage: small_inputs.py REDIRLINT"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

FAILS = []
RSS_BOUND_KB = 64 * 1024


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


def measured(exe, args, data, cwd=None):
    """(exit code, stdout, stderr, seconds, peak RSS in KiB) of one run fed `data` on stdin."""
    start = time.monotonic()
    p = subprocess.Popen([exe] + args, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = {}

    def pump(name, stream):
        got[name] = stream.read()

    readers = [threading.Thread(target=pump, args=(n, s)) for n, s in (("out", p.stdout), ("err", p.stderr))]
    for t in readers:
        t.start()
    try:
        # Chunks, so this process never holds a big input (a fork would count its pages as the child's peak).
        for chunk in ([data] if isinstance(data, bytes) else data):
            p.stdin.write(chunk)
    except BrokenPipeError:
        pass
    p.stdin.close()
    for t in readers:
        t.join(timeout=30)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, got.get("out", b""), got.get("err", b"").decode(errors="replace"), \
        time.monotonic() - start, usage.ru_maxrss


def frames(wire):
    """The JSON bodies in an LSP output stream."""
    out = []
    while wire:
        head, _, rest = wire.partition(b"\r\n\r\n")
        n = int(head.split(b":")[1])
        out.append(json.loads(rest[:n]))
        wire = rest[n:]
    return out


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INIT = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
MIB = b"a" * (1 << 20)
SHUTDOWN = frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + frame({"jsonrpc": "2.0", "method": "exit"})


def lsp_framing(exe):
    since = len(FAILS)
    cases = [
        # (name, wire, the refusal in the answer or "" for none, stderr words, exit code)
        ("Content-Length 10^12 and no body", b"Content-Length: 1000000000000\r\n\r\n",
         "a message of 1000000000000 bytes, over the limit of 67108864 bytes", "refused a message of", 1),
        ("negative Content-Length", INIT + b"Content-Length: -12\r\n\r\n" + SHUTDOWN,
         "invalid Content-Length \"-12\"", "refused invalid Content-Length", 0),
        ("non-numeric Content-Length", INIT + b"Content-Length: 0x10\r\n\r\n" + SHUTDOWN,
         "invalid Content-Length \"0x10\"", "refused invalid", 0),
        ("a header without Content-Length", INIT + b"Content-Type: application/json\r\n\r\n" + SHUTDOWN,
         "a message header without Content-Length", "refused a message header", 0),
        ("a 64 MiB header line", [INIT, b"X-Junk: "] + [MIB] * 64 + [b"\r\n\r\n" + SHUTDOWN],
         "a header line longer than 8192 bytes", "refused a header line", 0),
        ("a header without its body", INIT + b"Content-Length: 5000\r\n\r\n{\"jsonrpc\"", "",
         "the input ended 10 bytes into a message of 5000 bytes; stopping", 1),
        ("a header cut off", INIT + b"Content-Length: 5000\r\n", "", "the input ended inside a message header", 1),
        ("invalid JSON", INIT + b"Content-Length: 5\r\n\r\n{nope" + SHUTDOWN, "invalid JSON", "", 0),
    ]
    peak = 0
    for name, wire, answer, words, code in cases:
        rc, out, err, secs, rss = measured(exe, ["lsp"], wire)
        peak = max(peak, rss)
        if rc != code:
            fail(f"lsp, {name}: exit {rc}, expected {code}: {err[-300:]}")
        if words and words not in err:
            fail(f"lsp, {name}: stderr does not say {words!r}: {err[-300:]!r}")
        if answer:
            errors = [m for m in frames(out) if "error" in m]
            if not any(m["id"] is None and answer in m["error"]["message"] for m in errors):
                fail(f"lsp, {name}: no answer with id null saying {answer!r}: {errors}")
        if code == 0 and not any(m.get("id") == 2 for m in frames(out)):
            fail(f"lsp, {name}: the request after the refusal was not answered")
        if secs > 5 or rss > RSS_BOUND_KB:
            fail(f"lsp, {name}: {secs:.1f} s, {rss // 1024} MiB peak RSS (bounds: 5 s, {RSS_BOUND_KB // 1024} MiB)")
    # The `today` option: a bad date is said, not used.
    opts = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"capabilities": {}, "initializationOptions": {"today": "tomorrow"}}})
    rc, out, err, _, _ = measured(exe, ["lsp"], opts + SHUTDOWN)
    shown = [m["params"]["message"] for m in frames(out) if m.get("method") == "window/showMessage"]
    if rc != 0 or not any("today must be a real date written YYYY-MM-DD (got \"tomorrow\")" in s for s in shown):
        fail(f"lsp: initializationOptions today \"tomorrow\" not refused: exit {rc}, messages {shown}")
    if len(FAILS) == since:
        print(f"ok lsp: {len(cases)} broken framings answered or refused, each under 5 s and "
              f"{RSS_BOUND_KB // 1024} MiB (peak {peak // 1024} MiB); a bad `today` option shown")


def cli(exe, d, name, args, code, words):
    r = subprocess.run([exe] + args, cwd=d, capture_output=True, text=True, timeout=30)
    out = r.stdout + r.stderr
    if r.returncode != code:
        fail(f"{name}: exit {r.returncode}, expected {code}: {out[-300:]}")
    for w in words:
        if w not in out:
            fail(f"{name}: output does not say {w!r}: {out[-400:]!r}")


def duplicates_and_dates(exe):
    since = len(FAILS)
    with tempfile.TemporaryDirectory() as d:
        def put(name, text):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        put("rules.yaml", "version: 1\ndefaults:\n  status: 301\n  status: 302\nredirects:\n  - from: /a\n    to: /b\n"
                          "redirects:\n  - from: /x\n    to: /y\n")
        cli(exe, d, "a second top-level `redirects:`", ["check", "rules.yaml"], 2,
            ["rules.yaml:8:1: error: duplicate top-level key \"redirects\" (first at line 5:1); this one is not read",
             "rules.yaml:4:3: error: duplicate key \"status\" in `defaults` (first at line 3:3)"])
        put("ok.yaml", "version: 1\nredirects:\n  - from: /a\n    to: /b\n")
        put("cfg.yaml", "select: [RL201]\nmax-hops: 4\nselect: [RL101]\n")
        cli(exe, d, "a duplicate key in --config", ["check", "--config", "cfg.yaml", "ok.yaml"], 3,
            ["cfg.yaml:3:1", "duplicate key \"select\" (first at line 1:1)"])
        put("suite.yaml", "rules: ok.yaml\ncases:\n  - url: /a\n    status: 301\n    status: 302\n")
        cli(exe, d, "a duplicate key in a test suite", ["test", "suite.yaml"], 2,
            ["suite.yaml:5:5: error: duplicate key \"status\" (first at line 4:5)"])
        for bad in ("yesterday", "2026-02-30", "2026-1-5", "\x1b[31m"):
            cli(exe, d, f"--today {bad!r}", ["check", "--today", bad, "ok.yaml"], 3,
                ["--today must be a real date written YYYY-MM-DD (got \""])
        cli(exe, d, "--today 2028-02-29", ["check", "--today", "2028-02-29", "ok.yaml"], 0, ["no problems found"])
        r = subprocess.run([exe, "check", "--today", "\x1b[31m", "ok.yaml"], cwd=d, capture_output=True, timeout=30)
        if b"\x1b" in r.stderr:
            fail("--today: the ESC byte of the value reached stderr raw")
    if len(FAILS) == since:
        print("ok duplicate keys (rule file, config, test suite) and bad --today refused with line:col / the value")


def main():
    exe = os.path.abspath(sys.argv[1])
    lsp_framing(exe)
    duplicates_and_dates(exe)
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
