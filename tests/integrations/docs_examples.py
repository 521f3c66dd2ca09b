#!/usr/bin/env python3
"""The example in docs/json-format.md is real: its input (first ```apache block) run with its command (first
```sh block) must print its output (first ```json block), compared as JSON values.

usage: docs_examples.py REDIRLINT SOURCE_DIR
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile


def blocks(text, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```", text, re.S | re.M)


def main():
    exe, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    with open(os.path.join(src, "docs", "json-format.md")) as f:
        doc = f.read()
    rules, command, want = blocks(doc, "apache")[0], blocks(doc, "sh")[0], blocks(doc, "json")[0]
    argv = shlex.split(command.strip())
    if argv[0] != "redirlint":
        print("FAIL: the example command does not start with redirlint:", command)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, argv[-1]), "w") as f:
            f.write(rules)
        run = subprocess.run([exe] + argv[1:], cwd=tmp, capture_output=True, text=True, timeout=60)
    got = json.loads(run.stdout)
    if got != json.loads(want):
        print("FAIL: docs/json-format.md shows another output than redirlint prints now:")
        print(run.stdout)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
