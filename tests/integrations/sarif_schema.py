#!/usr/bin/env python3
"""`redirlint check --output sarif` validated against the SARIF 2.1.0 JSON schema itself (the schema
Microsoft's SARIF SDK ships in the npm package @microsoft/jest-sarif, lib/schemas/sarif-2.1.0-rtm.5.json),
with Python's jsonschema. Every sample (one per check code), the golden inputs and a stdin input are
checked. Skips (exit 77) when the schema or jsonschema is not installed: scripts/deps.sh installs the schema
with npm where npm exists; sarif_validate.py checks the required fields without either.
usage: sarif_schema.py REDIRLINT SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys

SCHEMA_REL = os.path.join("@microsoft", "jest-sarif", "lib", "schemas", "sarif-2.1.0-rtm.5.json")


def find_schema():
    if os.environ.get("REDIRLINT_SARIF_SCHEMA"):
        return os.environ["REDIRLINT_SARIF_SCHEMA"]
    roots = ["/usr/local/lib/node_modules", "/usr/lib/node_modules"]
    if shutil.which("npm"):
        try:
            roots.insert(0, subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, timeout=30).stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    for r in roots:
        p = os.path.join(r, SCHEMA_REL)
        if r and os.path.isfile(p):
            return p
    return None


def main():
    exe, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3 jsonschema is not installed")
        return 77
    path = find_schema()
    if not path:
        print("SKIP: the SARIF 2.1.0 schema is not installed (npm install -g @microsoft/jest-sarif@1.0.0-beta.0)")
        return 77
    with open(path) as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema)
    failures = []
    runs = [
        (["check", "--output", "sarif", "."], os.path.join(src, "samples"), None),
        (["check", "--output", "sarif", "."], os.path.join(src, "tests", "integrations", "golden"), None),
        (["check", "--output", "sarif", "-"], src, "Redirect /a /b\nRedirect 301 /b /c\n"),
    ]
    results = 0
    for args, cwd, stdin in runs:
        p = subprocess.run([exe, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)
        if p.returncode not in (0, 1, 2):
            failures.append(f"{args} in {cwd}: exit {p.returncode}: {p.stderr}")
            continue
        log = json.loads(p.stdout)
        n = len(log["runs"][0]["results"])
        results += n
        for e in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path)):
            failures.append(f"{cwd}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        print(f"validated {cwd} {args[-1]}: {n} results, {len(log['runs'][0]['tool']['driver']['rules'])} rules")
    # The validator must reject a broken log (a check that cannot fail is a defect).
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                            "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}
    if validator.is_valid(broken):
        failures.append("the schema accepted level 'fatal'")
    if results < 20:
        failures.append(f"only {results} results: the samples should give one per check code")
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures[:50]))
        return 1
    print(f"PASS: {results} results valid against {os.path.basename(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
