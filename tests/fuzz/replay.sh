#!/usr/bin/env bash
# replay.sh FUZZ_REPLAY: runs fuzz_replay on tests/fuzz/{seeds,regressions}/<target>/ for every target
# that has such a directory. Fails when any input violates a property (crash, abort, sanitizer report).
set -uo pipefail
replay=$1
root=$(cd "$(dirname "$0")" && pwd)
status=0 n=0
for kind in seeds regressions; do
  for dir in "$root/$kind"/*/; do
    [ -d "$dir" ] || continue
    targets=$(basename "$dir")
    # A parse_<fmt> input is also a check_<fmt> input.
    [[ $targets == parse_* ]] && targets="$targets check_${targets#parse_}"
    for target in $targets; do
      out=$("$replay" "$target" "$dir" 2>&1)
      rc=$?
      n=$((n + 1))
      if [ $rc != 0 ]; then
        echo "FAIL $kind/$(basename "$dir") as $target (exit $rc)"
        echo "$out" | tail -40
        status=1
      else
        echo "$kind/$(basename "$dir"): ${out##*$'\n'}"
      fi
    done
  done
done
[ $n -gt 0 ] || { echo "no seeds or regressions found under $root"; exit 1; }
exit $status
