#!/usr/bin/env python3
"""Hostile input and resource limits (issue 9): redirlint never crashes, hangs or gives up on the
next file, and every limit hit is one diagnostic that names the limit, its value and how to raise it.

usage: hostile.py REDIRLINT TEST     TEST: limits | catastrophic | apache | htaccess | nginx | yaml | netlify
Each hostile file is checked together with a second, clean-but-flawed file: that file's finding must
still be reported (the next file is read). Exit codes are DESIGN §7: 0/1, or 2 when the input is not
parseable (RL001), never a crash (a signal) or 3.
"""
import os
import re
import subprocess
import sys
import tempfile

TIMEOUT = 60  # seconds per command: far above the few seconds each takes; reaching it is a hang

# One rule per format with a finding (RL101, RL104 or RL004): a diagnostic on it proves it was read.
FLAWED = {
    "apache": ("flawed.conf", "Redirect /flawed /elsewhere\n"),
    "htaccess": ("flawed.htaccess", "Redirect /flawed /elsewhere\n"),
    "nginx": ("flawed_nginx.conf", "server {\n    listen 80;\n    location = /flawed { return /elsewhere; }\n}\n"),
    "yaml": ("flawed.yaml", "version: 1\nredirects:\n  - from: /flawed\n    to: /elsewhere\n    status: 302\n"),
    "netlify": ("flawed.redirects", "/flawed /elsewhere 302\n"),
}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def run(binary, args, cwd):
    try:
        r = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail(f"redirlint {' '.join(args)}: no answer in {TIMEOUT} s (hang)")
        return None
    return r


def text(b):
    return b.decode("utf-8", "replace")


# ---------------------------------------------------------------------------------------------------
# Hostile text, one generator set per format.

def rule_line(fmt, i):
    return {
        "apache": f"Redirect 301 /old/{i} /new/{i}\n",
        "htaccess": f"RewriteRule ^old/{i}$ /new/{i} [R=301,L]\n",
        "nginx": f"    location = /old/{i} {{ return 301 /new/{i}; }}\n",
        "yaml": f"  - from: /old/{i}\n    to: /new/{i}\n",
        "netlify": f"/old/{i} /new/{i} 301\n",
    }[fmt]


def wrap(fmt, body):
    """A whole file of `fmt` around rule lines."""
    if fmt == "nginx":
        return "server {\n    listen 80;\n" + body + "}\n"
    if fmt == "yaml":
        return "version: 1\nredirects:\n" + body
    if fmt == "htaccess":
        return "RewriteEngine On\n" + body
    return body


def hostile_files(fmt, many):
    """(name, bytes) for each hostile variant of `fmt`."""
    one = rule_line(fmt, 1)
    two = rule_line(fmt, 2)
    base = wrap(fmt, one + two)
    out = [
        ("invalid_utf8", wrap(fmt, one.replace("/new/1", "/new/\xff\xfe\xc3(")).encode("latin-1")),
        ("nul_bytes", wrap(fmt, one.replace("/new/1", "/new/\x001") + "\x00\x00\n" + two).encode()),
        ("crlf", base.replace("\n", "\r\n").encode()),
        ("lone_cr", base.replace("\n", "\r").encode()),
        ("bom", b"\xef\xbb\xbf" + base.encode()),
        ("tabs", base.replace(" ", "\t").encode()),
        ("long_line", wrap(fmt, one.replace("/new/1", "/new/" + "a" * 1_000_000) + two).encode()),
        ("many_rules", wrap(fmt, "".join(rule_line(fmt, i) for i in range(many))).encode()),
        ("empty", b""),
        ("only_garbage", b"\x00\xff{{{{}}}}}\"\"'\\\\\n;;;;\n<<<<>>>>\n"),
    ]
    unbalanced = {
        "apache": "<VirtualHost *:80>\n<IfModule mod_alias.c>\n" + one + "</VirtualHost>\n</Directory>\n",
        "htaccess": "<IfModule mod_rewrite.c>\n<IfModule mod_alias.c>\n" + one + "</Files>\n",
        "nginx": "server {\n    listen 80;\n    location / {\n" + one + "}\n}\n}\n{\n",
        "yaml": "version: 1\nredirects: [ {from: /a, to: /b}\n  - from: /c\n  {\n",
        "netlify": "/a /b 301 {\n[[redirects]]\n  from = \"/c\"\n}\n",
    }[fmt]
    out.append(("unbalanced", unbalanced.encode()))
    deep = {
        "apache": "<IfModule a>\n" * 5000 + one + "</IfModule>\n" * 5000,
        "htaccess": "<IfModule a>\n" * 5000 + one + "</IfModule>\n" * 5000,
        "nginx": "server {\n" + "location / {\n" * 5000 + one + "}\n" * 5001,
        "yaml": "version: 1\nredirects: " + "[" * 5000 + "]" * 5000 + "\n",
        "netlify": "/a /b 301\n" * 3 + "{" * 5000 + "\n",
    }[fmt]
    out.append(("deep_nesting", deep.encode()))
    return out


EXT = {"apache": ".conf", "htaccess": ".htaccess", "nginx": ".conf", "yaml": ".yaml", "netlify": ".redirects"}
DIAG = re.compile(r"^(.+?):(\d+):(\d+): ((error|warning|info): .+ \[RL\d{3}\]|note: .+)$")


def check_hostile(binary, fmt):
    many = 1_000_000 if fmt == "netlify" else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        flawed_name, flawed_text = FLAWED[fmt]
        with open(os.path.join(tmp, flawed_name), "w") as f:
            f.write(flawed_text)
        for name, data in hostile_files(fmt, many):
            path = name + EXT[fmt]
            with open(os.path.join(tmp, path), "wb") as f:
                f.write(data)
            args = ["check", "--format", fmt, path, flawed_name]
            if name == "many_rules":  # parsing is what is tested; the analyses have their own benchmarks
                args[1:1] = ["--select", "RL001,RL002,RL003,RL006"]
            r = run(binary, args, tmp)
            if r is None:
                continue
            label = f"{fmt}/{name}"
            if r.returncode < 0 or r.returncode > 2:
                fail(f"{label}: exit code {r.returncode} (crash or usage error); stderr: {text(r.stderr)[-300:]}")
                continue
            out = text(r.stdout).splitlines()
            diags = [l for l in out if DIAG.match(l)]
            for l in out:
                if l.startswith(path) and not DIAG.match(l) and not l.startswith(path + ": "):
                    fail(f"{label}: diagnostic without line:col: {l[:200]}")
            if name != "many_rules" and not any(l.startswith(flawed_name + ":") for l in diags):
                fail(f"{label}: the next file ({flawed_name}) was not checked: {out[-3:]}")
            bad = [l for l in diags if l.startswith(path + ":") and "RL001" in l]
            if r.returncode == 2 and not bad and not any("RL001" in l for l in out):
                fail(f"{label}: exit code 2 without an RL001 diagnostic")
            # Clean text in another dress: it parses (no RL001). YAML forbids tabs as indentation (spec 6.1).
            # The servers refuse a BOM (apache2, nginx) and Apache lone-CR endings: RL001 there
            # (tests/robustness/server_refusals.py holds the evidence).
            refused = {"bom": ("apache", "htaccess", "nginx"), "lone_cr": ("apache", "htaccess")}
            if fmt in refused.get(name, ()):
                if not bad:
                    fail(f"{label}: a file the server refuses got no RL001")
            elif name in ("crlf", "bom", "lone_cr", "long_line") or name == "tabs" and fmt != "yaml":
                if bad:
                    fail(f"{label}: a well-formed file got {bad[0][:200]}")
            if name == "many_rules" and (bad or r.returncode not in (0, 1)):
                fail(f"{label}: {many} rules did not parse cleanly (exit {r.returncode}): {out[:2]}")
            if name == "deep_nesting" and fmt in ("apache", "htaccess", "nginx", "yaml") and not any(
                    "max-nesting" in l for l in bad):
                fail(f"{label}: 5000 nested blocks did not hit max-nesting: {out[:2]}")
            print(f"ok {label}: exit {r.returncode}, {len(diags)} diagnostics")
        # Every one of the 10^n rules was read: one fewer allowed gives the max-rules error on the last.
        r = run(binary, ["check", "--format", fmt, "--select", "RL001", "--max-rules", str(many - 1),
                         "many_rules" + EXT[fmt]], tmp)
        want = f"more than {many - 1} rules in this file: this rule and the 0 after it are not read"
        if r is not None and (r.returncode != 2 or want not in text(r.stdout)):
            fail(f"{fmt}/many_rules: not all {many} rules were read: {text(r.stdout)[:300]}")
        elif r is not None:
            print(f"ok {fmt}/many_rules: all {many} rules read")


# ---------------------------------------------------------------------------------------------------
# Limits: each one hit with a small value; one diagnostic naming the limit, its value and the option.

LIMIT_CASES = [
    # (limit, value, file name, content, expected exit code, expected "line:col" of the diagnostic)
    ("max-file-bytes", 30, "big.conf", "Redirect 301 /a /b\nRedirect 301 /c /d\n", 2, None),
    ("max-line-bytes", 30, "line.conf", "Redirect 301 /a /b\n# " + "x" * 100 + "\nRedirect 301 /c /d\n", 2, "2:31"),
    ("max-rules", 3, "rules.conf", "".join(f"Redirect 301 /a{i} /b{i}\n" for i in range(10)), 2, "4:1"),
    ("max-nesting", 2, "nest.conf", "<IfModule a>\n<IfModule b>\n<IfModule c>\nRedirect 301 /a /b\n"
     "</IfModule>\n</IfModule>\n</IfModule>\n", 2, "3:1"),
    ("max-nesting", 2, "nest_nginx.conf", "server {\n    location / {\n        location /a {\n"
     "            return 301 /b;\n        }\n    }\n}\n", 2, "3:9"),
    ("max-nesting", 8, "nest.yaml", "version: 1\nredirects: " + "[" * 12 + "]" * 12 + "\n", 2, None),
    # the include that goes one level too deep is the one inside inc1.inc
    ("max-include-depth", 1, "inc_nginx.conf", "server {\n    listen 80;\n    include inc1.inc;\n}\n", 2, "inc1.inc:1:1"),
    ("max-pattern-bytes", 10, "pattern.conf", "RedirectMatch 301 ^/(a|b)/very/long/pattern$ /x\n", 0, "1:1"),
    ("max-automaton-states", 20, "states.conf", "RedirectMatch 301 ^/(a|b|c)[0-9]{10}x[a-f]{12}$ /x\n", 0, "1:1"),
]
INCLUDES = {"inc1.inc": "include inc2.inc;\n", "inc2.inc": "return 301 /x;\n"}


def check_limits(binary):
    with tempfile.TemporaryDirectory() as tmp:
        flawed_name, flawed_text = FLAWED["apache"]
        for name, content in list(INCLUDES.items()) + [(flawed_name, flawed_text)]:
            with open(os.path.join(tmp, name), "w") as f:
                f.write(content)
        for limit, value, name, content, code, pos in LIMIT_CASES:
            with open(os.path.join(tmp, name), "w") as f:
                f.write(content)
            for how in ("option", "config"):
                if how == "option":
                    args = ["check", f"--{limit}", str(value), name, flawed_name]
                else:
                    with open(os.path.join(tmp, "limits.yaml"), "w") as f:
                        f.write(f"{limit}: {value}\n")
                    args = ["check", "--config", "limits.yaml", name, flawed_name]
                r = run(binary, args, tmp)
                if r is None:
                    continue
                out = text(r.stdout).splitlines()
                label = f"{limit} ({how})"
                hint = f"limit {limit} is {value}; raise it with --{limit} or `{limit}:` in .redirlint.yaml"
                at = pos.split(":")[0] if pos and not pos[0].isdigit() else name
                hits = [l for l in out if hint in l and l.startswith(at + ":")]
                if len(hits) != 1:
                    fail(f"{label}: expected one diagnostic naming the limit on {name}, got {out}")
                    continue
                if pos and not hits[0].startswith(f"{name}:{pos}:" if pos[0].isdigit() else pos + ":"):
                    fail(f"{label}: diagnostic at the wrong place (want {pos}): {hits[0]}")
                want = 2 if code == 2 else 1  # the flawed file's RL101 warning makes it 1 otherwise
                if r.returncode != want:
                    fail(f"{label}: exit code {r.returncode}, expected {want}")
                if not any(l.startswith(flawed_name + ":") and "[RL101]" in l for l in out):
                    fail(f"{label}: the next file was not checked")
                print(f"ok {label}: {hits[0]}")
        # The same limits on the other commands (trace, dump, convert): the same diagnostic on stderr.
        for cmd in (["dump"], ["convert", "--to", "nginx"], ["trace"]):
            args = cmd + ["--max-rules", "3", "rules.conf"] + (["/a0"] if cmd == ["trace"] else [])
            r = run(binary, args, tmp)
            if r is None:
                continue
            err = text(r.stderr)
            if "limit max-rules is 3" not in err or r.returncode != 2:
                fail(f"{cmd[0]} --max-rules: exit {r.returncode}, stderr {err[-300:]}")
            else:
                print(f"ok {cmd[0]} --max-rules 3: exit 2")
        # Out-of-range values are usage errors.
        r = run(binary, ["check", "--max-rules", "0", flawed_name], tmp)
        if r is not None and r.returncode == 0:
            fail("--max-rules 0 was accepted")
        with open(os.path.join(tmp, "bad.yaml"), "w") as f:
            f.write("max-line-bytes: lots\n")
        r = run(binary, ["check", "--config", "bad.yaml", flawed_name], tmp)
        if r is not None and (r.returncode != 3 or "bad.yaml:1:17: error: max-line-bytes must be a number" not in text(r.stderr)):
            fail(f"a bad limit value in the config: exit {r.returncode}, {text(r.stderr)}")
        # A .redirlint.yaml found next to the input that does not load is never replaced by the
        # defaults in silence: every command names the error and exits 3, writing nothing.
        sub = os.path.join(tmp, "badcfg")
        os.mkdir(sub)
        with open(os.path.join(sub, ".redirlint.yaml"), "w") as f:
            f.write("ignroe: [RL201]\n")
        with open(os.path.join(sub, "site.conf"), "w") as f:
            f.write("Redirect 301 /a /b\n")
        for cmd in (["check", "site.conf"], ["convert", "--to", "nginx", "site.conf"], ["trace", "site.conf", "/a"],
                    ["dump", "site.conf"], ["graph", "site.conf"]):
            r = run(binary, cmd, sub)
            if r is None:
                continue
            if r.returncode != 3 or '.redirlint.yaml:1:1: error: unknown key "ignroe"' not in text(r.stderr) or r.stdout:
                fail(f"{cmd[0]} with a broken .redirlint.yaml: exit {r.returncode}, stdout {text(r.stdout)[:200]!r}, "
                     f"stderr {text(r.stderr)[-300:]}")
            else:
                print(f"ok {cmd[0]} with a broken .redirlint.yaml: exit 3, the error named")


# ---------------------------------------------------------------------------------------------------
# A catastrophic regex cannot hang trace or a check.

CATASTROPHIC = [
    ("cat.conf", "apache", "RedirectMatch 301 ^/(a+)+$ /x\n"),
    ("cat.htaccess", "htaccess", "RewriteEngine On\nRewriteRule ^(a+)+$ /x [R=301,L]\n"),
    ("cat_nginx.conf", "nginx", "server {\n    listen 80;\n    location ~ ^/(a+)+$ { return 301 /x; }\n"
     "    rewrite ^/b(x+x+)+y$ /z permanent;\n}\n"),
    ("cat.yaml", "yaml", "version: 1\nredirects:\n  - from: ^/(a+)+$\n    match: regex\n    to: /x\n    status: 301\n"),
    ("web.config", "iis", '<?xml version="1.0"?>\n<configuration><system.webServer><rewrite><rules>\n'
     '<rule name="evil" stopProcessing="true"><match url="^(a+)+$" /><action type="Redirect" url="/x" /></rule>\n'
     '<rule name="evil2"><match url="^b(x+x+)+y$" /><action type="Redirect" url="/z" /></rule>\n'
     '</rules></rewrite></system.webServer></configuration>\n'),
    ("vercel.json", "vercel", '{"redirects": [\n  {"source": "/:p((?:a+)+)", "destination": "/x", "permanent": true},\n'
     '  {"source": "/b:q((?:x+x+)+)y", "destination": "/z", "permanent": true}\n]}\n'),
]
# netlify (_redirects, netlify.toml) and Cloudflare Bulk Redirects have no backtracking patterns: their
# placeholders and splats cannot hit the limit.


def check_catastrophic(binary):
    import time
    evil = "/" + "a" * 28 + "!"
    with tempfile.TemporaryDirectory() as tmp:
        for name, fmt, content in CATASTROPHIC:
            with open(os.path.join(tmp, name), "w") as f:
                f.write(content)
            for args in (["trace", "--output", "tsv", name, evil, "/b" + "x" * 28],
                         ["trace", "--follow", name, evil],
                         ["check", name]):
                start = time.monotonic()
                r = run(binary, args, tmp)
                took = time.monotonic() - start
                if r is None:
                    continue
                label = f"{fmt}: {' '.join(args[:-1] if args[0] == 'trace' else args)}"
                if took > 10:
                    fail(f"{label}: took {took:.1f} s")
                if r.returncode not in (0, 1):
                    fail(f"{label}: exit code {r.returncode}: {text(r.stderr)[-300:]}")
                if args[0] == "trace" and "--output" in args:
                    lines = text(r.stdout).splitlines()
                    if not lines or lines[0].split("\t")[2] != "limit":
                        fail(f"{label}: expected the answer 'limit' for {evil}, got {lines}")
                    err = text(r.stderr)
                    if not re.search(rf"^{re.escape(name)}:\d+:\d+: warning: regex match limit reached for GET "
                                     rf".*limit regex-match-limit is \d+; raise it with --regex-match-limit", err, re.M):
                        fail(f"{label}: no limit warning with a position on stderr: {err[-300:]}")
                print(f"ok {label}: {took:.2f} s, exit {r.returncode}")
        # A redirect into a request on which the regex hits the limit: the chain analysis says it
        # could not look there (RL006) instead of reporting "no problems". (_redirects has no
        # backtracking patterns: its placeholders cannot hit the limit.)
        chain = {"apache": ("into.conf", "Redirect 301 /old " + evil + "\nRedirectMatch 301 ^/(a+)+$ /x\n"),
                 "nginx": ("into_nginx.conf", "server {\n    listen 80;\n    location = /old { return 301 " + evil +
                           "; }\n    location ~ ^/(a+)+$ { return 301 /x; }\n}\n"),
                 "yaml": ("into.yaml", "version: 1\nredirects:\n  - from: /old\n    to: '" + evil + "'\n    status: 301\n"
                          "  - from: ^/(a+)+$\n    match: regex\n    to: /x\n    status: 301\n")}
        for fmt, (name, content) in chain.items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(content)
            r = run(binary, ["check", "--fail-level", "info", "--output", "gcc", name], tmp)
            if r is None:
                continue
            out = text(r.stdout)
            if not re.search(rf"^{re.escape(name)}:\d+:\d+: info: what \"GET [^\"]*aaaa!\" gets is unknown \(regex match "
                             rf"limit reached in (rule|location) at line \d+\): redirect chains and loops from this rule are not "
                             rf"analysed \(limit regex-match-limit is \d+; .*\[RL006\]$", out, re.M):
                fail(f"{fmt}: a redirect into a catastrophic regex gave no RL006 note: {out[-400:]}")
            else:
                print(f"ok {fmt}: a chain walk stopped by the match limit is an RL006 note")
        # The limit hit once is remembered for the same (regex, subject): 3000 redirects into the same
        # doomed request cost one match, not 3000 (before: 3000 x ~30 ms, over 60 s).
        evil_many = "".join(f"Redirect 301 /old{i} {evil}\n" for i in range(3000)) + "RedirectMatch 301 ^/(a+)+$ /x\n"
        with open(os.path.join(tmp, "many.conf"), "w") as f:
            f.write(evil_many)
        start = time.monotonic()
        r = run(binary, ["check", "--fail-level", "info", "--output", "gcc", "many.conf"], tmp)
        took = time.monotonic() - start
        if r is not None:
            out = text(r.stdout)
            if took > 10 or r.returncode != 1 or "(and 2999 more in this file) [RL006]" not in out:
                fail(f"3000 redirects into one doomed request: {took:.1f} s, exit {r.returncode}: {out[-400:]}")
            else:
                print(f"ok 3000 redirects into one doomed request: {took:.2f} s, 3000 RL006 notes")
        # A larger match limit is used when given: the same request then gets its real answer.
        r = run(binary, ["trace", "--output", "tsv", "--regex-match-limit", "4000000000", "--regex-depth-limit",
                         "4000000000", "cat.conf", "/aaaaaaaaaaaa!"], tmp)
        if r is not None and "\t-\t" not in text(r.stdout) and "limit" in text(r.stdout):
            fail(f"--regex-match-limit was not applied: {text(r.stdout)}")


def main():
    binary, test = os.path.abspath(sys.argv[1]), sys.argv[2]
    if test == "limits":
        check_limits(binary)
    elif test == "catastrophic":
        check_catastrophic(binary)
    else:
        check_hostile(binary, test)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
