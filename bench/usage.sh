#!/usr/bin/env bash
# Charges per second through `POST /v1/usage` (one record per request, many concurrent clients,
# group commit), and records per second through `POST /v1/usage:batch` and `tariff usage import`
# for a CDR file; each beside a baseline from the same run: Python's sqlite3 inserting the same
# rows into the same tables, one transaction per charge (the way a naive biller commits), and
# the whole file in one transaction (what a bulk load cannot beat by much).
#
# An acknowledged charge is durable: SQLite in WAL mode has committed it before the answer is
# written, so it survives SIGKILL. The script checks that the ledger holds at least every
# acknowledged charge, Σ transactions = balance, and that no id was charged twice.
#
# Requests carry what the SDKs send (Connection: keep-alive, Accept-Encoding, Accept, User-Agent).
# Needs wrk, curl, python3 (apt-get install wrk curl).
#
#   bash bench/usage.sh                                   # 10 s of wrk, a 1M-record file
#   SECONDS_PER_RUN=5 RECORDS=100000 bash bench/usage.sh  # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
RECORDS=${RECORDS:-1000000}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18090}

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "bench/usage.sh needs $tool" >&2; exit 2; }
done

if [ -z "${TARIFF:-}" ]; then
    swift build -c release --product tariff 2>&1 | tail -n 1
    TARIFF="$(swift build -c release --show-bin-path)/tariff"
fi
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

db="$work/bench.sqlite"
for deck in Sources/TariffStore/Resources/demo/{sms-outbound,voice-outbound,voice-inbound}.csv; do
    "$TARIFF" import "$deck" --database "$db" >/dev/null
done
"$TARIFF" fx import Sources/TariffStore/Resources/demo/fx-rates.xml --database "$db" >/dev/null
for name in http batch cli; do
    "$TARIFF" account create --name "$name" --currency USD --api-key "$name-key" --api-secret "$name-secret-0123456789" \
        --database "$db" >/dev/null
done
ids=$(python3 - "$db" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT id, name FROM accounts ORDER BY id").fetchall()
print(" ".join(f"{name}={id}" for id, name in rows))
PY
)
eval "$ids"
for id in $http $batch $cli; do "$TARIFF" account credit "$id" 100000000 --database "$db" >/dev/null; done

"$TARIFF" serve --database "$db" --port "$PORT" --rate-limit off --log-level error &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

# One record per request, a unique id per request; a tiny share of retries would not change the figure.
cat > "$work/usage.lua" <<LUA
local threads = {}
function setup(thread) thread:set("tid", #threads + 1); table.insert(threads, thread) end
local counter = 0
local auth = "Basic $(printf 'http-key:http-secret-0123456789' | base64 -w0)"
function request()
  counter = counter + 1
  local body = '{"id":"w' .. tid .. '-' .. counter .. '","product":"voice","to":"+34911234567","seconds":61,"occurred_at":"2026-11-20T10:00:00Z"}'
  return wrk.format("POST", "/v1/usage", {["Content-Type"]="application/json", ["Authorization"]=auth,
    ["Connection"]="keep-alive", ["Accept-Encoding"]="gzip, deflate", ["Accept"]="*/*", ["User-Agent"]="python-requests/2.32.3"}, body)
end
LUA
echo "== POST /v1/usage: $CONNECTIONS connections, $THREADS wrk threads, ${SECONDS_PER_RUN}s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$work/usage.lua" "http://127.0.0.1:$PORT" > "$work/wrk.txt"
acknowledged=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
failed=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
failed=${failed:-0}
http_rate=$(python3 -c "print(round(($acknowledged - $failed) / $SECONDS_PER_RUN))")
grep -E "Latency|Req/Sec|requests in|Non-2xx" "$work/wrk.txt" | sed 's/^/   /'
# The ceiling HTTP alone sets: a price read by the same key, the same connections, no write.
cat > "$work/price.lua" <<LUA
wrk.headers["Authorization"] = "Basic $(printf 'http-key:http-secret-0123456789' | base64 -w0)"
wrk.headers["Connection"] = "keep-alive"; wrk.headers["Accept-Encoding"] = "gzip, deflate"
wrk.headers["Accept"] = "*/*"; wrk.headers["User-Agent"] = "python-requests/2.32.3"
LUA
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$work/price.lua" \
    "http://127.0.0.1:$PORT/v1/prices/voice?to=%2B34911234567&seconds=61" > "$work/wrk-price.txt"
price_rate=$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/wrk-price.txt")
# The floor of the HTTP stack itself: the health route, no key, no pricing, a few bytes of JSON.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$work/price.lua" "http://127.0.0.1:$PORT/health" > "$work/wrk-health.txt"
health_rate=$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/wrk-health.txt")

# A CDR file: calls and messages to a few destinations, all unique ids.
python3 - "$work/cdrs.ndjson" "$RECORDS" <<'PY'
import sys
path, count = sys.argv[1], int(sys.argv[2])
targets = [("voice", "+34911234567"), ("sms", "+34612345678"), ("voice", "+4930123456"), ("sms", "+447700900123")]
with open(path, "w") as out:
    for i in range(count):
        product, to = targets[i % len(targets)]
        quantity = f'"seconds":{i % 600}' if product == "voice" else f'"messages":{1 + i % 3}'
        out.write(f'{{"id":"cdr-{i}","product":"{product}","to":"{to}",{quantity},"occurred_at":"2026-11-20T{i % 24:02d}:00:00Z"}}\n')
PY
echo "== POST /v1/usage:batch, $RECORDS records"
start=$(date +%s.%N)
curl -sS -u batch-key:batch-secret-0123456789 -H 'Content-Type: application/x-ndjson' -H 'Accept-Encoding: gzip, deflate' \
    -H 'User-Agent: python-requests/2.32.3' --data-binary @"$work/cdrs.ndjson" \
    "http://127.0.0.1:$PORT/v1/usage:batch" -o "$work/answers.ndjson"
batch_seconds=$(python3 -c "import time; print($(date +%s.%N) - $start)")
charged=$(grep -c '"status":201' "$work/answers.ndjson" || true)
echo "   $charged of $RECORDS answered 201 in $(printf %.2f "$batch_seconds") s"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

echo "== tariff usage import, $RECORDS records"
start=$(date +%s.%N)
"$TARIFF" usage import "$work/cdrs.ndjson" --account "$cli" --database "$db" > "$work/cli.txt"
cli_seconds=$(python3 -c "import time; print($(date +%s.%N) - $start)")
sed 's/^/   /' "$work/cli.txt"

python3 - "$db" "$work" "$RECORDS" "$SECONDS_PER_RUN" "$acknowledged" "$failed" "$http_rate" "$batch_seconds" "$cli_seconds" "$http" "$price_rate" "$health_rate" <<'PY'
import sqlite3, sys, time, json
db, work, records, seconds, acknowledged, failed, http_rate, batch_s, cli_s, http_id, price_rate, health_rate = sys.argv[1:]
records, seconds, acknowledged, failed, http_rate = int(records), int(seconds), int(acknowledged), int(failed), int(http_rate)
batch_s, cli_s, http_id = float(batch_s), float(cli_s), int(http_id)
con = sqlite3.connect(db)
# The ledger against what was acknowledged: every acknowledged charge is there, none twice.
charges = con.execute("SELECT COUNT(*), COUNT(DISTINCT reference) FROM ledger_transactions WHERE account_id = ? AND type = 'resource_charge'", (http_id,)).fetchone()
assert charges[0] == charges[1], f"an id charged twice: {charges}"
assert charges[0] >= acknowledged - failed, f"{acknowledged - failed} acknowledged but {charges[0]} in the ledger"
for account, balance in con.execute("SELECT account_id, balance FROM account_balances"):
    total = sum(int(a) for (a,) in con.execute("SELECT amount FROM ledger_transactions WHERE account_id = ?", (account,)))
    assert total == int(balance), f"account {account}: Σ {total} != balance {balance}"
    last = con.execute("SELECT balance_after FROM ledger_transactions WHERE account_id = ? ORDER BY id DESC LIMIT 1", (account,)).fetchone()
    assert last is None or int(last[0]) == total
print(f"   ledger checked: {charges[0]} charges for {acknowledged - failed} acknowledged, no id twice, Σ transactions = balance for every account")
row = con.execute("SELECT account_id, type, amount, currency, performed_at, recorded_at, description, reference, fingerprint, balance_after, explanation, basis_id FROM ledger_transactions WHERE type = 'resource_charge' LIMIT 1").fetchone()
con.close()

# Baselines: the same rows into a copy of the same tables, by Python's sqlite3 (C), same pragmas.
import shutil
copy = work + "/baseline.sqlite"
shutil.copy(db, copy)
con = sqlite3.connect(copy, isolation_level=None)
con.execute("PRAGMA journal_mode = WAL"); con.execute("PRAGMA synchronous = NORMAL")
insert = "INSERT INTO ledger_transactions (account_id, type, amount, currency, performed_at, recorded_at, description, reference, fingerprint, balance_after, explanation, basis_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
def rows(n, tag):
    for i in range(n):
        yield (row[0], row[1], row[2], row[3], row[4], row[5], row[6], f"{tag}-{i}", row[8], row[9], row[10], row[11])
n = min(records, 200000)
start = time.perf_counter()
for r in rows(n, "loop"):
    con.execute("BEGIN IMMEDIATE"); con.execute(insert, r)
    con.execute("UPDATE account_balances SET balance = ? WHERE account_id = ?", (r[9], r[0])); con.execute("COMMIT")
loop_rate = n / (time.perf_counter() - start)
start = time.perf_counter()
con.execute("BEGIN IMMEDIATE"); con.executemany(insert, rows(records, "bulk")); con.execute("COMMIT")
bulk_rate = records / (time.perf_counter() - start)
print()
print(f"{'':44} {'per second':>12}")
print(f"{'POST /v1/usage (acknowledged charges)':44} {http_rate:>12,}")
print(f"{'  baseline: sqlite3 loop, a transaction each':44} {round(loop_rate):>12,}")
print(f"{'  beside: GET /v1/prices (reads, no charge)':44} {int(price_rate):>12,}")
print(f"{'  beside: GET /health (the HTTP stack alone)':44} {int(health_rate):>12,}")
print(f"{'POST /v1/usage:batch (records)':44} {round(records / batch_s):>12,}")
print(f"{'tariff usage import (records)':44} {round(records / cli_s):>12,}")
print(f"{'  baseline: sqlite3, one transaction':44} {round(bulk_rate):>12,}")
PY
