#!/usr/bin/env bash
# The Debian package as an administrator gets it (ctest package.deb): built
# by CPack from this build tree (nothing is compiled), unpacked into a
# temporary root with dpkg -x (no root needed), its control data
# (dependencies, conffile, maintainer scripts), files and systemd unit
# checked, and the server started as the unit's ExecStart says, its paths
# moved into the temporary root, on a free loopback port and a new database:
# GET / answers the web app, the public API answers, SIGTERM stops it. What
# this cannot do without a running systemd and a system to change: install
# with dpkg -i, run the maintainer scripts for real (postinst runs with the
# commands that would change the system replaced), and start the unit as the
# user tenure.
#   tests/package/deb_test.sh BUILD/CPackConfig.cmake
set -euo pipefail
cpack_config=$1

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -KILL "$server" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "ok: $*"; }

# The package, from the tree as built.
if ! cpack --config "$cpack_config" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  fail "cpack could not build the package"
fi
debs=("$work"/out/tenure_*.deb)
[ -f "${debs[0]}" ] || fail "no tenure_*.deb in $work/out"
deb=${debs[0]}
pass "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# Control data: the name, a dependency for every shared library the binary
# loads, the conffile and the maintainer scripts.
[ "$(dpkg-deb -f "$deb" Package)" = tenure ] || fail "package name"
depends=$(dpkg-deb -f "$deb" Depends)
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/tenure/tenure.conf "$work/control/conffiles" ||
  fail "conffiles does not list /etc/tenure/tenure.conf: $(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "no executable $script"
  sh -n "$work/control/$script" || fail "$script: not valid sh"
done
pass "control: Depends: $depends"

# postinst on a system without the user tenure makes it (a system user, home
# /var/lib/tenure), and on one that has it leaves it: run with the commands
# that would change this system replaced by ones that note their arguments.
mkdir "$work/bin"
for command in useradd install deb-systemd-helper systemctl; do
  printf '#!/bin/sh\necho "%s $*" >> "%s/calls"\n' "$command" "$work" > "$work/bin/$command"
done
# shellcheck disable=SC2016 # expanded by the stub, not here
printf '#!/bin/sh\n[ -n "$TENURE_USER_EXISTS" ]\n' > "$work/bin/getent"
chmod +x "$work"/bin/*
PATH="$work/bin:$PATH" "$work/control/postinst" configure > /dev/null ||
  fail "postinst configure failed"
grep -q "^useradd --system .*--home-dir /var/lib/tenure .* tenure$" "$work/calls" ||
  fail "postinst made no system user tenure: $(cat "$work/calls")"
rm "$work/calls"
TENURE_USER_EXISTS=1 PATH="$work/bin:$PATH" "$work/control/postinst" configure 0.1.0 > /dev/null ||
  fail "postinst configure (upgrade) failed"
! grep -q "^useradd" "$work/calls" 2> /dev/null || fail "postinst made the user tenure again"
pass "postinst makes the user tenure once"

root=$work/root
dpkg -x "$deb" "$root"
tenure=$root/usr/bin/tenure
for file in usr/bin/tenure usr/share/tenure/web/index.html etc/tenure/tenure.conf \
  lib/systemd/system/tenure.service usr/share/doc/tenure/README.md; do
  [ -f "$root/$file" ] || fail "the package has no /$file"
done
[ -x "$tenure" ] || fail "/usr/bin/tenure is not executable"
"$tenure" --version > /dev/null || fail "tenure --version"

# The package that provides each library the binary names (NEEDED; found
# where ldd finds it) is a dependency. dpkg knows a file under the path it was
# packaged with, /lib or /usr/lib (usrmerge).
owner_of() {
  local path=$1 candidate
  for candidate in "$path" "${path#/usr}" "/usr$path" "$(readlink -f "$path")"; do
    if dpkg -S "$candidate" > /dev/null 2>&1; then
      dpkg -S "$candidate" | head -1 | cut -d: -f1
      return
    fi
  done
}
needed=" $(readelf -d "$tenure" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
[ "$needed" != " " ] || fail "readelf found no NEEDED library in /usr/bin/tenure"
while read -r lib path; do
  [[ $needed == *" $lib "* ]] || continue
  owner=$(owner_of "$path")
  [ -n "$owner" ] || fail "no Debian package owns $path ($lib)"
  [[ ", $depends," == *", $owner "* || ", $depends," == *", $owner,"* ]] ||
    fail "$lib comes from $owner, which Depends does not name: $depends"
done < <(ldd "$tenure" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
pass "every shared library's package is a dependency"

# The default settings: the service listens on 127.0.0.1:8080, and every
# setting the file shows commented out is one tenure knows, with a valid value.
conf=$root/etc/tenure/tenure.conf
grep -qx 'listen = 127.0.0.1:8080' "$conf" || fail "tenure.conf does not listen on 127.0.0.1:8080"
sed -n 's/^# \([a-z_]* = .*\)$/\1/p' "$conf" > "$work/every-setting.conf"
[ "$(wc -l < "$work/every-setting.conf")" -gt 20 ] || fail "tenure.conf shows few settings"
"$tenure" --config "$work/every-setting.conf" openapi > /dev/null ||
  fail "a setting tenure.conf shows is refused"
pass "tenure.conf"

# The unit.
unit=$root/lib/systemd/system/tenure.service
key() { sed -n "s/^$1=//p" "$unit"; }
[ "$(key User)" = tenure ] || fail "the unit does not run as tenure"
[ "$(key StateDirectory)" = tenure ] || fail "the unit's StateDirectory is not tenure"
[ "$(key WantedBy)" = multi-user.target ] || fail "the unit is not wanted by multi-user.target"
exec_start=$(key ExecStart)
[[ $exec_start == "/usr/bin/tenure "*" serve "* ]] || fail "ExecStart runs no tenure serve: $exec_start"
[[ $exec_start == *" --config /etc/tenure/tenure.conf "* ]] || fail "ExecStart: no /etc/tenure/tenure.conf"
[[ $exec_start == *" --db /var/lib/tenure/"* ]] || fail "ExecStart: no database in /var/lib/tenure"
[[ $exec_start != *"--listen"* ]] || fail "ExecStart: the address belongs in tenure.conf"
[[ $exec_start != *[\"\'\$%]* ]] || fail "ExecStart: quotes or specifiers this test does not read"
if command -v systemd-analyze > /dev/null; then
  # Checked where the binary is, in the temporary root; any warning fails.
  mkdir "$work/verify"
  sed "s|/usr/bin/tenure|$tenure|g" "$unit" > "$work/verify/tenure.service"
  verify=$(systemd-analyze verify "$work/verify/tenure.service" 2>&1) ||
    fail "systemd-analyze verify: $verify"
  [ -z "$verify" ] || fail "systemd-analyze verify: $verify"
  pass "systemd-analyze verify"
else
  echo "skip: systemd-analyze verify (systemd-analyze is not installed)"
fi

# The server as the unit starts it: /var/lib/tenure (the StateDirectory, which
# systemd makes) in a fresh folder, every other absolute path in the root,
# and the conffile's address moved to port 0 (any free one).
state=$work/state
mkdir -m 0750 "$state"
sed -i 's/^listen = .*/listen = 127.0.0.1:0/' "$conf"
argv=()
for word in $exec_start; do
  case $word in
    /var/lib/tenure*) argv+=("$state${word#/var/lib/tenure}") ;;
    /*) argv+=("$root$word") ;;
    *) argv+=("$word") ;;
  esac
done
working_directory=$(key WorkingDirectory)
[ "$working_directory" = /var/lib/tenure ] || fail "WorkingDirectory is not /var/lib/tenure"
(cd "$state" && exec "${argv[@]}" > "$work/serve.out" 2> "$work/serve.err") &
server=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  kill -0 "$server" 2> /dev/null || fail "the server ended: $(cat "$work/serve.out" "$work/serve.err")"
  sleep 0.1
done
[ -n "$port" ] || fail "no banner after 10 s: $(cat "$work/serve.out" "$work/serve.err")"
grep -q "the web app" "$work/serve.out" || fail "the server found no web app: $(cat "$work/serve.err")"
[ -f "$state/tenure.db" ] || fail "no database made in /var/lib/tenure"
pass "started: ${argv[*]} (port $port)"

get() { # URL_PATH OUT -> "status content-type"
  curl -s --max-time 10 -o "$2" -w '%{http_code} %{content_type}' "http://127.0.0.1:$port$1"
}
answer=$(get / "$work/index.html")
[[ $answer == "200 text/html"* ]] || fail "GET / answered $answer"
grep -qi "<!doctype html>" "$work/index.html" || fail "GET / is not the web app's page"
script=$(grep -o 'src="/assets/[^"]*\.js"' "$work/index.html" | head -1 | cut -d'"' -f2)
[ -n "$script" ] || fail "the web app's page names no script"
answer=$(get "$script" "$work/app.js")
[[ $answer == "200 "*javascript* ]] || fail "GET $script answered $answer"
answer=$(get /api/v1/demo-logins "$work/logins.json")
[[ $answer == "200 application/json"* ]] || fail "GET /api/v1/demo-logins answered $answer"
grep -q '"demo":false' "$work/logins.json" || fail "a new database is a demo: $(cat "$work/logins.json")"
answer=$(get /api/v1/openapi.json "$work/openapi.json")
[[ $answer == "200 application/json"* ]] || fail "GET /api/v1/openapi.json answered $answer"
pass "GET / (the web app), $script, /api/v1/demo-logins, /api/v1/openapi.json"

kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
[ "$status" -eq 0 ] || fail "SIGTERM: exit $status: $(cat "$work/serve.err")"
grep -q "tenure: stopped" "$work/serve.out" || fail "no 'tenure: stopped'"
pass "stopped on SIGTERM"
