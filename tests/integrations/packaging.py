#!/usr/bin/env python3
"""The Dockerfile and the GitHub Action install what the binary needs, checked against this Debian machine
(no Docker engine and no runner are needed; the image's base is the machine's release):
- every build package of scripts/deps.sh (the -dev libraries, compiler, cmake, pkg-config) is installed by
  the Dockerfile's build stage and by action.yml's install step, so neither fails at `cmake` when
  deps.sh gains a library;
- every shared library the built binary loads (ldd) belongs to a Debian package that the runtime stage
  brings: one it lists, one of their dependencies, or one of the base image (Priority: required and apt,
  as debootstrap's minbase, which is what `-slim` is); otherwise the image's `redirlint` would stop
  with "error while loading shared libraries";
- the action's check step, run by bash with its inputs, writes the SARIF report and the exit code;
- every package either file names exists in the machine's apt cache, and action.yml is a composite
  action whose `run` steps each name a shell and take inputs from `env`, never `${{ inputs.* }}` pasted
  into the script (GitHub's advice against script injection).
Skips (77) where dpkg/apt-cache are absent or the machine's release is not the image's base.
usage: packaging.py REDIRLINT SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys

import yaml

exe, src = sys.argv[1], sys.argv[2]
failures = []
BUILD_TOOLS = {"build-essential", "cmake", "pkg-config"}


def words_after_install(text):
    """Package names of each `apt-get install` in a shell text (options and `\\` continuations skipped)."""
    out = []
    for m in re.finditer(r"apt-get install((?:\\\n|[^&\n])*)", text):
        out.append([w for w in m.group(1).replace("\\\n", " ").split()
                    if not w.startswith("-") and w != "\\" and not w.startswith("$")])
    return out


def read(name):
    with open(os.path.join(src, name)) as f:
        return f.read()


deps = re.search(r"pkgs=\(([^)]*)\)", read("scripts/deps.sh"), re.S).group(1).split()
build_deps = [p for p in deps if p.endswith("-dev") or p in BUILD_TOOLS]

# Dockerfile: one package list per stage, split at FROM.
stages = re.split(r"^FROM\s", read("Dockerfile"), flags=re.M)[1:]
if len(stages) != 2:
    failures.append(f"Dockerfile: want a build and a runtime stage, found {len(stages)}")
stage_pkgs = [sum(words_after_install(s), []) for s in stages]
base = re.match(r"\S+", stages[0]).group(0) if stages else ""
for p in build_deps:
    if stages and p not in stage_pkgs[0]:
        failures.append(f"Dockerfile build stage does not install {p} (scripts/deps.sh needs it to build)")

action = yaml.safe_load(read("action.yml"))
steps = action.get("runs", {}).get("steps", [])
if action.get("runs", {}).get("using") != "composite":
    failures.append("action.yml: runs.using is not composite")
for key in ("name", "description"):
    if not action.get(key):
        failures.append(f"action.yml: no {key}")
for s in steps:
    if "run" in s and "shell" not in s:
        failures.append(f"action.yml: step {s.get('name')!r} runs a script without `shell` (required in composite actions)")
for s in steps:
    if "${{" in s.get("run", "") and "inputs." in s.get("run", ""):
        failures.append(f"action.yml: step {s.get('name')!r} pastes an input into its script (script injection): pass it in env")
action_pkgs = sum((sum(words_after_install(s["run"]), []) for s in steps if "run" in s), [])
for p in build_deps:
    if p not in action_pkgs:
        failures.append(f"action.yml does not install {p} (scripts/deps.sh needs it to build)")



def run_action_check_step():
    """The action's `redirlint check` step, run by bash as the runner would (its env from the inputs,
    $GITHUB_OUTPUT a file): a looping .htaccess gives a SARIF file with the RL202 result, the gcc line in
    the log, and exit-code=1 for the last step."""
    import json
    import tempfile
    step = next((s for s in steps if s.get("id") == "check"), None)
    if not step:
        failures.append("action.yml: no step with id `check`")
        return
    inputs = {k: v.get("default", "") for k, v in action.get("inputs", {}).items()}
    inputs.update({"paths": ".htaccess", "args": "--select RL202,RL201"})
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "bin"))
        os.symlink(os.path.realpath(exe), os.path.join(tmp, "bin", "redirlint"))
        with open(os.path.join(tmp, ".htaccess"), "w") as f:
            f.write("Redirect 301 /x /y\nRedirect 301 /y /x\n")
        env = dict(os.environ, PATH=os.path.join(tmp, "bin") + os.pathsep + os.environ["PATH"],
                   GITHUB_OUTPUT=os.path.join(tmp, "output"))
        for k, v in step.get("env", {}).items():
            env[k] = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs.get(m.group(1), ""), str(v))
        p = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp, env=env, capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            failures.append(f"action.yml check step exited {p.returncode}: {p.stderr}")
        if ".htaccess:1:1: error: redirect loop" not in p.stdout:
            failures.append(f"action.yml check step: no gcc line in the log: {p.stdout!r}")
        with open(env["GITHUB_OUTPUT"]) as f:
            if "exit-code=1" not in f.read().split():
                failures.append("action.yml check step: GITHUB_OUTPUT lacks exit-code=1")
        try:
            with open(os.path.join(tmp, inputs["sarif-file"])) as f:
                results = json.load(f)["runs"][0]["results"]
            if [r["ruleId"] for r in results] != ["RL202"]:
                failures.append(f"action.yml check step: SARIF results {[r['ruleId'] for r in results]}, want RL202")
        except (OSError, ValueError, KeyError, IndexError) as e:
            failures.append(f"action.yml check step: no SARIF report: {e}")


run_action_check_step()

if not (shutil.which("dpkg-query") and shutil.which("apt-cache") and shutil.which("ldd")):
    print("SKIP: no dpkg/apt-cache/ldd here; the package lists were compared only")
    sys.exit(1 if failures else 77)
codename = ""
if os.path.exists("/etc/os-release"):
    codename = re.search(r"^VERSION_CODENAME=(\S*)", read("/etc/os-release"), re.M)
    codename = codename.group(1) if codename else ""
if not base.startswith(f"debian:{codename}") or not codename:
    print(f"SKIP: the image's base is {base}, this machine is {codename or 'unknown'}")
    sys.exit(1 if failures else 77)


def sh(*args):
    return subprocess.run(args, capture_output=True, text=True).stdout


named = sorted(set(sum(stage_pkgs, []) + action_pkgs))
known = {m.group(1): m.group(2) for m in re.finditer(r"^(\S+):\n(?:  .*\n)*?  Candidate: (\S+)",
                                                      sh("apt-cache", "policy", *named), re.M)}
for p in named:
    if known.get(p, "(none)") == "(none)":
        failures.append(f"package {p} does not exist in {codename}")

# The runtime stage: what it lists, the base image (required + apt), and all their dependencies.
required = [line.split()[0] for line in sh("dpkg-query", "-W", "-f=${Package} ${Priority}\n").splitlines()
            if line.endswith(" required")]
roots = (stage_pkgs[1] if len(stage_pkgs) > 1 else []) + required + ["apt"]



def dependency_graph(pkgs):
    """package -> what apt installs with it (Depends, Pre-Depends; the first of each `|` alternative, as
    apt chooses; a virtual package's first provider), over everything reachable from pkgs: one call."""
    graph, pkg, alternative, virtual = {}, None, False, False
    for line in sh("apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
                   "--no-breaks", "--no-replaces", "--no-enhances", *pkgs).splitlines():
        m = re.match(r"  (\|)?(?:Pre)?Depends: (<)?([^ >]+)>?$", line)
        if not line.startswith(" "):
            pkg, alternative, virtual = line.strip("<>").split(":")[0], False, False
            graph.setdefault(pkg, set())
        elif m:
            if not alternative:
                virtual = bool(m.group(2))
                if not virtual:
                    graph[pkg].add(m.group(3).split(":")[0])
            alternative = bool(m.group(1))
        elif virtual and line.startswith("    "):
            graph[pkg].add(line.split()[0].split(":")[0])
            virtual = False
        else:
            virtual = False
    return graph


graph = dependency_graph(roots)
closure, todo = set(), list(roots)
while todo:
    p = todo.pop()
    if p not in closure:
        closure.add(p)
        todo.extend(graph.get(p, ()))

libs = {}
for line in sh("ldd", os.path.realpath(exe)).splitlines():
    m = re.search(r"=> (/\S+)", line)
    if m:
        libs[m.group(1)] = os.path.realpath(m.group(1))
owners = {}
for line in sh("dpkg-query", "-S", *libs, *libs.values()).splitlines():
    names, _, path = line.partition(": ")
    owners[path] = names.split(",")[0].split(":")[0].strip()
for path, real in sorted(libs.items()):
    owner = owners.get(real) or owners.get(path)
    if not owner:
        failures.append(f"{real}: no Debian package owns it (built against a library outside Debian?)")
    elif owner not in closure:
        failures.append(f"the runtime image lacks {owner} ({os.path.basename(real)}): add it to the Dockerfile's last stage")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"Dockerfile and action.yml install the {len(build_deps)} build packages; the runtime stage brings every "
      f"library the binary loads; all packages exist in {codename}")
