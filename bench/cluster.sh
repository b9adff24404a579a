#!/usr/bin/env bash
# Charges per second through `POST /v1/usage` on PostgreSQL with one node and with two nodes
# sharing the database, printed beside `pgbench -b tpcb-like` on the same server in the same run
# with the same number of clients; and the price route's requests per second on PostgreSQL
# beside SQLite's (prices are read from the compiled rate book, never from the database, so the
# two should be within a few per cent).
#
# Requests carry what the SDKs send (Connection: keep-alive, Accept-Encoding, Accept, User-Agent).
# Needs wrk, curl, psql, pgbench and python3, and a PostgreSQL role that may create databases:
#
#   BENCH_POSTGRES=postgres://tariff:tariff@127.0.0.1:5432/postgres bash bench/cluster.sh
#   SECONDS_PER_RUN=5 CONNECTIONS=32 BENCH_POSTGRES=... bash bench/cluster.sh   # a quicker look
#
# Two scratch databases are created on that server and dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18190}
source bench/lib/postgres.sh
needs wrk curl psql pgbench python3
work=$(mktemp -d)
pids=()
on_exit 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"'
scratch_database pg "tariff_bench_$$"
scratch_database pgbench_url "pgbench_bench_$$"
sqlite="$work/bench.sqlite"

for db in "$pg" "$sqlite"; do
    for deck in Sources/TariffStore/Resources/demo/{sms-outbound,voice-outbound,voice-inbound}.csv; do
        "$TARIFF" import "$deck" --database "$db" >/dev/null
    done
    "$TARIFF" fx import Sources/TariffStore/Resources/demo/fx-rates.xml --database "$db" >/dev/null
    "$TARIFF" account create --name http --currency USD --api-key http-key --api-secret http-secret-0123456789 --database "$db" >/dev/null
    "$TARIFF" account credit 1 100000000 --database "$db" >/dev/null
done

serve() { # database port
    "$TARIFF" serve --database "$1" --port "$2" --rate-limit off --log-level error &
    pids+=("$!")
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$2/health" >/dev/null && return; sleep 0.1; done
    echo "tariff serve on $2 did not start" >&2
    exit 1
}
serve "$pg" "$PORT"
serve "$pg" "$((PORT + 1))"
serve "$sqlite" "$((PORT + 2))"

auth="Basic $(printf 'http-key:http-secret-0123456789' | base64 -w0)"
# One record per request, a unique id per request and per node.
usage_script() { # tag
    cat <<LUA
local threads = {}
function setup(thread) thread:set("tid", #threads + 1); table.insert(threads, thread) end
local counter = 0
function request()
  counter = counter + 1
  local body = '{"id":"$1-' .. tid .. '-' .. counter .. '","product":"voice","to":"+34911234567","seconds":61,"occurred_at":"2026-11-20T10:00:00Z"}'
  return wrk.format("POST", "/v1/usage", {["Content-Type"]="application/json", ["Authorization"]="$auth",
    ["Connection"]="keep-alive", ["Accept-Encoding"]="gzip, deflate", ["Accept"]="*/*", ["User-Agent"]="python-requests/2.32.3"}, body)
end
LUA
}
cat > "$work/headers.lua" <<LUA
wrk.headers["Authorization"] = "$auth"
wrk.headers["Connection"] = "keep-alive"; wrk.headers["Accept-Encoding"] = "gzip, deflate"
wrk.headers["Accept"] = "*/*"; wrk.headers["User-Agent"] = "python-requests/2.32.3"
LUA
# Acknowledged (2xx) requests per second of a wrk output.
rate() { awk -v s="$SECONDS_PER_RUN" '/requests in/ {n = $1} /Non-2xx/ {bad = $5} END {printf "%d", (n - bad) / s}' "$1"; }

echo "== pgbench -b tpcb-like: $CONNECTIONS clients, ${SECONDS_PER_RUN}s"
pgbench -q -i -s 10 "$pgbench_url" >/dev/null 2>&1
pgbench -b tpcb-like -c "$CONNECTIONS" -j "$THREADS" -T "$SECONDS_PER_RUN" "$pgbench_url" > "$work/pgbench.txt" 2>&1
tps=$(awk '/^tps/ {printf "%d", $3}' "$work/pgbench.txt")

echo "== POST /v1/usage, one node: $CONNECTIONS connections"
usage_script one > "$work/one.lua"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$work/one.lua" "http://127.0.0.1:$PORT" > "$work/one.txt"
one=$(rate "$work/one.txt")

echo "== POST /v1/usage, two nodes: $((CONNECTIONS / 2)) connections each, at once"
usage_script twoa > "$work/twoa.lua"
usage_script twob > "$work/twob.lua"
wrk -t1 -c"$((CONNECTIONS / 2))" -d"${SECONDS_PER_RUN}s" -s "$work/twoa.lua" "http://127.0.0.1:$PORT" > "$work/twoa.txt" &
first=$!
wrk -t1 -c"$((CONNECTIONS / 2))" -d"${SECONDS_PER_RUN}s" -s "$work/twob.lua" "http://127.0.0.1:$((PORT + 1))" > "$work/twob.txt"
wait "$first"
two=$(( $(rate "$work/twoa.txt") + $(rate "$work/twob.txt") ))

echo "== GET /v1/prices/voice: PostgreSQL node, SQLite node"
price="/v1/prices/voice?to=%2B34911234567&seconds=61"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$work/headers.lua" "http://127.0.0.1:$PORT$price" > "$work/price-pg.txt"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s "$work/headers.lua" "http://127.0.0.1:$((PORT + 2))$price" > "$work/price-sqlite.txt"
price_pg=$(rate "$work/price-pg.txt")
price_sqlite=$(rate "$work/price-sqlite.txt")

# The ledger after it all: no id twice, every acknowledged charge there, Σ = balance.
acknowledged=$(( (one + two) * SECONDS_PER_RUN ))
read -r entries distinct total balance < <(psql -At -F ' ' "$pg" -c "
    SELECT COUNT(*) FILTER (WHERE type = 'resource_charge'), COUNT(DISTINCT reference) FILTER (WHERE type = 'resource_charge'),
           COALESCE(SUM(amount), 0), (SELECT balance FROM account_balances WHERE account_id = 1)
    FROM ledger_transactions WHERE account_id = 1")
[ "$entries" = "$distinct" ] || { echo "an id was charged twice: $entries entries, $distinct references" >&2; exit 1; }
[ "$total" = "$balance" ] || { echo "Σ ledger $total != balance $balance" >&2; exit 1; }
echo "   ledger checked: $entries entries (about $acknowledged acknowledged charges), no id twice, Σ ledger = balance"

printf '\n%-52s %12s\n' "" "per second"
printf '%-52s %12s\n' "POST /v1/usage on PostgreSQL, one node" "$one"
printf '%-52s %12s\n' "POST /v1/usage on PostgreSQL, two nodes" "$two"
printf '%-52s %12s\n' "  baseline: pgbench -b tpcb-like, same clients" "$tps"
printf '%-52s %12s\n' "GET /v1/prices/voice, PostgreSQL node" "$price_pg"
printf '%-52s %12s\n' "  baseline: the same route, SQLite node" "$price_sqlite"
python3 -c "print(f'ratios: one node {$one / $tps:.2f}x pgbench, two nodes {$two / $tps:.2f}x; price route PostgreSQL/SQLite {$price_pg / $price_sqlite:.2f}')"
