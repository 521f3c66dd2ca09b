#!/usr/bin/env python3
"""Generates redirect rule sets with known chains, loops and shadowed rules (issues 5 and 8).

    python3 bench/gen.py --rules N --format apache|htaccess|nginx|netlify|yaml
                         [--inject-chains K] [--inject-loops K] [--inject-shadowed K]
                         [--inject-self K] [--prelude] [--seed S] [-o FILE] [--findings FILE|-] [--urls FILE]

The base rules never interact: every source starts with its own first path segment
(`/e12-3fa9`, `/s7-0c1d/`, `^/r5-77aa/`) and every target lives under `/t...`, which no rule
matches. Injected groups are interleaved at random places:
- chain K:    /cK-a -> /cK-b, /cK-b -> /cK-c              RL201 at the first rule
- loop K:     /lK-a -> /lK-b, /lK-b -> /lK-a              RL202 at the first rule
- shadowed K: a broad rule for /hK-../ then a narrower one  RL203 at the narrower rule
- self K:     /fK-../(.*) -> /fK-../x/$1 (feeds itself)    RL202 at the rule (redirects forever)
--prelude puts the canonical rules of real sites at the top, in the format's idiom: http -> https and
example.com -> www.example.com (issue 15; htaccess, nginx, netlify). The other rules then answer on
https://www.example.com.
--findings writes the expected findings as JSON: [{"code": "RL201", "line": 12}, ...] (lines are
1-based in the generated file).
--urls writes one request target per base rule, for `redirlint trace --urls` (issue 8): the rule's
own source (exact), a path under it (prefix), a path its regex matches, and every fourth one a miss.
"""
import argparse
import json
import random
import sys


def rule_text(fmt, kind, src, dst, status=301):
    """One rule in `fmt`. kind: exact | prefix | regex (src is then the literal stem)."""
    if fmt == "apache":
        if kind == "exact":
            return f"RedirectMatch {status} ^{src}$ {dst}"
        if kind == "prefix":
            return f"Redirect {status} {src} {dst}"
        return f"RedirectMatch {status} ^{src}/(\\d+)$ {dst}/$1"
    if fmt == "htaccess":
        if kind == "exact":
            return f"RewriteRule ^{src[1:]}$ {dst} [R={status},L]"
        if kind == "prefix":
            return f"RewriteRule ^{src[1:]}/ {dst} [R={status},L]"
        return f"RewriteRule ^{src[1:]}/(\\d+)$ {dst}/$1 [R={status},L]"
    if fmt == "nginx":
        if kind == "exact":
            return f"    location = {src} {{ return {status} {dst}; }}"
        if kind == "prefix":
            return f"    location {src}/ {{ return {status} {dst}; }}"
        return f"    location ~ ^{src}/(\\d+)$ {{ return {status} {dst}/$1; }}"
    if fmt == "netlify":
        if kind == "exact":
            return f"{src} {dst} {status}"
        if kind == "prefix":
            return f"{src}/* {dst}/:splat {status}"
        return f"{src}/:id {dst}/:id {status}"
    if fmt == "yaml":
        if kind == "exact":
            return f"  - from: {src}\n    to: {dst}\n    status: {status}"
        if kind == "prefix":
            return f"  - from: {src}/*\n    to: {dst}/\n    status: {status}"
        return f"  - from: '^{src}/(\\d+)$'\n    match: regex\n    to: {dst}/$1\n    status: {status}"
    raise SystemExit(f"unknown format {fmt}")


def header(fmt):
    return {
        "apache": ["<VirtualHost *:80>", "    ServerName example.com"],
        "htaccess": ["RewriteEngine On"],
        "nginx": ["server {", "    listen 80;", "    server_name example.com;"],
        "netlify": [],
        "yaml": ["version: 1", "redirects:"],
    }[fmt]


def prelude(fmt):
    """Force-https and canonical-host rules as real sites write them (first lines of the rule set)."""
    return {
        "htaccess": ["RewriteCond %{HTTPS} off", "RewriteRule ^(.*)$ https://www.example.com/$1 [R=301,L]",
                     "RewriteCond %{HTTP_HOST} ^example\\.com$ [NC]",
                     "RewriteRule ^(.*)$ https://www.example.com/$1 [R=301,L]"],
        "nginx": ["    listen 443 ssl;", "    server_name www.example.com;",
                  "    if ($scheme = http) { return 301 https://www.example.com$request_uri; }",
                  "    if ($host = example.com) { return 301 https://www.example.com$request_uri; }"],
        "netlify": ["http://example.com/* https://www.example.com/:splat 301!",
                    "https://example.com/* https://www.example.com/:splat 301!",
                    "http://www.example.com/* https://www.example.com/:splat 301!"],
    }.get(fmt, [])


def self_feeding(fmt, k, tag):
    """A regex redirect whose target its own pattern matches again, one segment longer each hop."""
    stem = f"/f{k}-{tag}"
    return {
        "apache": f"RedirectMatch 301 ^{stem}/(.*)$ {stem}/x/$1",
        "htaccess": f"RewriteRule ^{stem[1:]}/(.*)$ {stem}/x/$1 [R=301,L]",
        "nginx": f"    location ~ ^{stem}/(.*)$ {{ return 301 {stem}/x/$1; }}",
        "netlify": f"{stem}/* {stem}/x/:splat 301",
        "yaml": f"  - from: '^{stem}/(.*)$'\n    match: regex\n    to: {stem}/x/$1\n    status: 301",
    }[fmt]


def footer(fmt):
    return {"apache": ["</VirtualHost>"], "nginx": ["}"]}.get(fmt, [])


def shadow_pair(fmt, k, tag):
    """(broad, narrow) texts: the narrow rule can never fire."""
    stem = f"/h{k}-{tag}"
    broad = rule_text(fmt, "prefix", stem, f"/th{k}-{tag}")
    if fmt == "nginx":
        broad = f"    location ~ ^{stem}/ {{ return 301 /th{k}-{tag}; }}"
        narrow = f"    location ~ ^{stem}/x(\\d+)$ {{ return 301 /tn{k}-{tag}/$1; }}"
    elif fmt == "apache":
        narrow = f"RedirectMatch 301 ^{stem}/x(\\d+)$ /tn{k}-{tag}/$1"
    elif fmt == "htaccess":
        narrow = f"RewriteRule ^{stem[1:]}/x(\\d+)$ /tn{k}-{tag}/$1 [R=301,L]"
    else:
        narrow = rule_text(fmt, "exact", f"{stem}/x1", f"/tn{k}-{tag}")
    return broad, narrow


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--format", required=True, choices=["apache", "htaccess", "nginx", "netlify", "yaml"])
    ap.add_argument("--inject-chains", type=int, default=0)
    ap.add_argument("--inject-loops", type=int, default=0)
    ap.add_argument("--inject-shadowed", type=int, default=0)
    ap.add_argument("--inject-self", type=int, default=0)
    ap.add_argument("--prelude", action="store_true", help="canonical rules (http->https, apex->www) at the top")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--findings", help="write the injected findings as JSON to this file ('-' = stdout)")
    ap.add_argument("--urls", help="write one request target per base rule to this file (for trace --urls)")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    fmt = a.format

    def tag():
        return f"{rnd.getrandbits(16):04x}"

    # Units: lists of (text, code-or-None); a unit stays together.
    units = []
    urls = []
    for i in range(a.rules):
        kind = rnd.choices(["exact", "prefix", "regex"], weights=[6, 2, 2])[0]
        letter = {"exact": "e", "prefix": "s", "regex": "r"}[kind]
        t = tag()
        src = f"/{letter}{i}-{t}"
        urls.append(f"/miss-{i}/x?q={i}" if i % 4 == 3 else {"exact": src, "prefix": src + "/x?q=1", "regex": src + "/42"}[kind])
        units.append([(rule_text(fmt, kind, f"/{letter}{i}-{t}", f"/t{letter}{i}-{t}", rnd.choice([301, 301, 301, 308])), None)])
    for k in range(a.inject_chains):
        t = tag()
        units.append([(rule_text(fmt, "exact", f"/c{k}-{t}-a", f"/c{k}-{t}-b"), "RL201"),
                      (rule_text(fmt, "exact", f"/c{k}-{t}-b", f"/tc{k}-{t}-c"), None)])
    for k in range(a.inject_loops):
        t = tag()
        units.append([(rule_text(fmt, "exact", f"/l{k}-{t}-a", f"/l{k}-{t}-b"), "RL202"),
                      (rule_text(fmt, "exact", f"/l{k}-{t}-b", f"/l{k}-{t}-a"), None)])
    for k in range(a.inject_shadowed):
        broad, narrow = shadow_pair(fmt, k, tag())
        units.append([(broad, None), (narrow, "RL203")])
    for k in range(a.inject_self):
        units.append([(self_feeding(fmt, k, tag()), "RL202")])
    rnd.shuffle(units)

    lines = header(fmt)
    if a.prelude:
        if fmt == "nginx":
            lines = [l for l in lines if "server_name" not in l]
        lines.extend(prelude(fmt))
    findings = []
    for unit in units:
        for text, code in unit:
            if code:
                findings.append({"code": code, "line": len(lines) + 1})
            lines.extend(text.split("\n"))
    lines.extend(footer(fmt))
    out = "\n".join(lines) + "\n"
    if a.output == "-":
        sys.stdout.write(out)
    else:
        with open(a.output, "w") as f:
            f.write(out)
    if a.urls:
        with open(a.urls, "w") as f:
            f.write("".join(u + "\n" for u in urls))
    if a.findings:
        text = json.dumps(findings, indent=1) + "\n"
        if a.findings == "-":
            sys.stdout.write(text)
        else:
            with open(a.findings, "w") as f:
                f.write(text)


if __name__ == "__main__":
    main()
