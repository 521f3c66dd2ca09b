#!/usr/bin/env python3
"""Writes keep what they replace and never leave debris (issue 20). `check --fix`, `convert -o`,
`check --baseline --update-baseline` and `check --output-file`:
- through a symbolic link write the link's target; the link stays a link;
- keep the replaced file's mode, owner and group;
- refuse (exit 2, a message naming the path and "read-only" / "directory" / "owner", the file
  byte-for-byte unchanged, no temporary file) a read-only file, a directory, and - as an unprivileged
  user - a file whose owner cannot be kept;
- on SIGINT / SIGTERM raised while the temporary file exists (the preload shim raises it inside
  fsync) exit 130 / 143, leave the target unchanged and remove the temporary file; a signal outside
  a write ends the process with the same codes.
usage: writes.py REDIRLINT SIGNAL_IN_FSYNC_SO"""
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time

RULES = "".join(f"Redirect /old/{i} /new/{i}\n" for i in range(50))  # implicit 302: RL101 fixes every line
FIX = ["check", "--fix", "--select", "RL101", "--format", "apache"]
FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


def ok(since, msg):
    if len(FAILS) == since:
        print("ok", msg)


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def debris(d):
    return [n for n in os.listdir(d) if ".redirlint-" in n]


def run(exe, args, cwd, env=None, preexec=None):
    return subprocess.run([exe] + args, cwd=cwd, capture_output=True, text=True, timeout=60, env=env,
                          preexec_fn=preexec)


def symlink_owner_mode(exe, root):
    since = len(FAILS)
    with tempfile.TemporaryDirectory() as d:
        os.mkdir(os.path.join(d, "conf"))
        real = os.path.join(d, "conf", "site.conf")
        write(real, RULES, 0o640)
        if root:
            os.chown(real, 1234, 2345)
        os.symlink("conf/site.conf", os.path.join(d, "link.conf"))
        r = run(exe, FIX + ["link.conf"], d)
        st = os.stat(real)
        if r.returncode not in (0, 1) or "Redirect 302 /old/0 /new/0" not in read(real).decode():
            fail(f"--fix through a symlink: exit {r.returncode}, target not fixed: {r.stderr[-300:]}")
        if not os.path.islink(os.path.join(d, "link.conf")):
            fail("--fix replaced the symbolic link by a file")
        if stat.S_IMODE(st.st_mode) != 0o640:
            fail(f"--fix changed the mode 0640 to {oct(stat.S_IMODE(st.st_mode))}")
        if root and (st.st_uid, st.st_gid) != (1234, 2345):
            fail(f"--fix run as root changed the owner 1234:2345 to {st.st_uid}:{st.st_gid}")
        # convert -o, --baseline and --output-file through links too.
        out_real = os.path.join(d, "conf", "out.conf")
        write(out_real, "# old\n", 0o600)
        os.symlink("conf/out.conf", os.path.join(d, "out.conf"))
        base_real = os.path.join(d, "conf", "base.json")
        write(base_real, "", 0o664)
        os.symlink(base_real, os.path.join(d, "base.json"))  # an absolute link
        rep_real = os.path.join(d, "conf", "report.json")
        write(rep_real, "", 0o660)
        os.symlink("conf/report.json", os.path.join(d, "report.json"))
        for args, link, target, mode in (
                (["convert", "--to", "nginx", "-o", "out.conf", "link.conf"], "out.conf", out_real, 0o600),
                (["check", "--baseline", "base.json", "--update-baseline", "link.conf"], "base.json", base_real, 0o664),
                (["check", "--output", "json", "--output-file", "report.json", "link.conf"], "report.json", rep_real,
                 0o660)):
            r = run(exe, args, d)
            if r.returncode not in (0, 1) or not read(target) or read(target) == b"# old\n":
                fail(f"{args[:2]}: exit {r.returncode}, {target} not written: {r.stderr[-300:]}")
            if not os.path.islink(os.path.join(d, link)):
                fail(f"{args[:2]} replaced the symbolic link {link} by a file")
            if stat.S_IMODE(os.stat(target).st_mode) != mode:
                fail(f"{args[:2]} changed the mode of {target} from {oct(mode)}")
        if debris(d) or debris(os.path.join(d, "conf")):
            fail(f"temporary files left: {debris(d) + debris(os.path.join(d, 'conf'))}")
    ok(since, "symlinks followed, mode" + (", owner and group" if root else "") + " kept (fix, -o, baseline, output-file)")


def refused(exe, name, args, cwd, victim, words, preexec=None):
    before = read(victim) if os.path.isfile(victim) else None
    mode = os.stat(victim).st_mode
    r = run(exe, args, cwd, preexec=preexec)
    if r.returncode != 2:
        fail(f"{name}: exit {r.returncode}, expected 2: {r.stderr[-300:]}")
    if not all(w in r.stderr for w in words):
        fail(f"{name}: stderr does not say {words}: {r.stderr[-300:]!r}")
    if before is not None and read(victim) != before:
        fail(f"{name}: {victim} was changed")
    if os.stat(victim).st_mode != mode:
        fail(f"{name}: the mode of {victim} was changed")
    if debris(cwd):
        fail(f"{name}: temporary files left: {debris(cwd)}")


def refusals(exe, root):
    since = len(FAILS)
    with tempfile.TemporaryDirectory() as d:
        write(os.path.join(d, "ro.conf"), RULES, 0o444)
        refused(exe, "--fix on a read-only file", FIX + ["ro.conf"], d, os.path.join(d, "ro.conf"),
                ["ro.conf", "read-only"])
        write(os.path.join(d, "rules.conf"), RULES)
        write(os.path.join(d, "ro.out"), "# keep\n", 0o440)
        refused(exe, "convert -o onto a read-only file", ["convert", "--to", "nginx", "-o", "ro.out", "rules.conf"], d,
                os.path.join(d, "ro.out"), ["ro.out", "read-only"])
        os.mkdir(os.path.join(d, "outdir"))
        refused(exe, "convert -o onto a directory", ["convert", "--to", "nginx", "-o", "outdir", "rules.conf"], d,
                os.path.join(d, "outdir"), ["outdir", "directory"])
        refused(exe, "--output-file onto a directory", ["check", "--output-file", "outdir", "rules.conf"], d,
                os.path.join(d, "outdir"), ["outdir", "directory"])
        os.symlink("ro.conf", os.path.join(d, "ro-link.conf"))
        refused(exe, "--fix through a link to a read-only file", FIX + ["ro-link.conf"], d, os.path.join(d, "ro.conf"),
                ["ro-link.conf", "read-only"])
        if root:
            # Unprivileged, a file that is writable but owned by root cannot keep its owner when replaced.
            os.chmod(d, 0o777)
            write(os.path.join(d, "shared.conf"), RULES, 0o666)
            nobody = lambda: (os.setgid(65534), os.setuid(65534))  # noqa: E731
            refused(exe, "--fix as nobody on root's world-writable file", FIX + ["shared.conf"], d,
                    os.path.join(d, "shared.conf"), ["shared.conf", "owner"], preexec=nobody)
    ok(since, "read-only files, directories" + (" and unkeepable owners" if root else "") + " refused: exit 2, unchanged")


def signals(exe, shim):
    since = len(FAILS)
    env = dict(os.environ)
    env["LD_PRELOAD"] = shim
    # An ASan build must accept a preloaded library before its runtime.
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
    for sig in (signal.SIGINT, signal.SIGTERM):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "rules.conf"), RULES, 0o640)
            write(os.path.join(d, "out.conf"), "# old output\n")
            for name, args, victim in (("--fix", FIX + ["rules.conf"], "rules.conf"),
                                       ("convert -o", ["convert", "--to", "nginx", "-o", "out.conf", "rules.conf"],
                                        "out.conf")):
                before = read(os.path.join(d, victim))
                env["RL_SIGNAL_IN_FSYNC"] = str(int(sig))
                r = run(exe, args, d, env=env)
                if r.returncode != 128 + sig:
                    fail(f"{name}: {sig.name} during the write: exit {r.returncode}, expected {128 + sig}")
                if read(os.path.join(d, victim)) != before:
                    fail(f"{name}: {sig.name} during the write changed {victim}")
                if debris(d):
                    fail(f"{name}: {sig.name} during the write left {debris(d)}")
    # Outside a write (the language server waiting for input) the same exit codes.
    for sig in (signal.SIGINT, signal.SIGTERM):
        p = subprocess.Popen([exe, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.2)
        p.send_signal(sig)
        rc = p.wait(timeout=10)
        p.stdin.close()
        if rc != 128 + sig:
            fail(f"lsp: {sig.name} while waiting: exit {rc}, expected {128 + sig}")
    ok(since, "SIGINT/SIGTERM inside the write: exit 130/143, target unchanged, no temporary file left")


def main():
    exe = os.path.abspath(sys.argv[1])
    shim = os.path.abspath(sys.argv[2])
    root = os.geteuid() == 0
    symlink_owner_mode(exe, root)
    refusals(exe, root)
    signals(exe, shim)
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
