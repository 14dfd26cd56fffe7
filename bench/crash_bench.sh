#!/usr/bin/env bash
# The crash harness at length (issue 16): TRIALS kills (default 500) of
# `tenure serve` under 8 writing clients beside an import, a score run and a
# handover (tests/reliability/crash_test.cc), with every check after each.
#   bench/crash_bench.sh BUILD_DIR [TRIALS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:-build}" && pwd)
trials=${2:-500}
log=$(mktemp "${TMPDIR:-/tmp}/tenure-bench-crash.XXXXXX")
trap 'rm -f "$log"' EXIT
start=$(now)
status=0
TENURE_CRASH_TRIALS=$trials "$build/tests/reliability_test" --gtest_filter='CrashTest.*' \
  > "$log" 2>&1 || status=$?
took=$(elapsed "$start")
summary=$(sed -n 's/^crash harness: \([0-9]* kills.*\)/\1/p' "$log")
steps=$(sed -n 's/^crash harness: uninterrupted, //p' "$log")
seed=$(sed -n 's/.*TENURE_CRASH_SEED=\([0-9]*\).*/\1/p' "$log" | head -1)
result=$([ "$status" -eq 0 ] && echo "every check held" || echo "**a check failed** (exit $status)")
echo "crash: $trials trials in $took s: $summary; $result" >&2
splice "$here/../docs/benchmarks.md" crash <<EOT
## Crash harness at length

Measured $(date -u +%Y-%m-%d) on $(machine) by \`bench/crash_bench.sh\` (\`make bench\`):
\`TENURE_CRASH_TRIALS=$trials reliability_test --gtest_filter='CrashTest.*'\` (seed $seed), in
$took s. Each trial kills \`tenure serve\` (8 writing clients) and the command line's import of
60,000 orders, score run and handover (uninterrupted: $steps) with SIGKILL, then checks the
database (docs/reliability.md). Result: $summary; $result.
EOT
[ "$status" -eq 0 ]
