#!/usr/bin/env python3
"""Generates redirect rule sets with known chains, loops and shadowed rules (issues 5 and 8).

    python3 bench/gen.py --rules N --format apache|htaccess|nginx|netlify|yaml
                         [--inject-chains K] [--inject-loops K] [--inject-shadowed K]
                         [--inject-self K] [--prelude] [--shape plain|real] [--real]
                         [--seed S] [-o FILE] [--findings FILE|-] [--urls FILE]

The base rules never interact: every source starts with its own first path segment
(`/e12-3fa9`, `/s7-0c1d/`, `^/r5-77aa/`) and every target lives under `/t...`, which no rule
matches. Injected groups are interleaved at random places:
- chain K:    /cK-a -> /cK-b, /cK-b -> /cK-c              RL201 at the first rule
- loop K:     /lK-a -> /lK-b, /lK-b -> /lK-a              RL202 at the first rule
- shadowed K: a broad rule for /hK-../ then a narrower one  RL203 at the narrower rule
- self K:     /fK-../(.*) -> /fK-../x/$1 (feeds itself)    RL202 at the rule (redirects forever)
--prelude puts the canonical rules of real sites at the top, in the format's idiom: http -> https and
example.com -> www.example.com (issue 15; every format: an Apache vhost then listens on 80 and 443 as
www.example.com with aliases example.com and shop.example.com). The other rules then answer on
https://www.example.com, and --urls writes full https://www.example.com/... URLs.
--shape real (Apache and .htaccess; other formats keep the plain mix) writes the base rules as most
real files do: 40% `RewriteCond %{HTTP_HOST} ^www\.example\.com$ [NC]` (one in four
`^shop\.example\.com$`) + `RewriteRule` pairs (one in four with [NC]), 25% plain `RewriteRule`s,
25% `Redirect`, 10% `RedirectMatch`; a quarter of the RewriteRules and RedirectMatches take a
`/(\d+)$` regex tail. Injected chains and loops use the same mix (guarded ones on www).
--real = --prelude --shape real with 50 chains, 50 loops and 50 shadowed pairs (150 findings), unless
--inject-* say otherwise: the benchmark shape of issue 15 (bench/run.py --shape real).
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
        "apache": ["    RewriteEngine On", "    RewriteCond %{HTTPS} off",
                   "    RewriteRule ^/(.*)$ https://www.example.com/$1 [R=301,L]",
                   "    RewriteCond %{HTTP_HOST} ^example\\.com$ [NC]",
                   "    RewriteRule ^/(.*)$ https://www.example.com/$1 [R=301,L]"],
        "yaml": [f"  - from: {origin}/*\n    to: https://www.example.com/\n    status: 301\n    force: true"
                 for origin in ("http://example.com", "https://example.com", "http://www.example.com")],
    }[fmt]


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


HOST_COND = {"www": "RewriteCond %{HTTP_HOST} ^www\\.example\\.com$ [NC]",
             "shop": "RewriteCond %{HTTP_HOST} ^shop\\.example\\.com$ [NC]"}


def real_rule_text(fmt, kind, src, dst, status=301, regex=False, host="www", nc=False):
    """A rule of a real-shaped Apache / .htaccess file. kind: guarded | rewrite | redirect | redirectmatch;
    `regex`: the source is a stem followed by /(\\d+) and the target gets /$1 (never for `redirect`,
    a Redirect prefix)."""
    lead = "/" if fmt == "apache" else ""
    if kind in ("guarded", "rewrite"):
        pattern = f"^{lead}{src[1:]}/(\\d+)$" if regex else f"^{lead}{src[1:]}$"
        target = f"{dst}/$1" if regex else dst
        rule = f"RewriteRule {pattern} {target} [R={status},L{',NC' if nc else ''}]"
        return f"{HOST_COND[host]}\n{rule}" if kind == "guarded" else rule
    if kind == "redirect":
        return f"Redirect {status} {src} {dst}"
    if regex:
        return f"RedirectMatch {status} ^{src}/(\\d+)$ {dst}/$1"
    return f"RedirectMatch {status} ^{src}$ {dst}"


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
    ap.add_argument("--inject-chains", type=int, default=None)
    ap.add_argument("--inject-loops", type=int, default=None)
    ap.add_argument("--inject-shadowed", type=int, default=None)
    ap.add_argument("--inject-self", type=int, default=0)
    ap.add_argument("--prelude", action="store_true", help="canonical rules (http->https, apex->www) at the top")
    ap.add_argument("--shape", choices=["plain", "real"], default="plain",
                    help="real: RewriteCond-guarded RewriteRules, RewriteRules, Redirects (Apache, .htaccess)")
    ap.add_argument("--real", action="store_true",
                    help="--prelude --shape real, 50 chains, 50 loops, 50 shadowed pairs (unless given)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--findings", help="write the injected findings as JSON to this file ('-' = stdout)")
    ap.add_argument("--urls", help="write one request target per base rule to this file (for trace --urls)")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    fmt = a.format
    if a.real:
        a.prelude, a.shape = True, "real"
    for name in ("inject_chains", "inject_loops", "inject_shadowed"):
        if getattr(a, name) is None:
            setattr(a, name, 50 if a.real else 0)
    real = a.shape == "real" and fmt in ("apache", "htaccess")
    origin = "https://www.example.com" if a.prelude else ""

    def real_kind():
        return rnd.choices(["guarded", "rewrite", "redirect", "redirectmatch"], weights=[40, 25, 25, 10])[0]

    def exact_rule(src, dst):
        """An exact-source rule of the file's shape (real: any kind; a guarded one on www)."""
        return real_rule_text(fmt, real_kind(), src, dst) if real else rule_text(fmt, "exact", src, dst)

    def tag():
        return f"{rnd.getrandbits(16):04x}"

    # Units: lists of (text, code-or-None); a unit stays together.
    units = []
    urls = []
    for i in range(a.rules):
        if real:
            kind = real_kind()
            regex = kind != "redirect" and rnd.random() < 0.25
            host = "shop" if kind == "guarded" and rnd.random() < 0.25 else "www"
            nc = kind == "guarded" and rnd.random() < 0.25
            letter = {"guarded": "g", "rewrite": "w", "redirect": "s", "redirectmatch": "m"}[kind]
            t = tag()
            src = f"/{letter}{i}-{t}"
            hit = src + "/42" if regex else (src + "/x?q=1" if kind == "redirect" else src)
            on = "https://shop.example.com" if host == "shop" and a.prelude else origin
            urls.append(f"{origin}/miss-{i}/x?q={i}" if i % 4 == 3 else on + (hit.upper() if nc and not regex else hit))
            units.append([(real_rule_text(fmt, kind, src, f"/t{letter}{i}-{t}", rnd.choice([301, 301, 301, 308]),
                                          regex, host, nc), None)])
            continue
        kind = rnd.choices(["exact", "prefix", "regex"], weights=[6, 2, 2])[0]
        letter = {"exact": "e", "prefix": "s", "regex": "r"}[kind]
        t = tag()
        src = f"/{letter}{i}-{t}"
        urls.append(origin + (f"/miss-{i}/x?q={i}" if i % 4 == 3 else {"exact": src, "prefix": src + "/x?q=1", "regex": src + "/42"}[kind]))
        units.append([(rule_text(fmt, kind, f"/{letter}{i}-{t}", f"/t{letter}{i}-{t}", rnd.choice([301, 301, 301, 308])), None)])
    for k in range(a.inject_chains):
        t = tag()
        units.append([(exact_rule(f"/c{k}-{t}-a", f"/c{k}-{t}-b"), "RL201"),
                      (exact_rule(f"/c{k}-{t}-b", f"/tc{k}-{t}-c"), None)])
    for k in range(a.inject_loops):
        t = tag()
        units.append([(exact_rule(f"/l{k}-{t}-a", f"/l{k}-{t}-b"), "RL202"),
                      (exact_rule(f"/l{k}-{t}-b", f"/l{k}-{t}-a"), None)])
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
        if fmt == "apache":
            lines = ["<VirtualHost *:80 *:443>", "    ServerName www.example.com",
                     "    ServerAlias example.com shop.example.com"]
        lines.extend(line for text in prelude(fmt) for line in text.split("\n"))
    elif real and fmt == "apache":
        lines.append("    RewriteEngine On")
    findings = []
    for unit in units:
        for text, code in unit:
            if code:
                # Apache reports a guarded rule at its RewriteRule line, after its RewriteCond lines.
                below = text.count("\n") if fmt in ("apache", "htaccess") else 0
                findings.append({"code": code, "line": len(lines) + 1 + below})
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
