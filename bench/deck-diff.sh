#!/usr/bin/env bash
# `GET /v1/admin/decks/{deck}/diff` at a carrier's size: a 1M-row voice deck imported, then the
# same deck again with every 100th price raised (10,000 changed rows), then one row. Timed
# through the running server with an operator token, as the operator's client calls it (keep-
# alive, compression offered, a User-Agent), beside a baseline from the same run: `tariff
# export` of the whole deck, which reads every rate of it once.
#
#   TARIFF=.build-release/release/tariff bash bench/deck-diff.sh
#   ROWS=100000 bash bench/deck-diff.sh      # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${PORT:-18190}
command -v curl >/dev/null || { echo "bench/deck-diff.sh needs curl" >&2; exit 2; }
if [ -z "${TARIFF:-}" ]; then
    swift build -c release --product tariff 2>&1 | tail -n 1
    TARIFF="$(swift build -c release --show-bin-path)/tariff"
fi
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
db="$work/bench.sqlite"

deck() { # deck FILE EVERY: ROWS voice prefixes under +34; every EVERY-th price 0.001 higher (0: none)
    python3 - "$1" "$ROWS" "$2" <<'PY'
import sys
path, rows, every = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as out:
    out.write("product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description\n")
    for i in range(rows):
        price = 0.01 + (i % 997) / 10000 + (0.001 if every and i % every == 0 else 0)
        out.write(f"voice-outbound,ES,,34{i:07d},,international,{price:.4f},EUR,60/60,2026-01-01,Route {i}\n")
PY
}
deck "$work/v1.csv" 0
deck "$work/v2.csv" 100
printf 'product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description\nvoice-outbound,ES,,340000001,,international,0.5,EUR,60/60,2026-01-01,Route 1\n' >"$work/v3.csv"
echo "== importing: $ROWS rows, the same with every 100th price raised, one row"
"$TARIFF" import "$work/v1.csv" --database "$db" | tail -n 1
# Both raise prices at once: allowed here, as the notice rule is not what is measured.
"$TARIFF" import "$work/v2.csv" --allow-short-notice --database "$db" | tail -n 1
"$TARIFF" import "$work/v3.csv" --partial --allow-short-notice --database "$db" | tail -n 1
token=$("$TARIFF" operator token-create --name bench --database "$db" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
"$TARIFF" serve --database "$db" --port "$PORT" --rate-limit off --log-level error >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

timed() { # timed LABEL QUERY: seconds for one diff, and its summary
    local start end
    start=$(date +%s.%N)
    curl -sf --compressed -H "Authorization: Bearer $token" -H "Connection: keep-alive" -H "User-Agent: tariff-bench" \
        "http://127.0.0.1:$PORT/v1/admin/decks/base/diff?$2&limit=100" -o "$work/diff.json"
    end=$(date +%s.%N)
    python3 - "$1" "$start" "$end" "$work/diff.json" <<'PY'
import json, sys
label, start, end, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
body = json.load(open(path))
print(f"| {label} | {end - start:.2f} s | {body['changes_total']} changes: {body['summary']} |")
PY
}
echo "| diff | time | answer |"
echo "|---|---|---|"
timed "version 2 to 3: one row (the prefix index)" "from=2&to=3"
timed "version 1 to 2: 10,000 of $ROWS rows changed (the whole deck read)" "from=1&to=2"
timed "before version 1 to 1: $ROWS new prices" "from=0&to=1"
start=$(date +%s.%N)
"$TARIFF" export --database "$db" -o "$work/export.csv" >/dev/null 2>&1
end=$(date +%s.%N)
python3 -c "print(f'| baseline: tariff export of the whole deck | {$end - $start:.2f} s | |')"
