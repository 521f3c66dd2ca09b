#!/usr/bin/env python3
"""Every user-controlled text is escaped in every output format (issue 20). A .htaccess whose name holds
a newline, a forged `::error` workflow command, an ANSI escape, XML specials and `%0A`, and whose rules
hold ESC sequences, BEL, C1 controls, invalid UTF-8, `]]>`, `<b>&` and `::warning::`, is checked with
every --output; then:
- no format lets a raw C0 control (but LF and TAB), DEL or C1 control, or invalid UTF-8 out (JSON writes
  C1 controls as \u0080..\u009f as it writes C0 ones);
- text/gcc: every line is a `file:line:col: severity:` line of the escaped name (or the summary): the
  newline in the name forges no line;
- github: one `::level file=...` command per finding and nothing else: no forged command;
- json, sarif, gitlab: valid JSON; the strings SARIF and GitLab show (every SARIF string, GitLab
  descriptions) carry no control character once decoded either;
- checkstyle, junit: well-formed XML whose decoded attributes and texts carry no control character;
- trace text and tsv: one line per request, escaped.
usage: output_escaping.py REDIRLINT"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HOSTILE = b"\x1b[31m::warning::x%0A<b>&]]>\xff\xc2\x9b\x07"
NAME = "evil\n::error file=x::forged\x1b[2J<&>'\"%0A.htaccess"
RULES = (b"Redirect 301 /d" + HOSTILE + b" /e\nRedirect 301 /d" + HOSTILE + b" /f\n"
         b"RewriteEngine on\nRewriteRule ^/x" + HOSTILE + b"( /y [R=301,L]\n"
         b"Redirect 301 /a" + HOSTILE + b" /b" + HOSTILE + b"\nRedirect 301 /b" + HOSTILE + b" /c\n")
# C0 but TAB/LF, DEL, and C1 (U+0080..U+009F) once decoded.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


def raw_clean(fmt, out):
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{fmt}: output is not valid UTF-8 ({e})")
        return None
    m = CONTROL.search(text)
    if m:
        fail(f"{fmt}: a raw control character {m.group()!r} in the output near {text[max(0, m.start() - 40):m.end() + 10]!r}")
    return text


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def decoded_clean(fmt, texts):
    for s in texts:
        m = CONTROL.search(s or "")
        if m:
            fail(f"{fmt}: a control character {m.group()!r} in a decoded value: {s[:120]!r}")
            return


def main():
    exe = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, NAME), "wb") as f:
            f.write(RULES)
        shown = "./" + NAME.replace("\n", "\\x0a").replace("\x1b", "\\x1b")
        run = lambda args: subprocess.run([exe] + args, cwd=d, capture_output=True, timeout=60)  # noqa: E731
        findings = json.loads(run(["check", "--output", "json", "--format", "htaccess", "./" + NAME]).stdout)["diagnostics"]
        if len(findings) < 2 or not all("::" in f["message"] for f in findings):
            fail(f"the hostile file gives too few findings quoting its text: {[f['message'] for f in findings]}")
        for fmt in ("text", "gcc", "json", "sarif", "github", "checkstyle", "gitlab", "junit"):
            r = run(["check", "--output", fmt, "--color", "always" if fmt == "text" else "never", "--format", "htaccess",
                     "./" + NAME])
            if r.returncode != 1:
                fail(f"{fmt}: exit {r.returncode}, expected 1 (findings): {r.stderr[-200:]!r}")
            out = r.stdout if fmt != "text" else re.sub(rb"\x1b\[[0-9;]*m", b"", r.stdout)  # our own colours
            text = raw_clean(fmt, out)
            err = raw_clean(fmt + " stderr", r.stderr)
            if text is None or err is None:
                continue
            lines = text.splitlines()
            if fmt in ("text", "gcc"):
                for ln in lines:
                    # --color always draws snippets: indented source lines and carets are allowed.
                    if ln.startswith(" ") or not ln or ln.startswith("|"):
                        continue
                    if not ln.startswith(shown + ":") and not re.match(r"^\d+ (error|warning)", ln):
                        fail(f"{fmt}: a line that is not a finding of the escaped file name: {ln[:100]!r}")
            elif fmt == "github":
                if len(lines) != len(findings) or not all(re.match(r"^::(error|warning|notice) file=", ln) for ln in lines):
                    fail(f"github: {len(lines)} lines for {len(findings)} findings, or a line that is not a command: {lines}")
                for ln in lines:
                    props = ln.split("::")[1]
                    if "\n" in props or "::" in ln.split("::", 2)[1]:
                        fail(f"github: the properties of {ln[:80]!r} are not escaped")
            elif fmt in ("json", "sarif", "gitlab"):
                try:
                    doc = json.loads(text)
                except ValueError as e:
                    fail(f"{fmt}: not valid JSON: {e}")
                    continue
                # JSON consumers get the raw text back (JSON escaped it); what SARIF viewers and GitLab show
                # is escaped once more (a GitLab location path stays the repository's real path).
                if fmt == "sarif":
                    decoded_clean(fmt, strings(doc))
                elif fmt == "gitlab":
                    decoded_clean(fmt, [i["description"] for i in doc])
            else:
                try:
                    root = ET.fromstring(out)
                except ET.ParseError as e:
                    fail(f"{fmt}: not well-formed XML: {e}")
                    continue
                decoded_clean(fmt, [v for el in root.iter() for v in list(el.attrib.values()) + [el.text or ""]])
            if not FAILS:
                print(f"ok check --output {fmt}: {len(out)} bytes, escaped")
        for fmt in ("text", "tsv", "json"):
            r = run(["trace", "--output", fmt, "--format", "htaccess", "./" + NAME, "/d%1b%5b31mx", "/a%1b%5b31m"])
            text = raw_clean("trace " + fmt, r.stdout + r.stderr)
            if r.returncode not in (0, 1):
                fail(f"trace {fmt}: exit {r.returncode}: {text!r}")
            if text is not None and fmt == "tsv" and len(r.stdout.splitlines()) != 2:
                fail(f"trace tsv: {len(r.stdout.splitlines())} lines for 2 requests: {r.stdout!r}")
        if not FAILS:
            print("ok trace text, tsv, json: escaped, one tsv line per request")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
