#!/usr/bin/env python3
"""`redirlint check --against REV` finds each change at the file:line of its rule.

Builds a throw-away git repository in a temp dir with two commits (and then a staged change), runs
`check --against` and compares everything it printed with against.expected
(REDIRLINT_UPDATE_GOLDENS=1 rewrites it):
- HEAD~1 -> HEAD: a permanent redirect removed (RL501, in the old file), one retargeted (RL502, in
  the new file), a temporary made permanent (RL503), a temporary removed (RL504), an unchanged one
  (nothing), a deleted `_redirects` file (RL501 for each of its redirects);
- HEAD, nothing changed: no finding (the _ok case);
- --against HEAD --staged: the staged change is seen, an unstaged one is not;
- a revision that does not exist: exit 3.
"""
import os
import shutil
import subprocess
import sys
import tempfile

binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
if not shutil.which("git"):
    print("SKIP: no git binary")
    sys.exit(0)
expected_path = os.path.join(root, "tests/history/against.expected")

V1 = """RewriteEngine On
Redirect 301 /old-about /about
Redirect 301 /docs /manual
Redirect 302 /sale /offers/winter
Redirect 302 /beta /preview
Redirect 301 /keep /kept
"""
V2 = """RewriteEngine On
# /old-about and /beta are gone
Redirect 301 /docs /handbook
Redirect 301 /sale /offers/winter
Redirect 301 /keep /kept
"""
NETLIFY = """/shop/*  /store/:splat  301
/help    /support       302
"""


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"})


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


out = []


def run(cwd, *args):
    p = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    out.append(f"$ redirlint {' '.join(args)}\n{p.stdout}{p.stderr}exit {p.returncode}\n")


with tempfile.TemporaryDirectory() as repo:
    git(repo, "init", "-q", "-b", "main")
    os.mkdir(os.path.join(repo, "site"))
    write(os.path.join(repo, "site/site.htaccess"), V1)
    write(os.path.join(repo, "site/_redirects"), NETLIFY)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    write(os.path.join(repo, "site/site.htaccess"), V2)
    git(repo, "rm", "-q", "site/_redirects")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "second")
    codes = ["--select", "RL501,RL502,RL503,RL504", "--output", "gcc"]
    run(repo, "check", "--against", "HEAD~1", *codes, "site/site.htaccess")
    run(repo, "check", "--against", "HEAD~1", *codes, "site")
    run(repo, "check", "--against", "HEAD", *codes, "site")
    # staged: /keep removed and added to the index; /docs removed in the work tree only (not staged)
    write(os.path.join(repo, "site/site.htaccess"), V2.replace("Redirect 301 /keep /kept\n", ""))
    git(repo, "add", "site/site.htaccess")
    write(os.path.join(repo, "site/site.htaccess"), V2.replace("Redirect 301 /keep /kept\n", "").replace(
        "Redirect 301 /docs /handbook\n", ""))
    run(repo, "check", "--against", "HEAD", "--staged", *codes, "site/site.htaccess")
    run(repo, "check", "--against", "no-such-rev", *codes, "site/site.htaccess")

text = "".join(out)
if os.environ.get("REDIRLINT_UPDATE_GOLDENS"):
    write(expected_path, text)
    print("updated", expected_path)
    sys.exit(0)
want = open(expected_path).read() if os.path.exists(expected_path) else ""
if text != want:
    import difflib
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "expected", "actual"))
    sys.exit(1)
print("against: all outputs as expected")
