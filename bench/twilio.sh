#!/usr/bin/env bash
# Twilio's country pricing at a carrier's size: a 1M-row voice deck (every Spanish prefix of 7
# national digits) answered as `GET /v1/Voice/Countries/ES` and `/v2/...` (a million prefix
# prices), the first time (the catalog built) and again (the body kept with its catalog); beside
# them, in the same run, Vonage's country pricing of the same deck, which is the same work for
# another dialect. Requests carry what twilio-python sends (keep-alive, Accept-Encoding, a
# User-Agent). Then a number's price, v1 and v2, and the server's resident memory.
#
#   TARIFF=.build-release/release/tariff bash bench/twilio.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PORT=${PORT:-18192}
command -v curl >/dev/null || { echo "bench/twilio.sh needs curl" >&2; exit 2; }
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
echo "== $ROWS-row deck"
"$TARIFF" import "$work/deck.csv" --database "$db" | tail -n 1
"$TARIFF" account create --name bench --currency EUR --api-key bench --api-secret secret --database "$db" >/dev/null

if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; then echo "bench/twilio.sh: port $PORT is in use (PORT=...)" >&2; exit 2; fi
"$TARIFF" serve --database "$db" --port "$PORT" --rate-limit off --log-level error >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null || { echo "bench/twilio.sh: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 2; }

get() { # get LABEL PATH: one request as the SDKs send it; its time and size
    curl -sf -u bench:secret -H "Connection: keep-alive" -H "Accept-Encoding: gzip, deflate" \
        -H "User-Agent: twilio-python/9.13.0 (Linux x86_64) Python/3" -o /dev/null \
        -w "| $1 | %{time_total} s | %{size_download} bytes |\n" "http://127.0.0.1:$PORT$2"
}
echo
echo "| request | time | body |"
echo "|---|---|---|"
get "Twilio \`/v1/Voice/Countries/ES\`, first (catalog built)" /v1/Voice/Countries/ES
get "Twilio \`/v1/Voice/Countries/ES\`, again" /v1/Voice/Countries/ES
get "Twilio \`/v2/Voice/Countries/ES\`, first (same catalog)" /v2/Voice/Countries/ES
get "Twilio \`/v2/Voice/Countries/ES\`, again" /v2/Voice/Countries/ES
get "baseline: Vonage \`get-pricing/outbound/voice?country=ES\`, first" "/account/get-pricing/outbound/voice?country=ES"
get "baseline: Vonage \`get-pricing/outbound/voice?country=ES\`, again" "/account/get-pricing/outbound/voice?country=ES"
get "Twilio \`/v1/Voice/Numbers/+34612345678\`" "/v1/Voice/Numbers/+34612345678"
get "Twilio \`/v2/Voice/Numbers/+34612345678?OriginationNumber=+34911234567\`" "/v2/Voice/Numbers/+34612345678?OriginationNumber=%2B34911234567"
echo
echo "server resident memory after both dialects' catalogs: $(ps -o rss= -p "$pid" | awk '{printf "%.0f MB", $1/1024}')"
