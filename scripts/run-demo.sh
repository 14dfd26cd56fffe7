#!/usr/bin/env bash
# `make run`: a scored demo company whose first user of each role has the demo
# password (the login page shows them), the logins printed and the server
# started on it. The demo company already in DB is kept, with what was
# changed in it; NEW_DEMO=1 (make run NEW=1) replaces it with a new one. A DB
# that is not a demo company is never replaced without NEW_DEMO=1.
#   [NEW_DEMO=1] scripts/run-demo.sh TENURE DB CUSTOMERS [LISTEN]
set -euo pipefail
tenure=$1
db=$2
customers=$3
listen=${4:-127.0.0.1:8080}
new=${NEW_DEMO:-}
password=tenure-demo

# A settings value of DB (schema 011); empty when it has none.
setting() { sqlite3 "$db" "SELECT value FROM settings WHERE key = '$1'" 2> /dev/null || true; }

if [ -f "$db" ] && [ "$new" != 1 ]; then
  if [ "$(setting demo)" != 1 ] || [ -z "$(setting demo_password)" ]; then
    echo "tenure: $db is not a demo company with demo logins (tenure demo --login-password)." >&2
    echo "  make run DB=other.db    a demo company in another file" >&2
    echo "  make run NEW=1          replaces $db with a new demo company" >&2
    exit 1
  fi
  password=$(setting demo_password)
  echo "Keeping the demo company in $db (make run NEW=1 makes a new one)."
  # A run stopped before its scoring ended scores now.
  if [ -z "$(sqlite3 "$db" "SELECT 1 FROM score_runs LIMIT 1" 2> /dev/null || true)" ]; then
    "$tenure" score --db "$db"
  fi
else
  rm -f "$db" "$db-wal" "$db-shm"
  "$tenure" demo --customers "$customers" --seed 1 --db "$db" --login-password "$password"
  # P(alive), CLV and the model's next purchase for every customer (docs/scoring.md).
  "$tenure" score --db "$db"
fi
echo
"$tenure" summary --db "$db"

echo
echo "Logins (password: $password):"
for role in admin manager sales service; do
  code=$(case $role in admin) echo 0;; manager) echo 1;; sales) echo 2;; service) echo 3;; esac)
  user=$(sqlite3 "$db" "SELECT username FROM users WHERE role = $code AND active = 1 ORDER BY id LIMIT 1")
  printf '  %-8s %s\n' "$role" "$user"
  printf -v "${role}_user" '%s' "$user"
done
cat <<EOT

The API from another terminal:
  token=\$(curl -s -X POST http://$listen/api/v1/login \\
      -d '{"username":"$sales_user","password":"$password"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
  curl -s -H "Authorization: Bearer \$token" http://$listen/api/v1/workbench
  curl -s http://$listen/api/v1/openapi.json
The command line works on the same file:
  $tenure workbench --user $sales_user --db $db
  $tenure export customers --db $db --out customers.csv

EOT
echo "Open http://$listen/ in a browser; log in as $sales_user (sales), $manager_user (manager), $service_user (service) or $admin_user (admin), password $password."
exec "$tenure" serve --db "$db" --listen "$listen"
