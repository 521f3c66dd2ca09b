#!/usr/bin/env python3
"""`trace` of the Apache corpus never answers definitely with a value it cannot know.

For every corpus file, requests to the file's own redirect-graph nodes plus a few generic ones
(http and https, with and without www) are traced. A Location with a scheme inside its path
(`/var/www/html/://host/...`, `http://h/://h/...`), one with an empty host (`https:///x`) or a 3xx
answer without a Location is an artefact of reading an unknown value as empty: none may appear.
Exit 77 (skip) when the corpus is absent.
"""
import os
import re
import subprocess
import sys
import tempfile

binary, corpus = sys.argv[1], sys.argv[2]
if not os.path.isdir(corpus):
    print(f"skip: no corpus at {corpus}")
    sys.exit(77)

GENERIC = ["/", "/index.php", "/a/b?x=1", "/old", "/index.html", "/blog/", "/wp-admin/"]
HOSTS = ["example.com", "www.example.com"]
BAD_LOCATION = [
    (re.compile(r"^[a-z]+://[^/]*/.*?[a-z]*://"), "a scheme inside the path"),
    (re.compile(r"^/[^?#]*://"), "a scheme inside a path"),
    (re.compile(r"^://|^[a-z]+:///|^[a-z]+://[?#]|^[a-z]+://$"), "an empty host"),
]


def urls_for(path, args):
    urls = set()
    for scheme in ("http", "https"):
        for host in HOSTS:
            for p in GENERIC:
                urls.add(f"{scheme}://{host}{p}")
    graph = subprocess.run([binary, "graph"] + args + [path], capture_output=True, text=True, errors="replace", timeout=120)
    for label in re.findall(r'label="(https?://[^"]+)"', graph.stdout):
        urls.add(label)
    return sorted(urls)


names = sorted(n for n in os.listdir(corpus) if not n.startswith("."))
failures = 0
traced = 0
with tempfile.TemporaryDirectory() as tmp:
    for name in names:
        path = os.path.join(corpus, name)
        args = ["--format", "apache"] if name.endswith(".conf") else []
        urls = urls_for(path, args)
        listing = os.path.join(tmp, "urls.txt")
        with open(listing, "w") as f:
            f.write("\n".join(urls) + "\n")
        out = subprocess.run([binary, "trace", "--output", "tsv", "--urls", listing] + args + [path],
                             capture_output=True, text=True, errors="replace", timeout=120)
        if out.returncode < 0:
            print(f"FAIL {name}: trace crashed with {out.returncode}")
            failures += 1
            continue
        for line in out.stdout.splitlines():
            cols = line.split("\t")
            if len(cols) != 4:
                continue
            traced += 1
            status, location = cols[2], cols[3]
            why = None
            if status.isdigit() and 300 <= int(status) < 400 and location in ("-", ""):
                why = "a redirect without a Location"
            for pattern, what in BAD_LOCATION:
                if why is None and location not in ("-", "") and pattern.search(location):
                    why = f"a Location with {what}"
            if why:
                print(f"FAIL {name}: {cols[0]} {cols[1]} -> {status} {location}: {why}")
                failures += 1
print(f"apache corpus trace: {traced} requests, {failures} artefacts")
sys.exit(1 if failures else 0)
