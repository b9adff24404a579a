#!/usr/bin/env bash
# What metered products cost to charge, beside calls in the same run: `POST /v1/usage` one record
# per request (many concurrent clients, group commit) and `POST /v1/usage:batch` for a file, for
# a call, a metered use (speech recognition), and a metered use drawn from a package's included
# units (the draw is a read and an update inside the charge's transaction).
#
# Requests carry what the SDKs send (Connection: keep-alive, Accept-Encoding, Accept, User-Agent).
# Needs wrk, curl, python3.
#
#   bash bench/metered.sh                                   # 10 s of wrk, 200k-record files
#   SECONDS_PER_RUN=5 RECORDS=50000 bash bench/metered.sh   # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
RECORDS=${RECORDS:-200000}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18091}

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "bench/metered.sh needs $tool" >&2; exit 2; }
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
for deck in Sources/TariffStore/Resources/demo/{voice-outbound,services}.csv; do "$TARIFF" import "$deck" --database "$db" >/dev/null; done
printf 'template,type,installation_price,monthly_price,currency,includes,effective_from\nbench,PACKAGE,0,1,USD,speech-recognition=1000000000,2026-01-01\n' \
    >"$work/templates.csv"
"$TARIFF" import "$work/templates.csv" --kind templates --database "$db" >/dev/null
"$TARIFF" fx import Sources/TariffStore/Resources/demo/fx-rates.xml --database "$db" >/dev/null
for name in call metered package; do
    "$TARIFF" account create --name "$name" --currency USD --api-key "$name-key" --api-secret "$name-secret-0123456789" \
        --database "$db" >/dev/null
done
for id in 1 2 3; do "$TARIFF" account credit "$id" 100000000 --database "$db" >/dev/null; done

"$TARIFF" serve --database "$db" --port "$PORT" --rate-limit off --log-level error &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
curl -sf -u package-key:package-secret-0123456789 -H 'Content-Type: application/json' -d '{"template":"bench"}' \
    "http://127.0.0.1:$PORT/v1/subscriptions" >/dev/null
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# kind, account, record (the id is added per request)
single() {
    local kind=$1 account=$2 record=$3
    cat >"$work/$kind.lua" <<LUA
local threads = {}
function setup(thread) thread:set("tid", #threads + 1); table.insert(threads, thread) end
local counter = 0
local auth = "Basic $(printf '%s' "$account-key:$account-secret-0123456789" | base64 -w0)"
function request()
  counter = counter + 1
  local body = '{"id":"w' .. tid .. '-' .. counter .. '",$record}'
  return wrk.format("POST", "/v1/usage", {["Content-Type"]="application/json", ["Authorization"]=auth,
    ["Connection"]="keep-alive", ["Accept-Encoding"]="gzip, deflate", ["Accept"]="*/*", ["User-Agent"]="python-requests/2.32.3"}, body)
end
LUA
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$work/$kind.lua" "http://127.0.0.1:$PORT" >"$work/$kind.txt"
    local done failed
    done=$(awk '/requests in/ {print $1}' "$work/$kind.txt")
    failed=$(awk '/Non-2xx/ {print $5}' "$work/$kind.txt")
    python3 -c "print(round(($done - ${failed:-0}) / $SECONDS_PER_RUN), ${failed:-0})"
}

batch() {
    local kind=$1 account=$2 record=$3
    python3 - "$work/$kind.ndjson" "$RECORDS" "$record" <<'PY'
import sys
path, count, record = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as out:
    for i in range(count):
        out.write('{"id":"b-%d",%s}\n' % (i, record))
PY
    local start seconds charged
    start=$(date +%s.%N)
    curl -sS -u "$account-key:$account-secret-0123456789" -H 'Content-Type: application/x-ndjson' -H 'Accept-Encoding: gzip, deflate' \
        -H 'User-Agent: python-requests/2.32.3' --data-binary @"$work/$kind.ndjson" "http://127.0.0.1:$PORT/v1/usage:batch" \
        -o "$work/$kind-answers.ndjson"
    seconds=$(python3 -c "print($(date +%s.%N) - $start)")
    charged=$(grep -c '"status":201' "$work/$kind-answers.ndjson" || true)
    python3 -c "print(round($charged / $seconds), $RECORDS - $charged)"
}

call_record='"product":"voice","to":"+34911234567","seconds":61,"occurred_at":"'$now'"'
metered_record='"product":"speech-recognition","units":61,"occurred_at":"'$now'"'
echo "== POST /v1/usage: $CONNECTIONS connections, $THREADS wrk threads, ${SECONDS_PER_RUN}s each"
read -r call_rate call_failed < <(single call call "$call_record")
read -r metered_rate metered_failed < <(single metered metered "$metered_record")
read -r package_rate package_failed < <(single package package "$metered_record")
echo "== POST /v1/usage:batch: $RECORDS records each"
read -r call_batch call_batch_failed < <(batch call-batch call "$call_record")
read -r metered_batch metered_batch_failed < <(batch metered-batch metered "$metered_record")
read -r package_batch package_batch_failed < <(batch package-batch package "$metered_record")
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

python3 - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for account, balance in con.execute("SELECT account_id, balance FROM account_balances"):
    total = con.execute("SELECT COALESCE(SUM(amount), 0) FROM ledger_transactions WHERE account_id = ?", (account,)).fetchone()[0]
    assert int(balance) == int(total), f"account {account}: balance {balance}, transactions {total}"
used, = con.execute("SELECT COALESCE(SUM(used), 0) FROM allowances").fetchone()
included, = con.execute(
    "SELECT COALESCE(SUM(json_extract(explanation, '$.included_units')), 0) FROM ledger_transactions WHERE account_id = 3").fetchone()
assert used == included, f"allowances used {used}, charges say {included} included"
print(f"   ledger checked: every balance is the sum of its transactions; {used} included units drawn, as the charges say")
PY
printf '\n| route | call (baseline) | metered | metered, drawn from a package | refused |\n|---|---|---|---|---|\n'
printf '| POST /v1/usage | %s/s | %s/s | %s/s | %s |\n' "$call_rate" "$metered_rate" "$package_rate" "$((call_failed + metered_failed + package_failed))"
printf '| POST /v1/usage:batch | %s records/s | %s records/s | %s records/s | %s |\n' "$call_batch" "$metered_batch" "$package_batch" \
    "$((call_batch_failed + metered_batch_failed + package_batch_failed))"
