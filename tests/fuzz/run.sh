#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS [TARGET...]: runs each libFuzzer target of BUILD_DIR (default: all fuzz_*)
# for SECONDS, from a seed corpus assembled now by seeds.py, with the target's -dict= keywords.
# A crash, leak, UB report or timeout fails the run; its input is kept in tests/fuzz/crashes/ (make it a
# regression: tests/fuzz/regressions/<target>/<name>, replayed by ctest fuzz.replay).
# RL_FUZZ_CORPUS=DIR keeps each target's corpus in DIR/<target> between runs (default: a temp dir).
# RL_FUZZ_ARTIFACTS=DIR puts crash inputs there instead of tests/fuzz/crashes/.
# RL_FUZZ_RUNS=0 only runs the seed corpus (no mutation).
set -uo pipefail
build=$(cd "${1:?usage: run.sh BUILD_DIR SECONDS [TARGET...]}" && pwd)
seconds=${2:-30}
shift 2 || true
here=$(cd "$(dirname "$0")" && pwd)
artifacts=${RL_FUZZ_ARTIFACTS:-$here/crashes}
targets=("$@")
if [ ${#targets[@]} = 0 ]; then
  for bin in "$build"/fuzz_*; do
    [ -x "$bin" ] && [ "$(basename "$bin")" != fuzz_replay ] && targets+=("$(basename "$bin" | sed 's/^fuzz_//')")
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets in $build (configure with -DREDIRLINT_FUZZ=ON)"; exit 1; }
dict_of() {
  case $1 in
    *_apache|*_htaccess) echo apache ;;
    *_nginx) echo nginx ;;
    *_yaml) echo yaml ;;
    *_netlify|*_netlify_toml|*_cloudflare_bulk) echo netlify ;;
    *_vercel|*_iis) echo request ;;
    automaton) echo regex ;;
    simulate) echo request ;;
    roundtrip) echo all ;;
  esac
}
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz_$t"
  [ -x "$bin" ] || { echo "FAIL $t: no $bin"; status=1; continue; }
  corpus="$work/corpus-$t"
  [ -n "${RL_FUZZ_CORPUS:-}" ] && corpus="$RL_FUZZ_CORPUS/$t"
  python3 "$here/seeds.py" "$t" "$corpus" 2>/dev/null
  dict=$(dict_of "$t")
  if [ "$dict" = all ]; then
    cat "$here"/dict/*.dict > "$work/all.dict"
    dictfile="$work/all.dict"
  else
    dictfile="$here/dict/$dict.dict"
  fi
  maxlen=16384
  [ "$t" = automaton ] && maxlen=512
  [ "$t" = simulate ] && maxlen=1024
  # cwd: an empty directory, so that relative nginx `include`s of fuzzed text find nothing.
  mkdir -p "$work/cwd-$t"
  log="$work/$t.log"
  (cd "$work/cwd-$t" && "$bin" "$corpus" -dict="$dictfile" -max_total_time="$seconds" -max_len=$maxlen \
     ${RL_FUZZ_RUNS:+-runs=$RL_FUZZ_RUNS} -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$t-") >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+')
  if [ "$rc" = 0 ]; then
    echo "ok   $t: ${seconds}s, ${execs:-?} execs, $cov"
  else
    echo "FAIL $t (exit $rc): ${execs:-?} execs, $cov; input kept in $artifacts/"
    grep -E -A30 'ERROR|runtime error|fuzz property violated|SUMMARY|Test unit written' "$log" | head -60
    status=1
  fi
done
exit $status
