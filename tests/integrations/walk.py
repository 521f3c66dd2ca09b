#!/usr/bin/env python3
"""Walking a repository the way ruff and hadolint do: files git ignores are left out (not with --no-ignore,
not a file named on the command line), --exclude and `exclude:` globs leave out walked and named files,
`per-path:` / `per-file-ignores:` settings apply by glob (format, htaccess-dir, ignore, select), the same file
reached twice is checked once, and the summary counts the files it speaks of ("1 error in 1 file").
Skips the git part (exit 77 is not used: the rest still runs) when git is absent.
usage: walk.py REDIRLINT
"""
import os
import shutil
import subprocess
import sys
import tempfile

exe = os.path.abspath(sys.argv[1])
failures = []
LOOP = "Redirect 301 /x /y\nRedirect 301 /y /x\n"


def run(args, cwd):
    p = subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def files_of(gcc):
    return sorted({line.split(":", 1)[0] for line in gcc.splitlines() if ": note: " not in line and line})


def expect_files(args, cwd, want, rc=None, summary=None):
    code, out, err = run(["check", "--output", "gcc", *args], cwd)
    got = files_of(out)
    if got != sorted(want) or (rc is not None and code != rc):
        failures.append(f"check {args}: files {got} exit {code}, want {sorted(want)} exit {rc}\n{err}")
    if summary is not None:
        code, out, err = run(["check", "--output", "text", "--color", "never", *args], cwd)
        if summary not in out + err:
            failures.append(f"check {args}: summary {summary!r} not in {out + err!r}")


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


with tempfile.TemporaryDirectory() as tmp:
    for rel in ("site.htaccess", "vendor/v.htaccess", "legacy/old.htaccess", "dist/out.htaccess", "keep/k.htaccess"):
        write(tmp, rel, LOOP)
    write(tmp, "conf.d/x.conf", "Redirect /a /b\n")  # implicit 302: RL101
    write(tmp, ".gitignore", "vendor/\n/dist\n*.bak\n")
    write(tmp, "notes.bak", LOOP)
    os.symlink("site.htaccess", os.path.join(tmp, "link.htaccess"))
    have_git = shutil.which("git") is not None
    all_files = ["./conf.d/x.conf", "./dist/out.htaccess", "./keep/k.htaccess", "./legacy/old.htaccess",
                 "./site.htaccess", "./vendor/v.htaccess"]

    # Outside a git work tree .gitignore means nothing (as for git itself).
    expect_files(["."], tmp, all_files, rc=1, summary="5 errors, 1 warning in 6 files")
    if have_git:
        subprocess.run(["git", "init", "-q", tmp], check=True)
        not_ignored = [f for f in all_files if not f.startswith(("./vendor", "./dist"))]
        expect_files(["."], tmp, not_ignored, rc=1, summary="in 4 files")
        expect_files(["--no-ignore", "."], tmp, all_files)
        expect_files(["vendor"], tmp, ["vendor/v.htaccess"])  # an ignored folder named on the command line
        expect_files(["vendor/v.htaccess"], tmp, ["vendor/v.htaccess"])  # a named file is always read
        expect_files([tmp], "/", [os.path.join(tmp, f[2:]) for f in not_ignored])  # absolute paths too
        subprocess.run(["git", "-C", tmp, "add", "-f", "vendor/v.htaccess"], check=True)
        expect_files(["."], tmp, not_ignored + ["./vendor/v.htaccess"])  # tracked files are never ignored
        subprocess.run(["git", "-C", tmp, "rm", "-q", "--cached", "vendor/v.htaccess"], check=True)
    else:
        print("git not installed: .gitignore cases skipped")
        not_ignored = all_files

    # --exclude: a folder name anywhere, an anchored glob, a file glob; named files too (pre-commit names them).
    expect_files(["--no-ignore", "--exclude", "legacy", "--exclude", "dist/**", "--exclude", "*.conf", "."], tmp,
                 ["./keep/k.htaccess", "./site.htaccess", "./vendor/v.htaccess"])
    code, out, err = run(["check", "--exclude", "*.htaccess", "site.htaccess"], tmp)
    if code != 0 or 'site.htaccess: not checked: excluded by --exclude "*.htaccess"' not in err or \
            "no problems found in 0 files" not in err:
        failures.append(f"a named excluded file: exit {code}, stderr {err!r}")

    # Settings in .redirlint.yaml: exclude, per-path (format, htaccess-dir, ignore), per-file-ignores.
    write(tmp, ".redirlint.yaml", "exclude: [legacy/]\n"
          "per-path:\n"
          "  \"conf.d/*.conf\": {ignore: [RL101, RL104]}\n"
          "  \"rules/*.txt\": {format: netlify}\n"
          "  \"blog/**\": {htaccess-dir: /blog/}\n"
          "per-file-ignores:\n"
          "  \"keep/**\": [redirect-loop]\n")
    write(tmp, "rules/r.txt", "/a /b 302\n/b /c 301\n")  # a chain, once read as _redirects
    write(tmp, "blog/.htaccess", "RewriteEngine On\nRewriteRule ^a$ /blog/b [R=301,L]\nRewriteRule ^b$ /blog/a [R=301,L]\n")
    expect_files(["--no-ignore", "."], tmp,
                 ["./blog/.htaccess", "./dist/out.htaccess", "./site.htaccess", "./vendor/v.htaccess"])
    code, out, err = run(["check", "--output", "gcc", "rules/r.txt"], tmp)
    if "[RL201]" not in out:
        failures.append(f"per-path format: netlify: no RL201 for rules/r.txt: {out!r}{err!r}")
    code, out, err = run(["check", "--output", "gcc", "--format", "apache", "rules/r.txt"], tmp)
    if "[RL201]" in out:
        failures.append(f"--format wins over per-path format: {out!r}")
    code, out, err = run(["check", "--output", "gcc", "blog/.htaccess"], tmp)
    if "http://example.com/blog/b" not in out or "[RL202]" not in out:
        failures.append(f"per-path htaccess-dir /blog/: {out!r}{err!r}")
    code, out, err = run(["check", "legacy/old.htaccess"], tmp)
    if 'excluded by exclude: in ' not in err or '"legacy/"' not in err or code != 0:
        failures.append(f"a named file excluded by the config: exit {code}, {err!r}")
    write(tmp, "bad/.redirlint.yaml", "exclude: {a: 1}\n")
    write(tmp, "bad/x.htaccess", LOOP)
    code, out, err = run(["check", "bad"], tmp)
    if code != 3 or err.count("expected a list of path globs") != 1:
        failures.append(f"a bad exclude: exit {code} (want 3, error once): {err!r}")
    shutil.rmtree(os.path.join(tmp, "bad"))
    os.remove(os.path.join(tmp, ".redirlint.yaml"))

    # The same file twice: named twice, through ./ and a symlink, and inside a walked folder.
    expect_files(["site.htaccess", "./site.htaccess", "link.htaccess"], tmp, ["site.htaccess"],
                 summary="1 error in 1 file")
    expect_files(["keep", "keep/k.htaccess", "keep/../keep/k.htaccess"], tmp, ["keep/k.htaccess"],
                 summary="1 error in 1 file")
    # A file that cannot be read is a file of the summary: "1 error in 1 file", never "in 0 files".
    code, out, err = run(["check", "--color", "never", "missing.conf"], tmp)
    if code != 2 or "1 error in 1 file" not in out + err:
        failures.append(f"an unreadable file: exit {code}, {out + err!r}")
    code, out, err = run(["check", "--color", "never", "missing.conf", "site.htaccess"], tmp)
    if "2 errors in 2 files" not in out + err:
        failures.append(f"an unreadable and a looping file: {out + err!r}")

if failures:
    print("FAIL:\n  " + "\n\n  ".join(failures))
    sys.exit(1)
print("walks honour .gitignore, --exclude, exclude:, per-path: and per-file-ignores:; each file once; counts right")
