#!/usr/bin/env bash
# The price explorer's routes at a carrier's size: a 1M-row voice deck, every row in one country
# (Spain), so one country's sheet holds a million lines. The first view of a country gathers its
# lines in one pass over the book and keeps them for the deck version; later pages read that.
# The map's summary is one pass over one product. Each figure is the median of 5 requests with
# keep-alive, compression offered and a User-Agent, as a browser sends; the baseline from the
# same run is a single number's quote through the same client. Server RSS before and after.
#
#   TARIFF=.build-release/release/tariff bash bench/explorer.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${PORT:-18192}
command -v curl >/dev/null || { echo "bench/explorer.sh needs curl" >&2; exit 2; }
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
"$TARIFF" import "$work/deck.csv" --database "$db" | tail -n 1
"$TARIFF" fx import conformance/fixtures/fx-rates.csv --database "$db" >/dev/null
"$TARIFF" account create --name bench --currency USD --api-key bench --api-secret secret --database "$db" >/dev/null

if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; then echo "bench/explorer.sh: port $PORT is in use (PORT=...)" >&2; exit 2; fi
"$TARIFF" serve --database "$db" --port "$PORT" --rate-limit off --log-level error >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null || { echo "bench/explorer.sh: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 2; }

rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status"; }
once() { # once PATH: seconds for one answer, which must be 200
    curl -s --compressed -u bench:secret -H "Connection: keep-alive" -H "User-Agent: tariff-bench" \
        -o "$work/body" -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$PORT$1" >"$work/timing"
    read -r code seconds <"$work/timing"
    [ "$code" = 200 ] || { echo "bench/explorer.sh: $1 answered $code: $(head -c 300 "$work/body")" >&2; exit 1; }
    echo "$seconds"
}
ms() { python3 -c "print(f'{$1 * 1000:.1f} ms')"; }
median() { # median PATH: of 5 answers, after the first
    local times=()
    for _ in 1 2 3 4 5; do times+=("$(once "$1")"); done
    python3 -c "import statistics, sys; print(f'{statistics.median(map(float, sys.argv[1:])) * 1000:.1f} ms')" "${times[@]}"
}

quote="/v1/prices/voice?to=%2B34600123456"
once "$quote" >/dev/null
baseline=$(median "$quote")
before=$(rss)
echo
echo "| request ($ROWS rates in one country) | first | then (median of 5) | baseline: a quote, same run |"
echo "|---|---|---|---|"
row() { # row LABEL PATH
    local first
    first=$(once "$2")
    echo "| $1 | $(ms "$first") | $(median "$2") | $baseline |"
}
row "Spain's sheet, first page of 200" "/v1/countries/ES/prices?limit=200"
total=$(python3 -c "import json; print(json.load(open('$work/body'))['total_rates'])")
row "Spain's sheet, the last page" "/v1/countries/ES/prices?limit=200&offset=$((total - 200))"
row "Spain's sheet, prefix 3467" "/v1/countries/ES/prices?limit=200&prefix=3467"
row "Spain's sheet in EUR, voice only" "/v1/countries/ES/prices?limit=200&product=voice-outbound&currency=EUR"
row "France's sheet (no rates)" "/v1/countries/FR/prices?limit=200"
row "the map: voice, every list" "/v1/countries/summary?product=voice-outbound"
row "the map: voice, international, in EUR" "/v1/countries/summary?product=voice-outbound&list=international&currency=EUR"
echo
echo "Spain's sheet: $total lines. Server RSS: $before before these requests, $(rss) after."
