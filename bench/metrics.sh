#!/usr/bin/env bash
# What the metrics cost: the number-pricing routes' requests per second on a server with
# `--metrics on` beside one with `--metrics off`, same database, same wrk, interleaved rounds
# in one run. Routes: Vonage phone pricing (the fast path; and through the router with
# --fast-path off) and the native GET /v1/prices/sms?to=NUMBER. Target: metrics cost < 5 %.
#
# Requests carry what the SDKs send (Connection: keep-alive, Accept-Encoding, Accept, User-Agent).
# Needs wrk and curl.
#
#   bash bench/metrics.sh                        # 3 rounds of 10 s per target
#   ROUNDS=1 SECONDS_PER_RUN=5 bash bench/metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
BASE_PORT=${BASE_PORT:-18180}

for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "bench/metrics.sh needs $tool (apt-get install wrk curl)" >&2; exit 2; }
done
if [ -z "${TARIFF:-}" ]; then
    swift build -c release --product tariff 2>&1 | tail -n 1
    TARIFF="$(swift build -c release --show-bin-path)/tariff"
fi
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

db="$work/bench.sqlite"
for deck in Sources/TariffStore/Resources/demo/{sms-outbound,voice-outbound}.csv; do "$TARIFF" import "$deck" --database "$db" >/dev/null; done
"$TARIFF" fx import Sources/TariffStore/Resources/demo/fx-rates.xml --database "$db" >/dev/null
"$TARIFF" account create --name bench --currency EUR --api-key benchkey --api-secret benchsecret --database "$db" >/dev/null

wait_for() { for _ in $(seq 600); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

# Four servers: metrics on and off, each with and without the fast path.
declare -A port
n=0
for metrics in on off; do
    for fast in on off; do
        port[$metrics:$fast]=$((BASE_PORT + n))
        n=$((n + 1))
        "$TARIFF" serve --database "$db" --port "${port[$metrics:$fast]}" --rate-limit off --log-level error \
            --metrics "$metrics" --fast-path "$fast" &
        pids+=($!)
    done
done
for key in "${!port[@]}"; do wait_for "http://127.0.0.1:${port[$key]}/health"; done

sdk_headers=(-H "User-Agent: python-requests/2.32.3" -H "Accept-Encoding: gzip, deflate" -H "Accept: */*" -H "Connection: keep-alive")
auth="api_key=benchkey&api_secret=benchsecret"
declare -A path=(
    [vonage]="/account/get-phone-pricing/outbound/sms?phone=34612345678&$auth"
    [native]="/v1/prices/sms?to=34612345678"
)
basic="Authorization: Basic $(printf 'benchkey:benchsecret' | base64)"
# The same answer from both, or the comparison means nothing.
for route in vonage native; do
    a=$(curl -sf "${sdk_headers[@]}" -H "$basic" "http://127.0.0.1:${port[on:on]}${path[$route]}")
    b=$(curl -sf "${sdk_headers[@]}" -H "$basic" "http://127.0.0.1:${port[off:on]}${path[$route]}")
    [ -n "$a" ] && [ "$a" = "$b" ] || { echo "the two servers answer $route differently" >&2; exit 1; }
done
curl -sf "http://127.0.0.1:${port[off:on]}/metrics" >/dev/null && { echo "--metrics off still serves /metrics" >&2; exit 1; }

rps() { # url
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" "${sdk_headers[@]}" -H "$basic" "$1" | awk '/Requests\/sec/ {print $2}'
}

declare -A best
targets=(vonage:on vonage:off native:on native:off)
for round in $(seq "$ROUNDS"); do
    for route in vonage vonage-router native; do
        fast=on
        [ "$route" = vonage-router ] && fast=off
        for metrics in on off; do
            p=${path[${route%-router}]}
            r=$(rps "http://127.0.0.1:${port[$metrics:$fast]}$p")
            echo "round $round  $route  metrics $metrics  $r req/s"
            key=$route:$metrics
            if [ -z "${best[$key]:-}" ] || awk "BEGIN {exit !($r > ${best[$key]})}"; then best[$key]=$r; fi
        done
    done
done

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s with the SDK headers, best of $ROUNDS interleaved rounds"
printf '%-32s %14s %14s %8s  %s\n' route "metrics on" "metrics off" ratio target
for route in vonage vonage-router native; do
    case $route in
        vonage) label="phone pricing (fast path)" ;;
        vonage-router) label="phone pricing (router)" ;;
        native) label="GET /v1/prices/sms?to=" ;;
    esac
    printf '%-32s %14s %14s %8s  %s\n' "$label" "${best[$route:on]}" "${best[$route:off]}" \
        "$(awk "BEGIN {printf \"%.3f\", ${best[$route:on]} / ${best[$route:off]}}")" "≥ 0.95"
done
