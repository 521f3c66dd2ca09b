#!/usr/bin/env python3
"""Golden tests of the machine-readable outputs: for each golden/NAME.EXT with NAME.EXT.FORMAT.expected
(FORMAT = json or sarif), `redirlint check --output FORMAT NAME.EXT` run inside golden/ must print exactly
the expected text. REDIRLINT_UPDATE_GOLDENS=1 rewrites the expected files (review the diff).

usage: goldens.py REDIRLINT SOURCE_DIR
"""
import difflib
import glob
import os
import subprocess
import sys


def main():
    exe, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    gdir = os.path.join(src, "tests", "integrations", "golden")
    update = os.environ.get("REDIRLINT_UPDATE_GOLDENS") == "1"
    expected_files = sorted(glob.glob(os.path.join(gdir, "*.expected")))
    if not expected_files:
        print("FAIL: no golden files in", gdir)
        return 1
    failures = 0
    for exp in expected_files:
        base = os.path.basename(exp)[: -len(".expected")]
        name, fmt = base.rsplit(".", 1)
        run = subprocess.run([exe, "check", "--output", fmt, name], cwd=gdir, capture_output=True, text=True, timeout=60)
        # SARIF's %SRCROOT% is the directory the check ran in: machine-dependent, so it is written as $GOLDEN_DIR.
        run.stdout = run.stdout.replace('"file://%s/"' % os.path.abspath(gdir), '"file://$GOLDEN_DIR/"')
        if run.returncode not in (0, 1):
            print("FAIL: %s exited %d: %s" % (base, run.returncode, run.stderr))
            failures += 1
            continue
        if update:
            with open(exp, "w") as f:
                f.write(run.stdout)
            print("updated", exp)
            continue
        with open(exp) as f:
            want = f.read()
        if run.stdout != want:
            failures += 1
            print("FAIL: %s differs from %s:" % (base, os.path.relpath(exp, src)))
            sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), run.stdout.splitlines(True), "expected", "actual"))
        else:
            print("ok  ", base)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
