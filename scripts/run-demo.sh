#!/usr/bin/env bash
# `make run`: builds a fresh, scored demo company whose first user of each role has
# the demo password (the login page shows them), prints the logins and starts
# the server on it.
#   scripts/run-demo.sh TENURE DB CUSTOMERS [LISTEN]
set -euo pipefail
tenure=$1
db=$2
customers=$3
listen=${4:-127.0.0.1:8080}
password=tenure-demo
rm -f "$db" "$db-wal" "$db-shm"
"$tenure" demo --customers "$customers" --seed 1 --db "$db" --login-password "$password"
# P(alive), CLV and the model's next purchase for every customer (docs/scoring.md).
"$tenure" score --db "$db"
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
