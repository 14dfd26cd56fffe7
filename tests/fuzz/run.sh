#!/usr/bin/env bash
# Runs every fuzz target of the sanitizer tree for SECONDS each, on its seed
# corpus (tests/fuzz/corpus/TARGET) and what earlier runs found
# (SAN_DIR/tests/fuzz/found/TARGET), and prints what each did.
#   tests/fuzz/run.sh SAN_DIR SECONDS
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
san=$(cd "${1:-build-asan}" && pwd)
seconds=${2:-60}
total=0
findings=0
for corpus in "$here"/corpus/*/; do
  target=$(basename "$corpus")
  binary="$san/tests/fuzz/$target"
  found="$san/tests/fuzz/found/$target"
  mkdir -p "$found"
  log="$san/tests/fuzz/$target.log"
  status=0
  "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$found-" "$found" "$corpus" > "$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^stat::.*_time: *//p' "$log" | head -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  crashes=$(ls "$found"-* 2>/dev/null | wc -l)
  findings=$((findings + crashes))
  total=$((total + seconds))
  printf '%-22s %10s runs in %ss, %s, exit %s, %s finding(s) kept\n' "$target" "${runs:-?}" \
    "$seconds" "${cov:-cov: ?}" "$status" "$crashes"
done
awk -v s="$total" 'BEGIN { printf "fuzzed %.3f CPU-hours in all\n", s / 3600 }'
echo "findings kept in $san/tests/fuzz/found-*: $findings"
