#!/usr/bin/env bash
# The risk model's speed on the demo company (issue 19; targets on
# 1,000,000 customers: building the snapshots and training < 60 s, scoring
# every customer < 10 s, peak memory < 2 GB):
#  * `tenure risk train` (read the history, 12 monthly snapshots of up to
#    300,000 rows in all plus the validation month, up to 300 trees,
#    calibration);
#  * `tenure risk score` (every active customer's probability, value at risk,
#    health a month ago, reasons; written in one transaction);
#  * the peer, in the same run: `tenure score`, the purchase models' scoring
#    of the same customers (read every order, fit BG/NBD and Gamma-Gamma,
#    write every customer's scores).
# Wall time and peak resident memory from /usr/bin/time -v; the figures and
# the model's AUC go into docs/benchmarks.md.
#   bench/risk_bench.sh BUILD_DIR [CUSTOMERS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:-build}" && pwd)
customers=${2:-1000000}
as_of=2026-06-30
tenure="$build/src/cli/tenure"
work=$(mktemp -d "${TMPDIR:-/tmp}/tenure-bench-risk.XXXXXX")
trap 'rm -rf "$work"' EXIT
db="$work/demo.db"

# timed NAME ARGS...: runs tenure ARGS --json under /usr/bin/time -v; sets
# secs (wall) and mb (peak RSS), and keeps the JSON in $work/NAME.json.
timed() {
  local name=$1
  shift
  if ! /usr/bin/time -v "$tenure" "$@" --json > "$work/$name.json" 2> "$work/time.txt"; then
    echo "risk_bench: tenure $* failed:" >&2
    cat "$work/time.txt" >&2
    exit 1
  fi
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
           for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$work/time.txt")
  mb=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$work/time.txt")
}
field() { sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$work/$1.json" | head -1; }

echo "risk_bench: generating the demo company ($(group "$customers") customers)" >&2
"$tenure" demo --customers "$customers" --as-of "$as_of" --threads 2 --db "$db" > /dev/null
# The 3 GB just written reach the disk before the timed commands, so that
# their writes do not queue behind the generator's.
sync

timed peer score --as-of "$as_of" --db "$db"
peer_secs=$secs peer_mb=$mb
timed train risk train --db "$db"
train_secs=$secs train_mb=$mb
timed score risk score --as-of "$as_of" --db "$db"
score_secs=$secs score_mb=$mb

rows=$(field train rows_train)
auc=$(field train auc)
scored=$(field score customers_scored)
rounds=$(field train rounds)
phases=$(awk '/"phase_seconds"/ { on = 1; next } on && /}/ { on = 0 }
           on { gsub(/[",:]/, ""); printf "%s%s %.1f s", (n++ ? ", " : ""), $1, $2 }' \
         "$work/score.json")
{
  echo "### Risk model ($(group "$customers") demo customers)"
  echo
  echo "\`bash bench/risk_bench.sh build\`, $(date -u +%Y-%m-%d), $(machine)."
  echo
  echo "| command | wall | peak memory | what |"
  echo "|---|---:|---:|---|"
  echo "| \`tenure risk train\` | ${train_secs} s | ${train_mb} MB | history, 12 monthly snapshots ($(group "$rows") training rows), $rounds trees, calibration; validation AUC $(printf '%.3f' "$auc") |"
  echo "| \`tenure risk score\` | ${score_secs} s | ${score_mb} MB | $(group "$scored") active customers: probability, value at risk, health now and a month ago, reasons ($phases) |"
  echo "| peer: \`tenure score\` | ${peer_secs} s | ${peer_mb} MB | the purchase models on the same customers |"
  echo
  echo "Targets (issue 19): training < 60 s, scoring < 10 s, < 2 GB."
} | splice "$here/../docs/benchmarks.md" risk
cat "$work/train.json" | head -30 >&2
