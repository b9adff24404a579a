#!/usr/bin/env bash
# `tariff copy` at a carrier's size: a SQLite database holding a 1M-row voice deck and 1M ledger
# entries, copied onto an empty PostgreSQL database; the time and the counts printed, beside a
# baseline from the same run: the same two tables written to CSV by Python's sqlite3 and loaded
# with psql's \copy into a second empty database (no checks, no transaction across tables —
# the floor a copy cannot beat by much).
#
# Needs psql and python3, and a PostgreSQL role that may create databases:
#
#   BENCH_POSTGRES=postgres://tariff:tariff@127.0.0.1:5432/postgres bash bench/copy.sh
#   ROWS=100000 BENCH_POSTGRES=... bash bench/copy.sh      # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
source bench/lib/postgres.sh
needs psql python3
work=$(mktemp -d)
on_exit 'rm -rf "$work"'
scratch_database target "tariff_copy_$$"
scratch_database baseline "tariff_copy_baseline_$$"
db="$work/source.sqlite"

echo "== a source with a $ROWS-row voice deck and $ROWS ledger entries"
python3 - "$work/deck.csv" "$ROWS" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w") as out:
    out.write("product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,description,effective_from\n")
    for i in range(rows):
        # Distinct prefixes under +1 (NANP): the longest a carrier deck has.
        out.write(f"voice-outbound,,,1{200 + i % 800}{i // 800:07d},,international,0.{1000 + i % 9000},EUR,60/60,0,Route {i},2026-01-01\n")
PY
"$TARIFF" import "$work/deck.csv" --database "$db" | tail -n 1
"$TARIFF" account create --name bench --currency EUR --api-key bench-key --api-secret bench-secret-0123456789 --database "$db" >/dev/null
# The ledger: ROWS top-ups, written by SQL for speed, then balanced the way the ledger keeps it.
python3 - "$db" "$ROWS" <<'PY'
import sqlite3, sys
db, rows = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db, isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.executemany(
    "INSERT INTO ledger_transactions (account_id, type, amount, currency, performed_at, recorded_at, description, reference, balance_after)"
    " VALUES (1, 'card_payment', 100000000, 'EUR', 1795000000, 1795000000, 'top-up', ?, ?)",
    ((f"topup-{i}", (i + 1) * 100000000) for i in range(rows)))
con.execute("INSERT INTO account_balances (account_id, balance) VALUES (1, ?) ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance", (rows * 100000000,))
con.execute("COMMIT")
PY

echo "== tariff copy"
start=$(date +%s.%N)
"$TARIFF" copy --from "$db" --to "$target" | tee "$work/copy.txt" | grep -E "^(rates|ledger_transactions|copied)"
copy_seconds=$(python3 -c "print($(date +%s.%N) - $start)")
counts=$(psql -At "$target" -c "SELECT (SELECT COUNT(*) FROM rates) || ' rates, ' || (SELECT COUNT(*) FROM ledger_transactions) || ' ledger entries on the target'")
echo "   $counts"

echo "== baseline: sqlite3 to CSV, psql \\copy: the deck's and the ledger's tables"
"$TARIFF" migrate --database "$baseline" >/dev/null
start=$(date +%s.%N)
python3 - "$db" "$work" <<'PY'
import csv, sqlite3, sys
db, work = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
for table in ("deck_versions", "rates", "accounts", "ledger_transactions"):
    cursor = con.execute(f"SELECT * FROM {table}")
    with open(f"{work}/{table}.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c[0] for c in cursor.description])
        writer.writerows(cursor)
PY
for table in deck_versions rates accounts ledger_transactions; do
    columns=$(head -n 1 "$work/$table.csv")
    psql -q "$baseline" -c "\\copy $table ($columns) FROM '$work/$table.csv' WITH (FORMAT csv, HEADER true)"
done
baseline_seconds=$(python3 -c "print($(date +%s.%N) - $start)")

printf '\n%-52s %10s\n' "" "seconds"
printf '%-52s %10.1f\n' "tariff copy (every table, verified, one transaction)" "$copy_seconds"
printf '%-52s %10.1f\n' "  baseline: sqlite3 CSV + psql \\copy, 4 tables" "$baseline_seconds"
python3 -c "print(f'ratio: {$copy_seconds / $baseline_seconds:.2f}x the baseline')"
