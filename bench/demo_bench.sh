#!/usr/bin/env bash
# Demo company generation time for 1,000,000 customers (target: under a minute).
#   bench/demo_bench.sh BUILD_DIR [CUSTOMERS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:-build}" && pwd)
customers=${2:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/tenure-bench-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

args=(demo --customers "$customers" --seed 1 --as-of 2026-06-30)
start=$(now)
"$build/src/cli/tenure" "${args[@]}" --db "$work/demo.db" > /dev/null
secs=$(elapsed "$start")
size=$(du -m "$work/demo.db" | cut -f1)
table_rows=""
for table in users teams customers contacts activities opportunities quotations contracts orders \
             invoices expenses complaints churn_events ownership_changes; do
  n=$(sqlite3 "$work/demo.db" "SELECT count(*) FROM $table")
  table_rows+="| $table | $(group "$n") |"$'\n'
done
echo "demo: $customers customers in ${secs}s" >&2

splice "$here/../docs/benchmarks.md" demo <<EOT
## Demo company: \`tenure demo --customers $customers\`

Measured $(date -u +%Y-%m-%d) on $(machine) by \`bench/demo_bench.sh\`
(\`make bench\`): \`tenure ${args[*]} --db demo.db\` into a new file took **$secs s**
(target: under 60 s); the database is $size MB. Rows written:

| table | rows |
|---|---|
${table_rows%$'\n'}
EOT
