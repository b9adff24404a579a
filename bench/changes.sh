#!/usr/bin/env bash
# The price-change feed at a carrier's size: a 1M-row voice deck imported, then the same deck
# with every 100th price raised a month ahead (10,000 changes). Timed through the running
# server with an account's key, as a client calls it (keep-alive, compression offered, a
# User-Agent), and on the command line, beside a baseline from the same run: `tariff export`
# of the whole deck, which reads every rate of it once.
#
#   TARIFF=.build-release/release/tariff bash bench/changes.sh
#   ROWS=100000 bash bench/changes.sh      # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${PORT:-18191}
command -v curl >/dev/null || { echo "bench/changes.sh needs curl" >&2; exit 2; }
if [ -z "${TARIFF:-}" ]; then
    swift build -c release --product tariff 2>&1 | tail -n 1
    TARIFF="$(swift build -c release --show-bin-path)/tariff"
fi
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
db="$work/bench.sqlite"
rise=$(python3 -c 'import datetime; print((datetime.date.today() + datetime.timedelta(days=30)).isoformat())')

deck() { # deck FILE EVERY: ROWS voice prefixes under +34; every EVERY-th price 0.001 higher from $rise (0: none)
    python3 - "$1" "$ROWS" "$2" "$rise" <<'PY'
import sys
path, rows, every, rise = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(path, "w") as out:
    out.write("product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description\n")
    for i in range(rows):
        price = 0.01 + (i % 997) / 10000
        out.write(f"voice-outbound,ES,,34{i:07d},,international,{price:.4f},EUR,60/60,2026-01-01,Route {i}\n")
        if every and i % every == 0:
            out.write(f"voice-outbound,ES,,34{i:07d},,international,{price + 0.001:.4f},EUR,60/60,{rise},Route {i}\n")
PY
}
deck "$work/v1.csv" 0
deck "$work/v2.csv" 100
echo "== importing: $ROWS rows, then the same with every 100th price rising on $rise"
"$TARIFF" import "$work/v1.csv" --database "$db" | tail -n 1
"$TARIFF" import "$work/v2.csv" --database "$db" | tail -n 2
"$TARIFF" account create --name bench --currency USD --api-key bench1 --api-secret Bench0Secret1 --database "$db" >/dev/null
"$TARIFF" fx import Sources/TariffStore/Resources/demo/fx-rates.xml --database "$db" >/dev/null
"$TARIFF" serve --database "$db" --port "$PORT" --rate-limit off --log-level error >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

row() { # row LABEL START END FILE: a JSON feed by its total_count, a CSV one by its lines
    python3 - "$@" <<'PY'
import json, sys
label, start, end, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
text = open(path).read()
size = f"{json.loads(text)['total_count']} changes, one page" if text.startswith("{") else f"{text.count(chr(10)) - 1} lines"
print(f"| {label} | {end - start:.2f} s | {size} |")
PY
}
http() { # http LABEL QUERY ACCEPT
    local start end
    start=$(date +%s.%N)
    curl -sf --compressed -u bench1:Bench0Secret1 -H "Accept: $3" -H "Connection: keep-alive" -H "User-Agent: tariff-bench" \
        "http://127.0.0.1:$PORT/v1/changes?$2" -o "$work/feed.out"
    end=$(date +%s.%N)
    row "$1" "$start" "$end" "$work/feed.out"
}
cli() { # cli LABEL ARGS...
    local label=$1 start end
    shift
    start=$(date +%s.%N)
    "$TARIFF" changes "$@" --format csv -o "$work/cli.csv" --database "$db" 2>/dev/null
    end=$(date +%s.%N)
    row "$label" "$start" "$end" "$work/cli.csv"
}
echo "| feed | time | answer |"
echo "|---|---|---|"
http "GET /v1/changes?since=1, JSON (first page, all counted)" "since=1" "application/json"
http "GET /v1/changes?since=1, CSV (10,000 rises)" "since=1" "text/csv"
http "GET /v1/changes?since=$rise, CSV" "since=$rise" "text/csv"
http "GET /v1/changes?since=0, CSV (every price, $ROWS new + the rises)" "since=0" "text/csv"
cli "tariff changes --since 1 (book load included)" --since 1
cli "tariff changes --since 0 (book load included)" --since 0
start=$(date +%s.%N)
"$TARIFF" export --database "$db" -o "$work/export.csv" >/dev/null 2>&1
end=$(date +%s.%N)
row "baseline: tariff export of the whole deck" "$start" "$end" "$work/export.csv"
