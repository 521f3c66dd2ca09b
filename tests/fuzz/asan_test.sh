#!/usr/bin/env bash
# asan_test.sh BUILD_DIR JOBS [REGEX]: the ctest suite of an ASan+UBSan build (`make test-asan`: the whole
# suite of build-asan with the fuzzers' short runs, fuzz.<target>; `make test`: REGEX '^unit\.' in
# build-asan-unit). Sanitizer reports go to files (log_path), so that a
# report in a redirlint run started by a Python test cannot hide behind an expected exit code or stderr
# text: any report file fails the run, even when every test passed.
set -uo pipefail
build=$(cd "${1:?usage: asan_test.sh BUILD_DIR JOBS}" && pwd)
jobs=${2:-2}
only=${3:-}  # ctest -R: the tests to run (default: all)
logs="$build/sanitizer-reports"
rm -rf "$logs" && mkdir -p "$logs"
export ASAN_OPTIONS="detect_leaks=1:exitcode=86:log_path=$logs/asan:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$logs/ubsan:${UBSAN_OPTIONS:-}"
# Not run under the sanitizers (the normal build runs them):
# - bench.smoke: a timing smoke test; ASan's 2-3x slowdown measures the sanitizer, not redirlint.
# (convert.differential runs: 12 s since its cases run in parallel.)
exclude='^(bench\.smoke)$'
start=$(date +%s)
ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 600 -E "$exclude" ${only:+-R "$only"}
rc=$?
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
  echo "sanitizer reports (ASan/UBSan/LSan) in $logs:"
  for f in $reports; do
    echo "== $f"
    head -40 "$f"
  done
  rc=1
fi
echo "ASan+UBSan suite: $(( $(date +%s) - start )) s, $( [ $rc = 0 ] && echo clean || echo FAILED)"
exit $rc
