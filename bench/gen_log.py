#!/usr/bin/env python3
"""Generates an access log for `redirlint logs` benchmarks (issue 22).

    python3 bench/gen.py --rules 100000 --format apache --inject-chains 50 -o rules.conf --urls urls.txt
    python3 bench/gen_log.py --urls urls.txt --rules rules.conf --lines 1000000 -o access.log.gz [--seed S]

Each line is in the combined format (one in five in the common format), dated over 30 days of
November 2026 in order. Requests follow a Zipf-like popularity over the --urls targets (the rules'
own sources and misses, from bench/gen.py) plus site pages (`/page-N`, logged 200) and a tail of 404
paths (`/gone-N`); with --rules, the first rule of each chain gen.py injected (`/cK-xxxx-a`) too. A name ending in .gz is
written gzip-compressed.
"""
import argparse
import gzip
import random
import re
from urllib.parse import urlsplit

ap = argparse.ArgumentParser()
ap.add_argument("--urls", required=True)
ap.add_argument("--lines", type=int, default=1_000_000)
ap.add_argument("--rules", help="the gen.py rules file: its injected chains (/cK-xxxx-a) are requested too")
ap.add_argument("-o", required=True)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
rnd = random.Random(a.seed)

targets = []
for u in open(a.urls):
    u = u.strip()
    if u:
        s = urlsplit(u)
        targets.append((s.path or "/") + ("?" + s.query if s.query else "") if s.scheme else u)
if a.rules:
    targets += sorted(set(re.findall(r"/c\d+-[0-9a-f]+-a(?=[$\s])", open(a.rules).read())))
pages = [f"/page-{i}" for i in range(max(100, len(targets) // 10))]
gone = [f"/gone-{i}" for i in range(max(50, len(targets) // 20))]
ua = '"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'


def zipf(n):
    # index with P(i) ~ 1/(i+1): popular few, long tail
    return min(n - 1, int(n ** rnd.random()) - 1)


opener = gzip.open if a.o.endswith(".gz") else open
with opener(a.o, "wt") as f:
    for i in range(a.lines):
        day = 1 + i * 30 // a.lines
        sec = (i * 86400 * 30 // a.lines) % 86400
        r = rnd.random()
        if r < 0.6:
            path, status = targets[zipf(len(targets))], 301
        elif r < 0.9:
            path, status = pages[zipf(len(pages))], 200
        else:
            path, status = gone[zipf(len(gone))], 404
        ip = f"198.51.{rnd.randrange(256)}.{rnd.randrange(256)}"
        line = (f'{ip} - - [{day:02d}/Nov/2026:{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d} +0000] '
                f'"GET {path} HTTP/1.1" {status} {rnd.randrange(200, 20000)}')
        if i % 5:
            line += f' "-" {ua}'
        f.write(line + "\n")
