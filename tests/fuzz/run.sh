#!/usr/bin/env bash
# Runs every fuzzer in BUILD_DIR for SECONDS each, seeded from samples/ and tests/ fixtures.
# A crash leaves its input in tests/fuzz/crashes/ and fails the run (turn it into a regression test).
set -uo pipefail
build=${1:-build-fuzz}
seconds=${2:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
status=0
seed_dir() {  # fmt -> a directory of seed files for that format
  local fmt=$1 dir
  dir=$(mktemp -d)
  case $fmt in
    htaccess) find "$root/samples" "$root/tests" -name '*.htaccess' -size -64k -exec cp -t "$dir" {} + 2>/dev/null ;;
    apache)   find "$root/samples" "$root/tests" -name '*.conf' -size -64k -exec grep -l -E '^\s*(Redirect|Rewrite|<VirtualHost)' {} + 2>/dev/null | xargs -r cp -t "$dir" ;;
    nginx)    find "$root/samples" "$root/tests" -name '*.conf' -size -64k -exec grep -l -E '(location|return|rewrite) ' {} + 2>/dev/null | xargs -r cp -t "$dir" ;;
    yaml)     find "$root/samples" "$root/tests" \( -name '*.yaml' -o -name '*.yml' \) -size -64k -exec cp -t "$dir" {} + 2>/dev/null ;;
    netlify)  find "$root/samples" "$root/tests" \( -name '_redirects' -o -name '*.redirects' \) -size -64k -exec cp -t "$dir" {} + 2>/dev/null ;;
    *)        cp -r "$root/samples/." "$dir" 2>/dev/null ;;
  esac
  echo "$dir"
}
mkdir -p "$root/tests/fuzz/crashes"
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  fmt=${name#fuzz_parse_}
  corpus=$(seed_dir "$fmt")
  echo "== $name (${seconds}s)"
  "$bin" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$root/tests/fuzz/crashes/$name-" -print_final_stats=1 2>&1 | grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Done" 
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || { echo "FAIL $name (exit $rc)"; status=1; }
  rm -rf "$corpus"
done
exit $status
