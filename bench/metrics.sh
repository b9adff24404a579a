#!/usr/bin/env bash
# What the metrics cost: the number-pricing routes' requests per second on a server with
# `--metrics on` beside one with `--metrics off`, same database, same wrk, interleaved rounds
# in one run. Routes: Vonage phone pricing (the fast path; and through the router with
# --fast-path off) and the native GET /v1/prices/sms?to=NUMBER. Target: metrics cost < 5 %.
#
# Requests carry what the SDKs send (Connection: keep-alive, Accept-Encoding, Accept, User-Agent).
# Needs wrk and curl.
#
#   bash bench/metrics.sh                        # 6 rounds of 8 s per target
#   ROUNDS=2 SECONDS_PER_RUN=5 bash bench/metrics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-6}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
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

# CPU time (user + system, clock ticks) of a process, for the CPU a server spends per request.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
declare -A pid_of
i=0
for metrics in on off; do
    for fast in on off; do
        pid_of[$metrics:$fast]=${pids[$i]}
        i=$((i + 1))
    done
done

# Prints requests/s and CPU µs per request of the server.
run() { # metrics fast path
    local before after out requests
    before=$(ticks "${pid_of[$1:$2]}")
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" "${sdk_headers[@]}" -H "$basic" "http://127.0.0.1:${port[$1:$2]}$3")
    after=$(ticks "${pid_of[$1:$2]}")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN {printf "%.2f", t / hz * 1e6 / n}')"
}

# Pairs run in turn, on first in odd rounds and off first in even ones, so that the order
# favours neither; the figure is the median of the pairs' ratios.
declare -A ratios cpu_on cpu_off rps_on rps_off
for round in $(seq "$ROUNDS"); do
    for route in vonage vonage-router native; do
        fast=on
        [ "$route" = vonage-router ] && fast=off
        p=${path[${route%-router}]}
        order=(on off)
        [ $((round % 2)) = 0 ] && order=(off on)
        declare -A got=()
        for metrics in "${order[@]}"; do
            got[$metrics]=$(run "$metrics" "$fast" "$p")
            echo "round $round  $route  metrics $metrics  ${got[$metrics]% *} req/s  ${got[$metrics]#* } µs CPU/request"
        done
        ratios[$route]+="$(awk -v a="${got[on]% *}" -v b="${got[off]% *}" 'BEGIN {printf "%.4f", a / b}') "
        cpu_on[$route]+="${got[on]#* } "
        cpu_off[$route]+="${got[off]#* } "
        rps_on[$route]+="${got[on]% *} "
        rps_off[$route]+="${got[off]% *} "
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s with the SDK headers, $ROUNDS rounds, pairs in alternating order; medians"
printf '%-28s %12s %12s %8s %14s %14s  %s\n' route "on req/s" "off req/s" ratio "on µs CPU/req" "off µs CPU/req" target
for route in vonage vonage-router native; do
    case $route in
        vonage) label="phone pricing (fast path)" ;;
        vonage-router) label="phone pricing (router)" ;;
        native) label="GET /v1/prices/sms?to=" ;;
    esac
    printf '%-28s %12s %12s %8s %14s %14s  %s\n' "$label" "$(median <<<"${rps_on[$route]}")" "$(median <<<"${rps_off[$route]}")" \
        "$(median <<<"${ratios[$route]}")" "$(median <<<"${cpu_on[$route]}")" "$(median <<<"${cpu_off[$route]}")" "ratio ≥ 0.95"
done
