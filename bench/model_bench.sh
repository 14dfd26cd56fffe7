#!/usr/bin/env bash
# Model fits on CSV files: `tenure model fit bgnbd|pnbd --scores` on the full
# CDNOW log (targets: under 100 ms / 300 ms, reading the CSV included) and on
# a generated log of ORDERS transactions for CUSTOMERS customers (target:
# under 10 s and 1 GB peak memory each), with wall time and peak RSS from
# /usr/bin/time -v.
#   bench/model_bench.sh BUILD_DIR [CUSTOMERS] [ORDERS]
# CUSTOMERS/ORDERS default to 1,000,000 / 10,000,000; pass e.g. 10000 100000
# for a quick check (the docs block then says which size was measured).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:-build}" && pwd)
customers=${2:-1000000}
orders=${3:-10000000}
tenure="$build/src/cli/tenure"
cdnow="$here/../tests/data/cdnow_master.csv"
work=$(mktemp -d "${TMPDIR:-/tmp}/tenure-bench-model.XXXXXX")
trap 'rm -rf "$work"' EXIT

# measure LABEL ARGS...: runs tenure ARGS under /usr/bin/time -v and appends
# a table row "| LABEL | seconds | peak MB |".
rows=""
measure() {
  local label=$1
  shift
  local secs kb status="" code=0
  /usr/bin/time -v "$tenure" "$@" > "$work/out.txt" 2> "$work/time.txt" || code=$?
  if [ "$code" != 0 ]; then
    # A failed fit is reported, not fatal: the timing up to the failure still counts.
    status=" (exit $code: $(grep '^tenure:' "$work/time.txt" | head -1 | sed 's/^tenure: //'))"
  fi
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
           for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.3f", s }' "$work/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  echo "model: $label ${secs}s, $((kb / 1024)) MB$status" >&2
  rows+="| $label$status | $secs s | $((kb / 1024)) MB |"$'\n'
}

for model in bgnbd pnbd; do
  measure "CDNOW master (69,659 rows), $model" model fit "$model" --transactions "$cdnow" \
    --calibration-end 1997-09-30 --scores "$work/scores.csv"
done

"$build/bench/make_orders" "$customers" "$orders" 7 "$work/customers.csv" "$work/orders.csv"
rm -f "$work/customers.csv"
size=$(du -m "$work/orders.csv" | cut -f1)
last=$(tail -1 "$work/orders.csv" | cut -d, -f3)  # dates ascend with the rows
for model in bgnbd pnbd; do
  measure "generated, $(group "$orders") rows / $(group "$customers") customers ($size MB), $model" \
    model fit "$model" --transactions "$work/orders.csv" --scores "$work/scores.csv"
done

splice "$here/../docs/benchmarks.md" models <<EOT
## Model fits: \`tenure model fit bgnbd|pnbd --scores\`

Measured $(date -u +%Y-%m-%d) on $(machine) by \`bench/model_bench.sh\`
(\`make bench\`): wall time and peak resident memory (\`/usr/bin/time -v\`) of
one run each, reading the CSV, summarising, fitting, the holdout comparison
(CDNOW, calibration to 1997-09-30) and writing P(alive), expected purchases
and CLV of every customer with \`--scores\`. The generated log comes from
\`bench/make_orders\` (columns order_id, customer_id, date, amount, ...; last
date $last); it has no holdout. Its customers never drop out (each order goes to a
uniformly random customer over four years), so the purchase models meet data
without churn: the fits drift towards extreme parameters (Pareto/NBD s -> 0),
where Pareto/NBD's 2F1 series need many terms and its fit becomes slow. Targets: CDNOW under 100 ms (BG/NBD) and
300 ms (Pareto/NBD); the 10,000,000-row log under 10 s and 1 GB.

| input, model | wall time | peak RSS |
|---|---|---|
${rows%$'\n'}
EOT
