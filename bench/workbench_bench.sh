#!/usr/bin/env bash
# Workbench lists on the demo company (target: every list under 50 ms with
# 1,000,000 customers), for an administrator, a manager and a salesperson.
#   bench/workbench_bench.sh BUILD_DIR [CUSTOMERS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:-build}" && pwd)
customers=${2:-1000000}
as_of=2026-06-30
work=$(mktemp -d "${TMPDIR:-/tmp}/tenure-bench-workbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
db="$work/demo.db"

# The demo fills the derived metrics itself (engine::RefreshAllMetrics).
start=$(now)
"$build/src/cli/tenure" demo --customers "$customers" --seed 1 --as-of "$as_of" --db "$db" \
  > /dev/null
demo_secs=$(elapsed "$start")
# The slipping_away list reads the purchase-model scores (docs/scoring.md).
start=$(now)
"$build/src/cli/tenure" score --as-of "$as_of" --db "$db" > /dev/null
score_secs=$(elapsed "$start")
# at_risk and slipping_away read the risk model's scores, playbook_tasks the
# tasks of the packaged playbook rules (docs/risk.md, docs/playbooks.md).
start=$(now)
"$build/src/cli/tenure" risk train --db "$db" > /dev/null
"$build/src/cli/tenure" risk score --as-of "$as_of" --db "$db" > /dev/null
"$build/src/cli/tenure" playbooks run --as-of "$as_of" --rules "$here/../packaging/playbooks.conf" \
  --db "$db" > /dev/null
risk_secs=$(elapsed "$start")
tasks=$(sqlite3 "$db" "SELECT count(*) FROM playbook_tasks")
size=$(du -m "$db" | cut -f1)
# The largest team's manager and the salesperson with the most customers: the
# slowest cases of their kind.
manager=$(sqlite3 "$db" "SELECT u.username FROM users u JOIN customers c ON c.team_id = u.team_id
  WHERE u.role = 1 GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1")
sales=$(sqlite3 "$db" "SELECT u.username FROM users u JOIN customers c ON c.owner_id = u.id
  WHERE u.role = 2 GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1")
team_size=$(sqlite3 "$db" "SELECT count(*) FROM customers c JOIN users u ON u.team_id = c.team_id
  WHERE u.username = '$manager'")
book_size=$(sqlite3 "$db" "SELECT count(*) FROM customers c JOIN users u ON u.id = c.owner_id
  WHERE u.username = '$sales'")
orders=$(sqlite3 "$db" "SELECT count(*) FROM orders")
index_mb=$(sqlite3 "$db" "SELECT coalesce(sum(pgsize), 0) / 1048576 FROM dbstat
  WHERE name LIKE 'wb\_%' ESCAPE '\'" 2>/dev/null || echo "?")
table=$("$build/bench/workbench_lists" "$db" "$as_of" "$manager" "$sales" 5)
echo "workbench: $customers customers" >&2

splice "$here/../docs/benchmarks.md" workbench <<EOT
## Workbench: \`tenure workbench\` on the demo company

Measured $(date -u +%Y-%m-%d) on $(machine) by \`bench/workbench_bench.sh\`
(\`make bench\`): the demo company (\`tenure demo --customers $customers --seed 1 --as-of $as_of\`,
$(group "$orders") orders; $demo_secs s to generate, $size MB, of which ${index_mb} MB are the
workbench's indexes (migrations 003, 004 and 008)), its metrics filled by the demo itself, scored
by \`tenure score --as-of $as_of\` ($score_secs s), then \`tenure risk train\`, \`tenure risk score
--as-of $as_of\` and \`tenure playbooks run\` with packaging/playbooks.conf ($risk_secs s in all;
$(group "$tasks") tasks) for \`at_risk\`, \`slipping_away\` and \`playbook_tasks\`. Each list
(count + first page of 20, as of $as_of) built 5 times by \`bench/workbench_lists\` in one
process; median / slowest run in ms, and the list's count. The manager is \`$manager\`
($(group "$team_size") team customers), the salesperson \`$sales\` ($(group "$book_size") customers),
the largest of each. Target: every list under 50 ms.

$table
EOT
