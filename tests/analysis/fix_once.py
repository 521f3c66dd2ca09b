#!/usr/bin/env python3
"""`check --fix` flattens every chain in one run (issue 15): a chain that starts in the middle of
another one is reported too, so after one --fix a second `check` finds no RL201 left. A .htaccess
(behind a force-https rule) and a _redirects file with a 3-hop chain (/a -> /b -> /c -> /d) and a 2-hop
one. (nginx `return` rules carry no flattening fix yet: not tested here.)"""
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
CASES = {
    "site.htaccess": "RewriteEngine On\nRewriteCond %{HTTPS} off\nRewriteRule ^(.*)$ https://www.example.com/$1 [R=301,L]\n"
                     "RewriteRule ^a$ /b [R=301,L]\nRewriteRule ^b$ /c [R=301,L]\nRewriteRule ^c$ /d [R=301,L]\n"
                     "RewriteRule ^x$ /y [R=301,L]\nRewriteRule ^y$ /z [R=301,L]\n",
    "_redirects": "/a /b 301\n/b /c 301\n/c /d 301\n/x /y 301\n/y /z 301\n",
}
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for name, text in CASES.items():
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        check = [binary, "check", "--select", "RL201", "--output", "gcc", "--fail-level", "warning"]
        before = subprocess.run(check + [path], capture_output=True, text=True)
        chains = [l for l in before.stdout.splitlines() if "warning: redirect chain" in l]
        subprocess.run(check + ["--fix", path], capture_output=True, text=True)
        after = subprocess.run(check + [path], capture_output=True, text=True)
        left = [l for l in after.stdout.splitlines() if "warning: redirect chain" in l]
        ok = len(chains) == 3 and not left
        print(f"{'ok' if ok else 'FAIL'} {name}: {len(chains)} chains before --fix, {len(left)} after\n" + "".join(
            l + "\n" for l in left))
        failures += not ok
sys.exit(1 if failures else 0)
