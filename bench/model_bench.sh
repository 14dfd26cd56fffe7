#!/usr/bin/env bash
# The churn models' speed (issue: models):
#  * `tenure model fit bgnbd|pnbd --scores` on the full CDNOW log (targets:
#    under 100 ms / 300 ms, reading the CSV and writing the scores included),
#    median of RUNS runs;
#  * the same on the demo company's orders exported as a transaction log
#    (CUSTOMERS customers, about 10 per customer: 1,000,000 and 9.7 million by
#    default; target: summary, fit and scores under 10 s and 1 GB);
#  * `tenure score` (read the orders from the database, fit, write every
#    customer's scores in one transaction) on that demo company.
# Wall time and peak resident memory from /usr/bin/time -v, and the phases
# each command reports itself (--json "phase_seconds").
#   bench/model_bench.sh BUILD_DIR [CUSTOMERS] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:-build}" && pwd)
customers=${2:-1000000}
runs=${3:-5}
as_of=2026-06-30
tenure="$build/src/cli/tenure"
cdnow="$here/../tests/data/cdnow_master.csv"
work=$(mktemp -d "${TMPDIR:-/tmp}/tenure-bench-model.XXXXXX")
trap 'rm -rf "$work"' EXIT

# timed ARGS...: runs tenure ARGS --json under /usr/bin/time -v; sets secs
# (wall), mb (peak RSS) and phases ("read 0.04, summary ..." from the JSON),
# or fails the script with tenure's message.
timed() {
  if ! /usr/bin/time -v "$tenure" "$@" --json > "$work/out.json" 2> "$work/time.txt"; then
    echo "model_bench: tenure $* failed:" >&2
    cat "$work/time.txt" >&2
    exit 1
  fi
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
           for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.3f", s }' "$work/time.txt")
  mb=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$work/time.txt")
  phases=$(awk '/"phase_seconds"/ { on = 1; next } on && /}/ { on = 0 }
             on { gsub(/[",:]/, ""); t[$1] = $2 }
             END { n = split("read summary fit score write", k, " ");
                   for (i = 1; i <= n; i++) printf "%s%s %.3f", (i > 1 ? ", " : ""), k[i], t[k[i]] }' \
             "$work/out.json")
}

# median FILE: the median of the numbers in FILE, one per line.
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'; }

rows=""
# CDNOW: the median run, with that run's phases.
for model in bgnbd pnbd; do
  : > "$work/times.txt"
  for ((k = 0; k < runs; k++)); do
    timed model fit "$model" --transactions "$cdnow" --calibration-end 1997-09-30 \
      --scores "$work/scores.csv"
    echo "$secs $mb $phases" >> "$work/times.txt"
  done
  sort -g "$work/times.txt" > "$work/sorted.txt"
  middle=$(sed -n "$(((runs + 1) / 2))p" "$work/sorted.txt")
  secs=${middle%% *}
  rest=${middle#* }
  mb=${rest%% *}
  phases=${rest#* }
  fastest=$(head -1 "$work/sorted.txt" | cut -d' ' -f1)
  slowest=$(tail -1 "$work/sorted.txt" | cut -d' ' -f1)
  echo "model: CDNOW $model median ${secs}s ($fastest-$slowest)" >&2
  rows+="| \`model fit $model\`, CDNOW master (23,570 customers, 69,659 rows) | $secs s"
  rows+=" ($fastest-$slowest) | $mb MB | $phases |"$'\n'
done

# The demo company and its orders as an analyst's transaction log.
db="$work/demo.db"
"$tenure" demo --customers "$customers" --seed 1 --as-of "$as_of" --db "$db" > /dev/null
log="$work/orders.csv"
sqlite3 -csv -header "$db" "SELECT c.external_id AS customer_id, o.order_date AS date,
  printf('%.2f', o.amount / 100.0) AS amount FROM orders o JOIN customers c ON c.id = o.customer_id
  WHERE o.status <> 2 ORDER BY o.id" > "$log"
lines=$(($(wc -l < "$log") - 1))
log_mb=$(du -m "$log" | cut -f1)
for model in bgnbd pnbd; do
  timed model fit "$model" --transactions "$log" --scores "$work/scores.csv"
  echo "model: demo log $model ${secs}s ${mb}MB" >&2
  rows+="| \`model fit $model\`, demo orders ($(group "$customers") customers,"
  rows+=" $(group "$lines") rows, $log_mb MB) | $secs s | $mb MB | $phases |"$'\n'
done
for model in bgnbd pnbd; do
  timed score --db "$db" --as-of "$as_of" --model "$model"
  echo "model: score $model ${secs}s ${mb}MB" >&2
  rows+="| \`score --model $model\`, demo company ($(group "$customers") customers) |"
  rows+=" $secs s | $mb MB | $phases |"$'\n'
done

splice "$here/../docs/benchmarks.md" models <<EOT
## Churn models: \`tenure model fit\` and \`tenure score\`

Measured $(date -u +%Y-%m-%d) on $(machine) by \`bench/model_bench.sh\`
(\`make bench\`). Wall time and peak resident memory (\`/usr/bin/time -v\`) of
the whole command, and the phases it reports itself (\`--json\`,
\`phase_seconds\`). \`model fit\` reads the CSV, summarises, fits (with the
holdout comparison on CDNOW, calibration to 1997-09-30), scores every
customer (P(alive), expected purchases, Gamma-Gamma spend and 12-month CLV)
and writes the scores CSV (\`--scores\`). CDNOW: the median of $runs runs
(fastest-slowest in brackets). The demo orders are \`tenure demo --customers
$(group "$customers") --seed 1 --as-of $as_of\`'s non-cancelled orders exported
with sqlite3 as customer_id,date,amount, calibration to the last day.
\`score\` reads the same orders from the database on all cores, fits, and
replaces every customer's scores in one transaction. Targets: CDNOW under
100 ms (BG/NBD) and 300 ms (Pareto/NBD); 1,000,000 customers and 10,000,000
transactions under 10 s and 1 GB.

| command, input | wall time | peak RSS | phases (s) |
|---|---|---|---|
${rows%$'\n'}
EOT
