#!/usr/bin/env python3
"""Documentation matches the product (STYLE.md 6).

- every registered code (`redirlint list-checks`) has docs/checks/CODE.md with the fixed headings;
- `redirlint explain CODE` prints that page (a trailing link may follow);
- the page's Example block equals samples/CODE.* and its Output block equals the real
  `redirlint check --select CODE --output gcc samples/CODE.EXT` (run from the repository root;
  RL3xx pages show `redirlint convert` output and RL50x pages `check --against` output, and only their
  Example is compared; RL4xx pages show `redirlint site --root samples/site --select CODE --output gcc
  samples/CODE.EXT`; RL51x pages show `redirlint logs --output gcc samples/CODE.EXT samples/access.log`);
- README.md has the checks table with exactly the registry's codes, slugs, severities and summaries:
      | code | slug | severity | summary |
      |---|---|---|---|
      | RL001 | syntax-error | error | input does not parse |
"""
import glob
import os
import re
import subprocess
import sys

binary, root = sys.argv[1], sys.argv[2]
os.chdir(root)
HEADINGS = ["## What it does", "## Why", "## Example", "## Output", "## How to fix", "## Suppressing", "## References"]
failures = []


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, errors="replace", timeout=60)


registry = []
for line in run("list-checks").stdout.splitlines():
    parts = line.split(None, 3)
    if len(parts) == 4 and re.fullmatch(r"RL\d{3}", parts[0]):
        registry.append(tuple(parts))
if len(registry) < 20:
    failures.append(f"list-checks printed {len(registry)} checks")


def block_after(text, heading):
    at = text.find(heading + "\n")
    if at < 0:
        return None
    m = re.compile(r"```[a-z]*\n(.*?)```", re.S).search(text, at)
    return m.group(1) if m else None


for code, slug, severity, summary in registry:
    page_path = f"docs/checks/{code}.md"
    if not os.path.exists(page_path):
        failures.append(f"{code}: no {page_path}")
        continue
    page = open(page_path).read()
    if not page.startswith(f"# {code}: {slug}\n"):
        failures.append(f"{code}: page must start with '# {code}: {slug}'")
    found = [h for h in re.findall(r"^## .*$", page, re.M)]
    if found != HEADINGS:
        failures.append(f"{code}: headings {found} != {HEADINGS}")
    if not run("explain", code).stdout.startswith(page):
        failures.append(f"{code}: `redirlint explain {code}` does not print {page_path}")
    samples = glob.glob(f"samples/{code}.*")
    if len(samples) != 1:
        failures.append(f"{code}: expected one samples/{code}.* file, found {samples}")
        continue
    example, output = block_after(page, "## Example"), block_after(page, "## Output")
    if example != open(samples[0]).read():
        failures.append(f"{code}: Example block differs from {samples[0]}")
    if code.startswith("RL3") or code.startswith("RL50"):
        # conversion findings come from `redirlint convert`, `--against` ones from a git history: the
        # page shows the commands (tests/history/against.py checks the findings themselves)
        continue
    if code.startswith("RL51"):  # `redirlint logs` on the sample rules and samples/access.log
        real = run("logs", "--output", "gcc", samples[0], "samples/access.log").stdout
    else:
        command = ["site", "--root", "samples/site"] if code.startswith("RL4") else ["check"]
        real = run(*command, "--select", code, "--output", "gcc", samples[0]).stdout
    if output != real:
        failures.append(f"{code}: Output block differs from the real output:\n{real}")

readme = open("README.md").read() if os.path.exists("README.md") else ""
rows = re.findall(r"^\| (RL\d{3}) \| ([a-z0-9-]+) \| (error|warning|info) \| (.*?) \|$", readme, re.M)
expected = [(c, s, v, m) for c, s, v, m in registry]
if "| code | slug | severity | summary |" not in readme:
    failures.append("README.md: no checks table ('| code | slug | severity | summary |')")
elif rows != expected:
    missing = [r[0] for r in expected if r not in rows]
    extra = [r[0] for r in rows if r not in expected]
    failures.append(f"README.md checks table differs from the registry: missing/changed {missing}, extra {extra}")

for f in failures:
    print("FAIL", f)
print(f"docs: {len(registry)} codes, {len(failures)} problems")
sys.exit(1 if failures else 0)
