#!/usr/bin/env bash
# `make run`: builds a fresh demo company and shows it. (Until the server
# exists, "starting Tenure" means printing the company's summary.)
#   scripts/run-demo.sh TENURE DB CUSTOMERS
set -euo pipefail
tenure=$1
db=$2
customers=$3
rm -f "$db" "$db-wal" "$db-shm"
"$tenure" demo --customers "$customers" --seed 1 --db "$db"
echo
"$tenure" summary --db "$db"
cat <<EOT

Try:
  $tenure export customers --db $db --out customers.csv
  $tenure export orders --format xlsx --db $db --out orders.xlsx
  $tenure import orders tests/data/cdnow_master.csv --create-customers --db cdnow.db
EOT
