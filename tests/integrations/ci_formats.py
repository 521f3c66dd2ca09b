#!/usr/bin/env python3
"""The CI outputs of `check`, parsed the way their consumers parse them, on a file with a loop, a chain and
a value that needs escaping in each format (a quote, '<', '&', a comma, a colon and a '%' in a path).

- github: every line is a workflow command `::error|warning|notice file=..,line=..,col=..,title=..::msg`
  whose properties decode (%25 %3A %2C %0A) back to the path and title; one command per finding.
- checkstyle / junit: well-formed XML (xml.etree), one <error> per finding / a failed <testcase> per file
  with findings and a passed one per clean file.
- gitlab: a JSON array of issues with description, check_name, 32-hex fingerprint (unique, and the same
  on a second run), severity in GitLab's words, location.path and lines.begin.
- --output-file writes the same report there (stdout empty), --exit-zero/--fail-level never exit 0,
  --quiet drops the summary, --statistics counts per code.
- --baseline: --update-baseline writes today's findings; then only new findings are reported, also
  after a comment moved every line; a file that is not a baseline is a usage error.
usage: ci_formats.py REDIRLINT
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

exe = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args):
    p = subprocess.run([exe, "check", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def unescape_property(v):
    return v.replace("%3A", ":").replace("%2C", ",").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


with tempfile.TemporaryDirectory() as tmp:
    weird = os.path.join(tmp, 'a,b:c%d')
    os.mkdir(weird)
    loop = os.path.join(weird, ".htaccess")
    with open(loop, "w") as f:
        f.write('Redirect 301 /x "/y<&\'"\nRedirect 301 "/y<&\'" /x\nRedirect 301 /c1 /c2\nRedirect 301 /c2 /c3\n')
    clean = os.path.join(tmp, "clean.htaccess")
    with open(clean, "w") as f:
        f.write("Redirect 301 /old /new\n")

    rc, gcc, _ = run("--output", "gcc", loop, clean)
    findings = [l for l in gcc.splitlines() if re.search(r": (error|warning|info): ", l)]
    check(rc == 1 and len(findings) >= 2, f"gcc: expected a loop and a chain, got rc={rc}: {gcc}")

    # github
    rc, out, _ = run("--output", "github", loop, clean)
    cmds = out.splitlines()
    check(len(cmds) == len(findings), f"github: {len(cmds)} commands for {len(findings)} findings")
    pat = re.compile(r"^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*)(?:,[a-zA-Z]+=[^,:]*)*)::(.*)$")
    for c in cmds:
        m = pat.match(c)
        check(m is not None, f"github: not a workflow command: {c!r}")
        if not m:
            continue
        props = dict(kv.split("=", 1) for kv in m.group(2).split(","))
        check(unescape_property(props.get("file", "")) == loop, f"github: file does not decode to the path: {props}")
        check(props.get("line", "").isdigit() and props.get("col", "").isdigit(), f"github: line/col: {props}")
        check(re.match(r"RL\d{3} [a-z-]+$", unescape_property(props.get("title", ""))), f"github: title: {props}")
        check("\n" not in m.group(3) and "\r" not in m.group(3), "github: raw line break in a message")
    check(any(c.startswith("::error") and "RL202" in c for c in cmds), "github: the loop is not an ::error")

    # checkstyle
    rc, out, _ = run("--output", "checkstyle", loop, clean)
    root = ET.fromstring(out)
    check(root.tag == "checkstyle", "checkstyle: root element")
    errors = root.findall("./file/error")
    check(len(errors) == len(findings), f"checkstyle: {len(errors)} errors for {len(findings)} findings")
    check(all(e.get("source", "").startswith("redirlint.RL") for e in errors), "checkstyle: source attribute")
    check(root.find("./file").get("name") == loop, "checkstyle: file name does not round-trip")
    check(any("<&'" in (e.get("message") or "") for e in errors), "checkstyle: message characters lost")

    # junit
    rc, out, _ = run("--output", "junit", loop, clean)
    root = ET.fromstring(out)
    cases = root.findall("./testsuite/testcase")
    names = {c.get("name"): c for c in cases}
    check(set(names) == {loop, clean}, f"junit: test cases {sorted(names)}")
    check(names.get(loop) is not None and names[loop].find("failure") is not None, "junit: the loop file passed")
    check(names.get(clean) is not None and names[clean].find("failure") is None, "junit: the clean file failed")
    check(root.get("failures") == "1" and root.get("tests") == "2", f"junit: counts {root.attrib}")

    # gitlab
    rc, out, _ = run("--output", "gitlab", loop, clean)
    issues = json.loads(out)
    check(isinstance(issues, list) and len(issues) == len(findings), "gitlab: one issue per finding")
    fps = [i.get("fingerprint") for i in issues]
    check(all(isinstance(f, str) and re.fullmatch(r"[0-9a-f]{32}", f) for f in fps), f"gitlab: fingerprints {fps}")
    check(len(set(fps)) == len(fps), "gitlab: fingerprints repeat")
    check(all(i["severity"] in ("info", "minor", "major", "critical", "blocker") for i in issues), "gitlab: severity")
    check(all(i["location"]["path"] == loop and i["location"]["lines"]["begin"] >= 1 for i in issues), "gitlab: location")
    check(fps == [i["fingerprint"] for i in json.loads(run("--output", "gitlab", loop, clean)[1])], "gitlab: unstable")

    # --output-file, --exit-zero, --fail-level never, --quiet, --statistics
    report = os.path.join(tmp, "report.json")
    rc, out, err = run("--output", "json", "--output-file", report, loop)
    check(rc == 1 and out == "", f"--output-file: rc={rc}, stdout {out!r}")
    with open(report) as f:
        check(len(json.load(f)["diagnostics"]) >= 2, "--output-file: report incomplete")
    check("report in" in err, f"--output-file: no summary on stderr: {err!r}")
    check(not [n for n in os.listdir(tmp) if n.startswith(".report")], "--output-file left a temporary file")
    for flags in (["--exit-zero"], ["--fail-level", "never"]):
        rc, out, _ = run(*flags, "--output", "gcc", loop)
        check(rc == 0 and "RL202" in out, f"{flags}: rc={rc} (findings still printed?)")
    rc, _, _ = run("--exit-zero", os.path.join(tmp, "missing.htaccess"))
    check(rc == 2, f"--exit-zero must not hide unreadable input: rc={rc}")
    rc, out, err = run("--quiet", "--output", "gcc", loop)
    check(rc == 1 and "RL202" in out and err == "", f"--quiet: rc={rc}, stderr {err!r}")
    rc, out, _ = run("--statistics", loop)
    rows = [l.split() for l in out.splitlines()[:-1]]
    check(rc == 1 and rows and all(r[0].isdigit() and re.fullmatch(r"RL\d{3}", r[1]) for r in rows), f"--statistics: {out!r}")
    check(sum(int(r[0]) for r in rows) == len([l for l in findings if loop in l]), "--statistics: counts do not add up")

    # --baseline: written once, then only new findings are reported, also after lines moved.
    base = os.path.join(tmp, "baseline.json")
    rc, out, err = run("--baseline", base, "--update-baseline", loop)
    check(rc == 0 and out == "" and os.path.exists(base), f"--update-baseline: rc={rc}, out {out!r}")
    rc, out, err = run("--baseline", base, "--output", "gcc", loop)
    check(rc == 0 and out == "" and "of the baseline not shown" in err, f"--baseline: known findings shown: {out!r}")
    with open(loop) as f:
        old = f.read()
    with open(loop, "w") as f:
        f.write("# a comment moves every line down\n" + old + "Redirect 301 /n1 /n2\nRedirect 301 /n2 /n3\n")
    rc, out, err = run("--baseline", base, "--output", "gcc", loop)
    new = [l for l in out.splitlines() if re.search(r": (error|warning|info): ", l)]
    check(rc == 1 and len(new) == 1 and "/n1" in new[0], f"--baseline: after the move, want only the new chain: {out!r}")
    with open(base, "w") as f:
        f.write("{}")
    rc, _, err = run("--baseline", base, loop)
    check(rc == 3 and "not a redirlint baseline" in err, f"--baseline of a non-baseline: rc={rc}, {err!r}")

# `redirlint test` in CI: JUnit (a test case per case) and GitHub annotations on the failing cases' lines.
with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "site.htaccess"), "w") as f:
        f.write("Redirect 301 /old /new\n")
    suite = os.path.join(tmp, "t.yaml")
    with open(suite, "w") as f:
        f.write("rules: site.htaccess\ncases:\n  - request: /old\n    status: 301\n    location: http://example.com/new\n"
                "  - request: /x\n    status: 301\n")

    def run_test(*args):
        p = subprocess.run([exe, "test", *args, suite], capture_output=True, text=True)
        return p.returncode, p.stdout, p.stderr

    rc, out, err = run_test("--output", "junit")
    root = ET.fromstring(out)
    cases = root.findall("./testsuite/testcase")
    check(rc == 1 and root.get("tests") == "2" and root.get("failures") == "1", f"test junit: totals {out!r}")
    check(len(cases) == 2 and cases[0].find("failure") is None and cases[0].get("line") == "3",
          f"test junit: the passing case: {out!r}")
    fail = cases[1].find("failure") if len(cases) == 2 else None
    check(fail is not None and fail.get("message") == "expected 301, got -" and "no rule fired" in (fail.text or ""),
          f"test junit: the failing case: {out!r}")
    rc, out, err = run_test("--output", "github")
    ann = [l for l in out.splitlines() if l.startswith("::")]
    check(rc == 1 and len(ann) == 1 and ann[0].startswith("::error file=" + suite.replace(":", "%3A") + ",line=6,")
          and ann[0].endswith("::expected 301, got -") and "1 passed, 1 failed" in out,
          f"test github: {out!r}")
    report = os.path.join(tmp, "report.xml")
    rc, out, err = run_test("--output", "junit", "--output-file", report)
    check(rc == 1 and out == "" and "1 passed, 1 failed (report in" in err and
          ET.parse(report).getroot().get("failures") == "1", f"test --output-file: {rc} {out!r} {err!r}")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ci formats: github, checkstyle, junit, gitlab parsed (check and test); --output-file, --exit-zero, --quiet, --statistics work")
