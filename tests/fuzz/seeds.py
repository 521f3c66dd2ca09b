#!/usr/bin/env python3
"""seeds.py TARGET OUTDIR: assembles the seed corpus of one fuzz target at run time from samples/,
tests/checks/**, tests/differential/cases, tests/grammar and tests/fuzz/seeds/TARGET (nothing is copied
into git). Target names are those of tests/fuzz/targets.cmake."""
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FORMATS = ["apache", "htaccess", "nginx", "yaml", "netlify"]  # rl::Format order
MAX = 64 * 1024


def files_under(*dirs):
    for d in dirs:
        for base, _, names in os.walk(os.path.join(ROOT, d)):
            for n in names:
                p = os.path.join(base, n)
                if os.path.getsize(p) <= MAX:
                    yield p


def read(p):
    with open(p, "rb") as f:
        return f.read()


def case_sections(server):
    """(section name, bytes) of every differential case file of `server`."""
    d = os.path.join(ROOT, "tests/differential/cases", server)
    if not os.path.isdir(d):
        return
    for n in sorted(os.listdir(d)):
        name, buf = None, []
        for line in read(os.path.join(d, n)).splitlines(keepends=True):
            if line.startswith(b"--- "):
                if name:
                    yield name, b"".join(buf)
                name, buf = line[4:].split()[0].decode(), []
            else:
                buf.append(line)
        if name:
            yield name, b"".join(buf)


def grammar_table(fmt):
    p = os.path.join(ROOT, "tests/grammar/%s_cases.txt" % fmt)
    if not os.path.exists(p):
        return
    for line in read(p).decode("utf-8", "replace").splitlines():
        if "\t" in line and not line.startswith("#"):
            text = line.split("\t", 1)[1]
            yield text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\").encode()


def format_of(p, data):
    n = os.path.basename(p)
    if n.endswith(".htaccess") or n == ".htaccess":
        return "htaccess"
    if n == "_redirects" or n.endswith(".redirects"):
        return "netlify"
    if n == "netlify.toml" or n.endswith(".netlify.toml"):
        return "netlify_toml"
    if n == "vercel.json" or n.endswith(".vercel.json"):
        return "vercel"
    if n.endswith(".csv"):
        return "cloudflare_bulk"
    if n == "web.config" or n.endswith(".web.config"):
        return "iis"
    if n.endswith((".yaml", ".yml")):
        return "yaml" if re.search(rb"^(version|redirects):", data, re.M) else None
    if n.endswith(".conf"):
        if re.search(rb"^\s*(location|server|return|rewrite)\b.*[;{]\s*$", data, re.M):
            return "nginx"
        if re.search(rb"^\s*(Redirect|Rewrite|Alias|<VirtualHost|<Location|<Directory)", data, re.M | re.I):
            return "apache"
    return None


def format_inputs(fmt):
    for p in files_under("samples", "tests/checks", "tests/grammar", "tests/trace", "tests/convert"):
        data = read(p)
        if format_of(p, data) == fmt:
            yield data
    if fmt in ("apache", "nginx"):
        for name, text in case_sections(fmt):
            if name == "config":
                yield text
    if fmt == "htaccess":
        for name, text in case_sections("htaccess"):
            if name == "htaccess":
                yield text
    if fmt == "apache":
        for name, text in case_sections("htaccess"):
            if name == "config":
                yield text
    yield from grammar_table(fmt)


def patterns():
    rx = re.compile(rb"^\s*(?:RewriteRule|RewriteCond\s+\S+|RedirectMatch(?:\s+\d{3}|\s+\w+)?|AliasMatch)\s+(\S+)", re.I | re.M)
    ng = re.compile(rb"(?:location\s+~\*?|rewrite|if\s*\(\$\w+\s+!?~\*?)\s+\"?([^\s\"{;]+)")
    for fmt in ("apache", "htaccess", "nginx"):
        for data in format_inputs(fmt):
            for m in rx.finditer(data):
                yield m.group(1)
            for m in ng.finditer(data):
                yield m.group(1)


def requests():
    for server in ("apache", "htaccess", "nginx"):
        for name, text in case_sections(server):
            if name == "requests":
                for line in text.splitlines():
                    if line.strip() and not line.startswith(b"#"):
                        yield line.strip()


def seeds(target):
    m = re.match(r"(parse|check)_(\w+)$", target)
    if m:
        yield from format_inputs(m.group(2))
    elif target == "automaton":
        pats = list(dict.fromkeys(patterns()))
        for i, p in enumerate(pats):
            yield bytes([i & 1]) + p
            if i + 1 < len(pats):
                yield bytes([0]) + p + b"\0" + pats[i + 1]
    elif target == "simulate":
        for i, r in enumerate(dict.fromkeys(requests())):
            for sel in range(4):
                yield bytes([(i * 7 + sel * 31) & 0xFF]) + r
    elif target == "roundtrip":
        for i, fmt in enumerate(FORMATS):
            for data in format_inputs(fmt):
                yield bytes([i]) + data
    for name in (target, re.sub(r"^check_", "parse_", target)) if m else (target,):
        own = os.path.join(ROOT, "tests/fuzz/seeds", name)
        if os.path.isdir(own) and (name == target or m.group(1) == "check"):
            for p in files_under(os.path.relpath(own, ROOT)):
                yield read(p)


def main():
    target, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = 0
    for data in seeds(target):
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        n += 1
    print("%s: %d seeds" % (target, n), file=sys.stderr)


if __name__ == "__main__":
    main()
