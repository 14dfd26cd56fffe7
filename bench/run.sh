#!/usr/bin/env bash
# Runs every benchmark and writes the figures into docs/benchmarks.md.
#   bench/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
"$here/import_bench.sh" "$build"
"$here/retail_bench.sh" "$build"
"$here/demo_bench.sh" "$build"
"$here/workbench_bench.sh" "$build"
"$here/model_bench.sh" "$build"
"$here/risk_bench.sh" "$build"
"$here/api_bench.sh" "$build"
"$here/soak_bench.sh" "$build"
"$here/web_bench.sh" "$build"
"$here/crash_bench.sh" "$build"
