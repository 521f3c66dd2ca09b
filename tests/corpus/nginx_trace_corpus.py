#!/usr/bin/env python3
"""`trace` of the real-world nginx corpus never answers with an artefact of an unknown value (issue 17):
no Location with an empty host (`http:///x`, `https://:80/x`) and none with an unexpanded variable
(`$var`, `${...}`). Requests: every literal location path and rewrite prefix of each file, on each of
its server names. Skips (77) when the corpus is absent.
"""
import os
import re
import subprocess
import sys

binary, corpus = sys.argv[1], sys.argv[2]
if not os.path.isdir(corpus):
    print(f"skipped: {corpus} absent")
    sys.exit(77)
bad = []
traced = 0
for name in sorted(os.listdir(corpus)):
    path = os.path.join(corpus, name)
    if not os.path.isfile(path):
        continue
    text = open(path, encoding="utf-8", errors="replace").read()
    paths = set(re.findall(r"location\s+(?:=\s*|\^~\s*)?(/[^\s{;]*)", text))
    paths |= {m for m in re.findall(r"rewrite\s+\^(/[A-Za-z0-9_./-]*)", text)}
    hosts = {h for line in re.findall(r"server_name\s+([^;]+);", text) for h in line.split()
             if re.fullmatch(r"\.?[A-Za-z0-9.-]+", h)} or {"example.com"}
    urls = [f"http://{h.lstrip('.')}{p}" for h in sorted(hosts)[:5] for p in sorted(paths)[:200]]
    if not urls:
        continue
    r = subprocess.run([binary, "trace", "--format", "nginx", "--output", "tsv", path] + urls,
                       capture_output=True, text=True, errors="replace", timeout=120)
    for line in r.stdout.splitlines():
        cols = line.split("\t")
        if len(cols) != 4:
            continue
        traced += 1
        loc = cols[3]
        if re.match(r"^https?://(?:[:/]|$)", loc) or "$" in loc:
            bad.append(f"{name}: {cols[1]} -> {cols[2]} {loc}")
print(f"{traced} requests traced, {len(bad)} artefacts")
for b in bad[:50]:
    print("FAIL", b)
sys.exit(1 if bad or not traced else 0)
