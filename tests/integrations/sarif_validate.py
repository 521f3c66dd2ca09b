#!/usr/bin/env python3
"""Structural validation of `redirlint check --output sarif` against SARIF 2.1.0 (OASIS standard,
sarif-schema-2.1.0.json): every property the schema requires, the enums it defines, and the
cross-references GitHub code scanning relies on (ruleIndex -> rules[i].id, relatedLocations ids).
No schema file is downloaded; the required fields are written out here, section by section.

usage: sarif_validate.py REDIRLINT SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys

errors = []


def need(cond, where, why):
    if not cond:
        errors.append("%s: %s" % (where, why))
    return cond


def is_int(v, minimum=None):
    return isinstance(v, int) and not isinstance(v, bool) and (minimum is None or v >= minimum)


URI_REF = re.compile(r"^[^\s%]*(%[0-9A-Fa-f]{2}[^\s%]*)*$")


def check_message(m, where):  # §3.11: text or id
    if need(isinstance(m, dict), where, "message must be an object"):
        need(isinstance(m.get("text"), str) or isinstance(m.get("id"), str), where, "message needs text or id")


def check_region(r, where):  # §3.30
    if not need(isinstance(r, dict), where, "region must be an object"):
        return
    need(is_int(r.get("startLine"), 1), where, "startLine >= 1")
    for k in ("startColumn", "endLine", "endColumn"):
        if k in r:
            need(is_int(r[k], 1), where, "%s >= 1" % k)
    if "endLine" in r:
        need(r["endLine"] >= r["startLine"], where, "endLine >= startLine")
        if r["endLine"] == r["startLine"] and "endColumn" in r and "startColumn" in r:
            need(r["endColumn"] >= r["startColumn"], where, "endColumn >= startColumn on one line")


def check_artifact_location(a, where):  # §3.4
    if need(isinstance(a, dict), where, "artifactLocation must be an object"):
        need(isinstance(a.get("uri"), str) and URI_REF.match(a["uri"]) is not None, where,
             "uri must be a URI reference (escaped): %r" % a.get("uri"))


def check_location(loc, where):  # §3.28
    if not need(isinstance(loc, dict), where, "location must be an object"):
        return
    if "id" in loc:
        need(is_int(loc["id"], -1), where, "id is an integer >= -1")
    if "message" in loc:
        check_message(loc["message"], where + ".message")
    pl = loc.get("physicalLocation")
    if need(isinstance(pl, dict), where, "physicalLocation (needed by GitHub)"):
        need("artifactLocation" in pl or "address" in pl, where, "physicalLocation needs artifactLocation or address")
        if "artifactLocation" in pl:
            check_artifact_location(pl["artifactLocation"], where + ".artifactLocation")
        if "region" in pl:
            check_region(pl["region"], where + ".region")


def validate(log):
    need(log.get("version") == "2.1.0", "sarifLog", "version must be \"2.1.0\"")
    if "$schema" in log:
        need(isinstance(log["$schema"], str), "sarifLog", "$schema is a string")
    runs = log.get("runs")
    if not need(isinstance(runs, list), "sarifLog", "runs must be an array"):
        return
    for ri, run in enumerate(runs):
        w = "runs[%d]" % ri
        driver = run.get("tool", {}).get("driver")
        if not need(isinstance(driver, dict), w, "tool.driver is required"):
            continue
        need(isinstance(driver.get("name"), str) and driver["name"], w, "driver.name is required")
        if "columnKind" in run:
            need(run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints"), w, "columnKind enum")
        rules = driver.get("rules", [])
        ids = set()
        for i, rule in enumerate(rules):  # §3.49 reportingDescriptor
            rw = "%s.driver.rules[%d]" % (w, i)
            need(isinstance(rule.get("id"), str) and rule["id"], rw, "id is required")
            need(rule.get("id") not in ids, rw, "rule ids are unique")
            ids.add(rule.get("id"))
            for k in ("shortDescription", "fullDescription"):
                if k in rule:
                    need(isinstance(rule[k].get("text"), str), rw, "%s.text is required" % k)
            if "helpUri" in rule:
                need(re.match(r"^https?://", rule["helpUri"]) is not None, rw, "helpUri is an absolute URI")
            level = rule.get("defaultConfiguration", {}).get("level", "warning")
            need(level in ("none", "note", "warning", "error"), rw, "defaultConfiguration.level enum")
        results = run.get("results")
        need(isinstance(results, list), w, "results must be an array (GitHub requires it)")
        for i, res in enumerate(results or []):  # §3.27
            rw = "%s.results[%d]" % (w, i)
            check_message(res.get("message"), rw + ".message")
            need(isinstance(res.get("ruleId"), str), rw, "ruleId (GitHub needs it)")
            if "ruleIndex" in res:
                idx = res["ruleIndex"]
                if need(is_int(idx, 0) and idx < len(rules), rw, "ruleIndex within driver.rules"):
                    need(rules[idx]["id"] == res["ruleId"], rw, "rules[ruleIndex].id == ruleId")
            need(res.get("level", "warning") in ("none", "note", "warning", "error"), rw, "level enum")
            locs = res.get("locations")
            need(isinstance(locs, list) and len(locs) >= 1, rw, "at least one location (GitHub shows nothing otherwise)")
            for j, loc in enumerate(locs or []):
                check_location(loc, "%s.locations[%d]" % (rw, j))
            rel_ids = set()
            for j, loc in enumerate(res.get("relatedLocations", [])):
                lw = "%s.relatedLocations[%d]" % (rw, j)
                check_location(loc, lw)
                need(loc.get("id") not in rel_ids, lw, "related location ids are unique")
                rel_ids.add(loc.get("id"))
            for j, fix in enumerate(res.get("fixes", [])):  # §3.55
                fw = "%s.fixes[%d]" % (rw, j)
                changes = fix.get("artifactChanges")
                need(isinstance(changes, list) and changes, fw, "artifactChanges is required")
                for ch in changes or []:
                    check_artifact_location(ch.get("artifactLocation"), fw + ".artifactLocation")
                    reps = ch.get("replacements")
                    need(isinstance(reps, list) and reps, fw, "replacements is required")
                    for rep in reps or []:
                        check_region(rep.get("deletedRegion"), fw + ".deletedRegion")


def check_uris(exe):
    """A file under the directory redirlint runs in has a URI relative to %SRCROOT% however it is named
    (`x`, `./x`, its absolute path); one outside it has an absolute file:// URI, not `../x`, which GitHub
    cannot place in the checkout."""
    import tempfile
    loop = "Redirect 301 /x /y\nRedirect 301 /y /x\n"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.path.realpath(tmp)
        os.mkdir(os.path.join(tmp, "repo"))
        for name in ("repo/site.htaccess", "outside.htaccess"):
            with open(os.path.join(tmp, name), "w") as f:
                f.write(loop)
        repo = os.path.join(tmp, "repo")
        cases = [("site.htaccess", {"uri": "site.htaccess", "uriBaseId": "%SRCROOT%"}),
                 ("./site.htaccess", {"uri": "site.htaccess", "uriBaseId": "%SRCROOT%"}),
                 (os.path.join(repo, "site.htaccess"), {"uri": "site.htaccess", "uriBaseId": "%SRCROOT%"}),
                 ("../outside.htaccess", {"uri": "file://" + os.path.join(tmp, "outside.htaccess")}),
                 (os.path.join(tmp, "outside.htaccess"), {"uri": "file://" + os.path.join(tmp, "outside.htaccess")})]
        for path, want in cases:
            run = subprocess.run([exe, "check", "--output", "sarif", path], cwd=repo, capture_output=True, text=True, timeout=60)
            log = json.loads(run.stdout)
            run0 = log["runs"][0]
            got = run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            need(got == want, "uri of " + path, "got %r, want %r" % (got, want))
            need(run0.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri") == "file://" + repo + "/",
                 "uri of " + path, "%%SRCROOT%% is not the working directory: %r" % run0.get("originalUriBaseIds"))


def main():
    exe, src = os.path.abspath(sys.argv[1]), sys.argv[2]
    gdir = os.path.join(src, "tests", "integrations", "golden")
    inputs = sorted(f for f in os.listdir(gdir) if not f.endswith(".expected"))
    seen = set()
    for name in inputs:
        run = subprocess.run([exe, "check", "--output", "sarif", name], cwd=gdir, capture_output=True, text=True, timeout=60)
        need(run.returncode in (0, 1), name, "exit code %d: %s" % (run.returncode, run.stderr))
        log = json.loads(run.stdout)
        validate(log)
        for r in log["runs"][0]["results"]:
            seen.add(r["ruleId"])
        print("checked", name, "results:", len(log["runs"][0]["results"]))
    check_uris(exe)
    # The validator itself must catch a broken log (a check that cannot fail is a defect).
    before = len(errors)
    validate({"version": "2.0", "runs": [{"tool": {"driver": {}}, "results": [{"ruleId": "X", "ruleIndex": 3,
                                                                            "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]})
    caught = len(errors) - before
    del errors[before:]
    need(caught >= 5, "self-test", "the validator missed problems in a broken log (caught %d)" % caught)
    need("RL101" in seen, "inputs", "the golden inputs produce results")
    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("PASS")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
