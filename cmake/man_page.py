#!/usr/bin/env python3
"""man_page.py REDIRLINT OUT: writes redirlint(1) from the binary's own help.

The page is generated, never written by hand: NAME and the summary from `redirlint --help`, one
subsection per subcommand with its `--help` verbatim, the exit codes of DESIGN §7 and the check
list from `redirlint list-checks` (the registry). A subcommand or flag added to the CLI is in the
page at the next build.
"""
import subprocess
import sys


def run(exe, *args):
    out = subprocess.run([exe, *args], capture_output=True, text=True, check=True).stdout
    # The usage line names the binary by the path it was run with; the page names it "redirlint".
    return out.replace(exe, "redirlint")


def roff_escape(line):
    line = line.replace("\\", "\\e")
    if line.startswith((".", "'")):
        line = "\\&" + line
    return line.replace("-", "\\-")


def verbatim(text):
    return ".nf\n" + "\n".join(roff_escape(l) for l in text.rstrip("\n").split("\n")) + "\n.fi\n"


def main():
    exe, out_path = sys.argv[1], sys.argv[2]
    top = run(exe, "--help")
    version = run(exe, "--version").split()[-1]
    summary = top.split("\n", 1)[0].split(":", 1)[-1].strip()
    subcommands = []
    on = False
    for line in top.splitlines():
        if line.startswith("Subcommands:"):
            on = True
            continue
        if on and line.startswith("  ") and line.strip():
            name, _, what = line.strip().partition(" ")
            subcommands.append((name, what.strip()))
    page = [
        f'.TH REDIRLINT 1 "" "redirlint {version}" "User Commands"',
        ".SH NAME",
        f"redirlint \\- {roff_escape(summary)}",
        ".SH SYNOPSIS",
        ".B redirlint",
        "\\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR] ...",
        ".SH DESCRIPTION",
        "redirlint reads Apache (server configuration and .htaccess), nginx, _redirects and redirlint's "
        "YAML rule files into one model, simulates requests on it, reports chains, loops, shadowed rules "
        "and risky status codes with an example request, and converts rules between the formats.",
        ".SH SUBCOMMANDS",
    ]
    for name, what in subcommands:
        page += [f".SS {name}", verbatim(run(exe, name, "--help"))]
    page += [
        ".SH EXIT STATUS",
        ".TP\n.B 0\nclean, or converted exactly",
        ".TP\n.B 1\nfindings at or above \\-\\-fail\\-level (or a rule approximated or not converted)",
        ".TP\n.B 2\nsome input unreadable or not parseable",
        ".TP\n.B 3\nusage error (bad option, bad settings file)",
        ".SH CHECKS",
        "Each code has a page: \\fBredirlint explain\\fR \\fICODE\\fR.",
        verbatim(run(exe, "list-checks")),
        ".SH FILES",
        ".TP\n.I .redirlint.yaml\nsettings, found upward from each checked file (docs/configuration.md)",
        ".SH SEE ALSO",
        "apache2(8), nginx(8); the documentation in /usr/share/doc/redirlint/.",
    ]
    with open(out_path, "w") as f:
        f.write("\n".join(page) + "\n")


if __name__ == "__main__":
    main()
