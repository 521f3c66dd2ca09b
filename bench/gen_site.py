#!/usr/bin/env python3
"""Generates a built site and its _redirects for `redirlint site` (issue 22), with known findings.

    python3 bench/gen_site.py --pages N -o DIR [--seed S]

DIR/www/ is the site: N pages /sK/pJ/index.html (50 sections), each with a header of 12 menu links, a
canonical, a stylesheet, a script, an image and 20 links to other pages; a sitemap.xml per 10^4 pages
under a sitemap index named by robots.txt. DIR/_redirects has N/10 redirects:
- moved pages  /old/pJ -> /sK/pJ/ 301          every tenth page links to one: RL401 each
- chains       /chain/J -> /old/pJ -> ...      every hundredth page links to one (2 hops)
- missing      /gone/J -> /nowhere/J/ 301      RL403 at each (N/1000 of them)
- sitemap      N/1000 sitemap entries point at /old/pJ: RL402
Prints the expected counts on stdout as JSON.
"""
import argparse
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("-o", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    n = a.pages
    www = os.path.join(a.o, "www")
    os.makedirs(os.path.join(www, "assets"), exist_ok=True)
    for asset in ("site.css", "app.js", "logo.png"):
        with open(os.path.join(www, "assets", asset), "w") as f:
            f.write("x\n")

    def page_url(j):
        return f"/s{j % 50}/p{j}/"

    menu = "".join(f'<li><a href="{page_url(k)}">Section {k}</a></li>\n' for k in range(12))
    expected = {"RL401": 0, "RL402": 0, "RL403": 0, "RL404": 0}
    moved = max(1, n // 10)
    for j in range(n):
        links = [page_url(rnd.randrange(n)) for _ in range(20)]
        if j % 10 == 0:
            links.append(f"/old/p{rnd.randrange(moved)}")
            expected["RL401"] += 1
        if j % 100 == 0:
            links.append(f"/chain/{rnd.randrange(max(1, n // 1000))}")
            expected["RL401"] += 1
        body = "".join(f'<p>See <a href="{u}">this page</a>.</p>\n' for u in links)
        d = os.path.join(www, f"s{j % 50}", f"p{j}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "index.html"), "w") as f:
            f.write(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page {j}</title>
<link rel="canonical" href="https://example.com{page_url(j)}">
<link rel="stylesheet" href="/assets/site.css"><script src="/assets/app.js"></script>
</head><body><nav><ul>
{menu}</ul></nav><img src="/assets/logo.png" alt="">
{body}</body></html>
""")
    per_map = 10000
    maps = []
    for m in range(0, n, per_map):
        name = f"sitemap-{m // per_map}.xml"
        maps.append(name)
        with open(os.path.join(www, name), "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
            for j in range(m, min(n, m + per_map)):
                loc = page_url(j)
                if j % 1000 == 999:
                    loc = f"/old/p{j % moved}"
                    expected["RL402"] += 1
                f.write(f"  <url><loc>https://example.com{loc}</loc></url>\n")
            f.write("</urlset>\n")
    with open(os.path.join(www, "index-sitemaps.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
        for name in maps:
            f.write(f"  <sitemap><loc>https://example.com/{name}</loc></sitemap>\n")
        f.write("</sitemapindex>\n")
    with open(os.path.join(www, "robots.txt"), "w") as f:
        f.write("User-agent: *\nSitemap: https://example.com/index-sitemaps.xml\n")
    with open(os.path.join(a.o, "_redirects"), "w") as f:
        for j in range(moved):
            f.write(f"/old/p{j} {page_url(j)} 301\n")
        for j in range(max(1, n // 1000)):
            f.write(f"/chain/{j} /old/p{j} 301\n")
            f.write(f"/gone/{j} /nowhere/{j}/ 301\n")
            expected["RL403"] += 1
    print(json.dumps(expected))


if __name__ == "__main__":
    main()
