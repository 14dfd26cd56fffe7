#!/usr/bin/env bash
# Slow clients and the soak (issue 16): `tenure serve` on the demo company
# with 256 slow clients connected (bench/slow_clients.cc: each sends a header
# line a second and never ends its head; the server drops it after 10 s and
# it connects again at once).
#  1. A normal client (wrk, 4 connections) on GET /api/v1/me without and then
#     with the 256 slow clients: target p99 under 100 ms with them.
#  2. The soak: the mixed load of api_bench (9 profile reads to 1 logged call)
#     for SOAK_MINUTES one-minute runs beside the slow clients: requests,
#     errors (target 0), p50/p99 each minute, the server's resident memory
#     and open descriptors at the start (after a minute to warm the caches)
#     and after each minute (target: less than 10 % growth), and every
#     acknowledged write stored.
#   bench/soak_bench.sh BUILD_DIR [CUSTOMERS] [MINUTES]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:-build}" && pwd)
customers=${2:-1000000}
minutes=${3:-${SOAK_MINUTES:-10}}
slow=256
as_of=2026-06-30
tenure="$build/src/cli/tenure"
work=$(mktemp -d "${TMPDIR:-/tmp}/tenure-bench-soak.XXXXXX")
server_pid=""
slow_pid=""
cleanup() {
  [ -n "$slow_pid" ] && kill "$slow_pid" 2>/dev/null && wait "$slow_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
db="$work/demo.db"
"$tenure" demo --customers "$customers" --seed 1 --as-of "$as_of" --db "$db" > /dev/null
password=bench-password
printf '%s\n' "$password" | "$tenure" user passwd admin --password-stdin --db "$db" > /dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$tenure" serve --db "$db" --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 100); do
  curl -sf "$url/api/v1/openapi.json" > /dev/null && break
  sleep 0.1
done
token=$(curl -sf -X POST "$url/api/v1/login" -d "{\"username\":\"admin\",\"password\":\"$password\"}" |
  sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')

# wrk_run NAME SECONDS CONNECTIONS LUA ARGS...: prints "requests rps p50 p99 bad" (ms).
wrk_run() {
  local name=$1 seconds=$2 connections=$3 script=$4
  shift 4
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/wrk/$script" "$url" -- "$@" \
    > "$work/$name.txt"
  awk '
    /requests in/ { n = $1 }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /^errors / { bad += $2 } /^non_200 / { bad += $2 } /Socket errors/ { bad += $4 + $6 + $8 + $10 }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { printf "%d %d %.2f %.2f %d\n", n, rps, ms(p50), ms(p99), bad + 0 }' "$work/$name.txt"
}
rss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
fds() { ls "/proc/$server_pid/fd" | wc -l; }
# Established connections to the server's port (the kernel's table).
open_slow() {
  awk -v p="$(printf ':%04X' "$port")" '$2 ~ p"$" && $4 == "01"' /proc/net/tcp | wc -l
}

# 1. The normal client without and with the slow ones.
read -r _ me_rps me_p50 me_p99 me_bad < <(wrk_run me 20 4 get.lua "$token" /api/v1/me 0 0)
"$build/bench/slow_clients" 127.0.0.1 "$port" "$slow" 1000 > "$work/slow.txt" &
slow_pid=$!
sleep 3
connected=$(open_slow)
read -r _ ms_rps ms_p50 ms_p99 ms_bad < <(wrk_run me_slow 20 4 get.lua "$token" /api/v1/me 0 0)
echo "soak: /me $me_rps/s p99 $me_p99 ms alone; $ms_rps/s p99 $ms_p99 ms beside $connected slow" >&2

# 2. The soak, after a minute of the same load to warm the caches (the
# server's own page caches fill then; what grows after is what the soak is
# for).
tag="soak$(date +%s)"
rss_cold=$(rss)
wrk_run warmup 60 16 mixed.lua "$token" "$customers" "${tag}w" > /dev/null
rss_start=$(rss)
fds_start=$(fds)
rows=""
total=0
errors=0
created=0
for minute in $(seq "$minutes"); do
  read -r n rps p50 p99 bad < <(wrk_run "soak$minute" 60 16 mixed.lua "$token" "$customers" "$tag-$minute")
  c=$(sed -n 's/^created //p' "$work/soak$minute.txt")
  total=$((total + n))
  errors=$((errors + bad))
  created=$((created + c))
  rows+="| $minute | $(group "$n") | $(group "$rps") | $p50 | $p99 | $bad | $(rss) | $(fds) | $(open_slow) |"$'\n'
  echo "soak: minute $minute: $n requests, $rps/s, p99 $p99 ms, $bad errors, rss $(rss) MiB, fds $(fds)" >&2
done
rss_end=$(rss)
fds_end=$(fds)
kill "$slow_pid"
wait "$slow_pid" || true
slow_pid=""
slow_line=$(cat "$work/slow.txt")
kill "$server_pid"
wait "$server_pid" || true
server_pid=""
stored=$(sqlite3 "$db" "SELECT count(*) FROM activities WHERE notes LIKE '$tag-%'")
growth=$(awk -v a="$rss_start" -v b="$rss_end" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }')
echo "soak: $total requests, $errors errors, $created acknowledged, $stored stored, rss $rss_start -> $rss_end MiB ($growth %)" >&2

verdict() { awk -v ok="$1" 'BEGIN { print ok ? "met" : "**missed**" }'; }
splice "$here/../docs/benchmarks.md" soak <<EOT
## Slow clients and the soak

Measured $(date -u +%Y-%m-%d) on $(machine) by \`bench/soak_bench.sh\` (\`make bench\`):
\`tenure serve\` (default settings: 10 s to send a request head) on the demo company
(\`tenure demo --customers $customers --seed 1\`), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') and
$slow slow clients (\`bench/slow_clients\`: a header line a second, a head never ended,
connecting again when dropped) on the same 2 cores.

A normal client (wrk, 4 connections, 20 s) on \`GET /api/v1/me\`:

| | Requests/s | p50 ms | p99 ms | Errors | Target |
|---|---|---|---|---|---|
| alone (the peer) | $(group "$me_rps") | $me_p50 | $me_p99 | $me_bad | |
| beside $connected slow clients | $(group "$ms_rps") | $ms_p50 | $ms_p99 | $ms_bad | p99 < 100 ms: $(verdict "$(awk -v p="$ms_p99" -v b="$ms_bad" 'BEGIN { print (p < 100 && b == 0) }')") |

The soak: the mixed load (16 connections, 9 profile reads to 1 \`POST /activities\`) for
$minutes one-minute runs beside the slow clients ($slow_line over the whole run).
Resident memory ${rss_cold} MiB before any profile was read, ${rss_start} MiB after a minute of
the same load to warm the caches (the start), ${rss_end} MiB at the end ($growth %; target
under +10 %: $(verdict "$(awk -v a="$rss_start" -v b="$rss_end" 'BEGIN { print b < a * 1.1 }')")); open
descriptors $fds_start at the start, $fds_end at the end. $(group "$total") requests, $errors
errors (target 0: $(verdict "$((errors == 0))")); $(group "$created") calls acknowledged, $(group "$stored")
stored.

| Minute | Requests | Requests/s | p50 ms | p99 ms | Errors | RSS MiB | Open fds | Slow connected |
|---|---|---|---|---|---|---|---|---|
$rows
EOT
