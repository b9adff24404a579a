#!/usr/bin/env bash
# Bulk pricing at a carrier's size: a 1M-row voice deck (every Spanish prefix of 7 national
# digits), then files of numbers priced from file to file by `tariff price --file` and through
# `POST /v1/prices:bulk` (streamed both ways; keep-alive, compression offered and a User-Agent,
# as clients send). Beside them, a baseline from the same run: the same file read and written
# without pricing (`cp`). Peak RSS from /usr/bin/time; then a file ten times larger, whose peak
# must be the same. The deck's descriptions repeat (a thousand destination names), as a
# carrier's do.
#
#   TARIFF=.build-release/release/tariff bash bench/bulk-price.sh
#   NUMBERS=100000 bash bench/bulk-price.sh      # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
NUMBERS=${NUMBERS:-1000000}
BIG=${BIG:-10000000}
PORT=${PORT:-18191}
command -v curl >/dev/null || { echo "bench/bulk-price.sh needs curl" >&2; exit 2; }
if [ -z "${TARIFF:-}" ]; then
    swift build -c release --product tariff 2>&1 | tail -n 1
    TARIFF="$(swift build -c release --show-bin-path)/tariff"
fi
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
db="$work/bench.sqlite"

python3 bench/lib/spanish_deck.py "$work/deck.csv" "$ROWS"
numbers() { # numbers FILE COUNT: Spanish mobiles and landlines, 2% other countries (no price), 0.1% not numbers
    python3 - "$1" "$2" <<'PY'
import random, sys
path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
with open(path, "w") as out:
    out.write("number\n")
    for i in range(count):
        r = rng.random()
        if r < 0.001: out.write(f"not-a-number-{i}\n")
        elif r < 0.021: out.write(f"+4479{rng.randrange(10**8):08d}\n")
        else: out.write(f"+34{rng.choice('6796')}{rng.randrange(33_333_300):08d}\n")
PY
}
numbers "$work/numbers.csv" "$NUMBERS"
echo "== $ROWS-row deck; $NUMBERS numbers ($(du -h "$work/numbers.csv" | cut -f1))"
"$TARIFF" import "$work/deck.csv" --database "$db" | tail -n 1
"$TARIFF" account create --name bench --currency EUR --api-key bench --api-secret secret --database "$db" >/dev/null

seconds() { python3 -c "print(f'{$2 - $1:.2f}')"; }
rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1" | awk '{printf "%.0f MB", $1/1024}'; }

echo
echo "| figure | time | numbers/s | peak RSS | baseline (same run) |"
echo "|---|---|---|---|---|"
start=$(date +%s.%N); cp "$work/numbers.csv" "$work/copy.csv"; end=$(date +%s.%N)
copy=$(seconds "$start" "$end")
start=$(date +%s.%N)
/usr/bin/time -v "$TARIFF" price --file "$work/numbers.csv" --product voice-outbound --at 2026-06-01 -o "$work/prices.csv" --database "$db" 2>"$work/time.txt" >/dev/null
end=$(date +%s.%N)
t=$(seconds "$start" "$end")
echo "| \`tariff price --file\`, $NUMBERS numbers, file to file (book load included) | $t s | $(python3 -c "print(f'{$NUMBERS / $t:,.0f}')") | $(rss "$work/time.txt") | cp of the input file: $copy s |"
grep -c . "$work/prices.csv" >/dev/null

# Another server on the port would answer in this one's place.
if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; then echo "bench/bulk-price.sh: port $PORT is in use (PORT=...)" >&2; exit 2; fi
"$TARIFF" serve --database "$db" --port "$PORT" --rate-limit off --log-level error >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null || { echo "bench/bulk-price.sh: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 2; }
post() { # post OUT: the numbers through POST /v1/prices:bulk
    curl -sf --compressed -u bench:secret -H "Connection: keep-alive" -H "User-Agent: tariff-bench" \
        -H "Content-Type: text/csv" --data-binary "@$work/numbers.csv" \
        "http://127.0.0.1:$PORT/v1/prices:bulk?product=voice-outbound&at=2026-06-01" -o "$1"
}
post "$work/warm.csv"
start=$(date +%s.%N); post "$work/http.csv"; end=$(date +%s.%N)
t=$(seconds "$start" "$end")
echo "| \`POST /v1/prices:bulk\`, $NUMBERS numbers, streamed | $t s | $(python3 -c "print(f'{$NUMBERS / $t:,.0f}')") | | cp of the input file: $copy s |"
cmp -s "$work/prices.csv" "$work/http.csv" && echo "(the command line and HTTP answers are byte for byte the same)" || echo "(ANSWERS DIFFER between the command line and HTTP)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

if [ "$BIG" -gt 0 ]; then
    rm -f "$work/prices.csv" "$work/http.csv" "$work/warm.csv" "$work/copy.csv"
    numbers "$work/big.csv" "$BIG"
    start=$(date +%s.%N)
    /usr/bin/time -v "$TARIFF" price --file "$work/big.csv" --product voice-outbound --at 2026-06-01 -o /dev/null --database "$db" 2>"$work/time-big.txt" >/dev/null
    end=$(date +%s.%N)
    t=$(seconds "$start" "$end")
    echo "| the same, $BIG numbers | $t s | $(python3 -c "print(f'{$BIG / $t:,.0f}')") | $(rss "$work/time-big.txt") | (peak RSS of 1M: above) |"
fi
