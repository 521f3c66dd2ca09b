#!/usr/bin/env python3
"""Human output end to end: `redirlint check` on a real pseudo-terminal is pretty (source line, caret,
summary) and coloured; NO_COLOR keeps it pretty without colours; a pipe gets plain gcc lines with the
summary on stderr; `--output gcc` stays one line per diagnostic even on a terminal.

usage: text_output.py REDIRLINT SOURCE_DIR
"""
import os
import pty
import subprocess
import sys

failures = []


def expect(cond, why):
    print(("ok   " if cond else "FAIL ") + why)
    if not cond:
        failures.append(why)


def on_tty(args, env):
    """Runs with stdout and stderr on a pseudo-terminal; returns what the terminal shows."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(args[0], args, env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode(errors="replace").replace("\r\n", "\n")


def main():
    exe, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.chdir(os.path.join(src, "tests", "integrations", "golden"))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = [exe, "check", "site.htaccess"]

    tty = on_tty(args, env)
    print(tty)
    expect("\x1b[" in tty, "colours on a terminal")
    expect(" 2 | Redirect /old /new\n" in tty.replace("\x1b[1m", "").replace("\x1b[0m", ""), "the source line is shown")
    expect("^~~~~~~~~~~~~~~~~~" in tty, "a caret and underline under the range")
    expect("warning" in tty.splitlines()[-1] and "in 1 file" in tty.splitlines()[-1], "a summary line at the end")

    plain = on_tty(args, dict(env, NO_COLOR="1"))
    expect("\x1b[" not in plain, "NO_COLOR turns colours off")
    expect(" 2 | Redirect /old /new\n" in plain, "NO_COLOR output is still pretty")

    gcc_tty = on_tty(args[:2] + ["--output", "gcc"] + args[2:], env)
    expect("\x1b[" not in gcc_tty and " | " not in gcc_tty, "--output gcc stays plain on a terminal")
    expect(all(l.startswith("site.htaccess:") for l in gcc_tty.splitlines() if l), "--output gcc: one line per diagnostic")

    piped = subprocess.run(args, capture_output=True, text=True, env=env)
    expect("\x1b[" not in piped.stdout and " | " not in piped.stdout, "text output into a pipe is plain gcc lines")
    expect(piped.stdout.startswith("site.htaccess:2:1: warning: "), "gcc line format file:line:col: severity: message")
    expect("in 1 file" in piped.stderr, "the summary goes to stderr when piped")
    forced = subprocess.run(args[:2] + ["--color", "always"] + args[2:], capture_output=True, text=True, env=env)
    expect("\x1b[" in forced.stdout and " | " in forced.stdout, "--color always forces the pretty coloured output")
    expect(piped.returncode == 1, "findings give exit code 1")
    print("PASS" if not failures else "FAILED: %d" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
