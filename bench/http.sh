#!/usr/bin/env bash
# Throughput and p99 latency of `tariff serve` on the number-pricing and country-pricing routes,
# against nginx serving the very same response bytes as static files, with the same wrk
# connections and threads, in one run; with the CPU time each server spent per request and,
# where the machine has hardware counters (`perf stat -e instructions`), the instructions.
#
# Requests carry what the SDKs send (python-requests: Connection: keep-alive, Accept-Encoding,
# Accept, User-Agent); wrk's bare request is measured beside them.
# Needs wrk, nginx and curl (apt-get install wrk nginx curl; linux-perf for instructions).
#
#   bash bench/http.sh            # 3 interleaved rounds of 10 s per target
#   ROUNDS=1 SECONDS_PER_RUN=5 bash bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TARIFF_PORT=${TARIFF_PORT:-18080}
ROUTER_PORT=${ROUTER_PORT:-18082}
NGINX_PORT=${NGINX_PORT:-18081}

for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null || { echo "bench/http.sh needs $tool (apt-get install wrk nginx curl)" >&2; exit 2; }
done

swift build -c release --product tariff 2>&1 | tail -n 1
tariff="$(swift build -c release --show-bin-path)/tariff"
work=$(mktemp -d)
# nginx workers run as nobody: they must be able to read the files they serve.
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

db="$work/bench.sqlite"
for deck in Sources/TariffStore/Resources/demo/{sms-outbound,voice-outbound,voice-inbound}.csv; do
    "$tariff" import "$deck" --database "$db" >/dev/null
done
"$tariff" fx import Sources/TariffStore/Resources/demo/fx-rates.xml --database "$db" >/dev/null
"$tariff" account create --name bench --currency EUR --api-key benchkey --api-secret benchsecret --database "$db" >/dev/null

wait_for() { for _ in $(seq 600); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

"$tariff" serve --database "$db" --port "$TARIFF_PORT" --rate-limit off --log-level error &
tariff_pid=$!
pids+=($tariff_pid)
"$tariff" serve --database "$db" --port "$ROUTER_PORT" --rate-limit off --log-level error --fast-path off &
router_pid=$!
pids+=($router_pid)
wait_for "http://127.0.0.1:$TARIFF_PORT/health"
wait_for "http://127.0.0.1:$ROUTER_PORT/health"

auth="api_key=benchkey&api_secret=benchsecret"
number_path="/account/get-phone-pricing/outbound/sms?phone=34612345678&$auth"
country_path="/account/get-pricing/outbound/sms?country=ES&$auth"
sdk_headers=(-H "User-Agent: python-requests/2.32.3" -H "Accept-Encoding: gzip, deflate" -H "Accept: */*" -H "Connection: keep-alive")
mkdir -p "$work/www"
curl -sf "${sdk_headers[@]}" "http://127.0.0.1:$TARIFF_PORT$number_path" > "$work/www/number.json"
curl -sf "${sdk_headers[@]}" "http://127.0.0.1:$TARIFF_PORT$country_path" > "$work/www/country.json"
cmp -s "$work/www/number.json" <(curl -sf "${sdk_headers[@]}" "http://127.0.0.1:$ROUTER_PORT$number_path") \
    || { echo "the fast path and the router answer the number route differently" >&2; exit 1; }

nginx_conf() { # port
    cat <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    default_type application/json;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    server { listen 127.0.0.1:$1; root $work/www; }
}
CONF
}
mkdir -p "$work/tmp"
nginx_conf "$NGINX_PORT" > "$work/nginx.conf"
nginx -c "$work/nginx.conf"
wait_for "http://127.0.0.1:$NGINX_PORT/number.json"
nginx_pids="$(cat "$work/nginx.pid") $(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')"

# CPU time (user + system, clock ticks) of processes, for the CPU each server spends per request.
ticks() { local total=0; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
hz=$(getconf CLK_TCK)
# Instructions need hardware counters, which many virtual machines do not expose.
if perf stat -e instructions true 2>&1 | grep -q "not supported\|not found\|error"; then counters=0; else counters=1; fi
command -v perf >/dev/null || counters=0

# wrk prints "N requests in", "Requests/sec: N" and, with --latency, a "99%" line. Prints
# requests/s, p99, CPU µs per request of the server's processes and instructions per request (or -).
run() { # form url pids...
    local form=$1 url=$2 out before after perf_out="$work/perf.txt"
    shift 2
    local headers=()
    [ "$form" = sdk ] && headers=("${sdk_headers[@]}")
    before=$(ticks "$@")
    if [ "$counters" = 1 ]; then
        perf stat -e instructions -x, -o "$perf_out" -p "$(tr ' ' ',' <<<"$*")" -- sleep "$SECONDS_PER_RUN" &
        local perf_pid=$!
    fi
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${headers[@]}" "$url")
    after=$(ticks "$@")
    local requests instructions=-
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    if [ "$counters" = 1 ]; then
        wait "$perf_pid" || true
        instructions=$(awk -F, -v n="$requests" '$3 ~ /instructions/ {printf "%.0f", $1 / n}' "$perf_out")
    fi
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')" "${instructions:--}"
}

declare -A best_rps best_p99 best_cpu best_ins
targets=(sdk:tariff:number sdk:nginx:number sdk:router:number sdk:tariff:country sdk:nginx:country sdk:router:country
         bare:tariff:number bare:nginx:number bare:tariff:country bare:nginx:country)
for round in $(seq "$ROUNDS"); do
    for target in "${targets[@]}"; do
        IFS=: read -r form server route <<<"$target"
        case $server in
            tariff) port=$TARIFF_PORT; server_pids=$tariff_pid ;;
            router) port=$ROUTER_PORT; server_pids=$router_pid ;;
            nginx) port=$NGINX_PORT; server_pids=$nginx_pids ;;
        esac
        if [ "$server" = nginx ]; then url="http://127.0.0.1:$port/$route.json"
        elif [ "$route" = number ]; then url="http://127.0.0.1:$port$number_path"
        else url="http://127.0.0.1:$port$country_path"; fi
        # shellcheck disable=SC2086
        read -r rps p99 cpu instructions < <(run "$form" "$url" $server_pids)
        echo "round $round  $form  $server-$route  $rps req/s  p99 $p99  CPU $cpu µs/request  instructions $instructions/request"
        # The best of the rounds for each, so that a noisy round does not decide.
        if [ -z "${best_rps[$target]:-}" ] || awk "BEGIN {exit !($rps > ${best_rps[$target]})}"; then
            best_rps[$target]=$rps
            best_p99[$target]=$p99
            best_cpu[$target]=$cpu
            best_ins[$target]=$instructions
        fi
    done
done

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s, best of $ROUNDS interleaved rounds; response bytes: number $(wc -c < "$work/www/number.json"), country $(wc -c < "$work/www/country.json")"
echo "sdk: the python-requests headers; bare: wrk's own request; router: tariff serve --fast-path off"
echo "CPU: user + system time of the server's processes per request; instructions: perf stat (- where the machine has no counters)"
printf '%-6s %-17s %10s %8s %7s %9s %10s %8s %7s %9s %6s  %s\n' form route "tariff r/s" p99 "CPU µs" instr "nginx r/s" p99 "CPU µs" instr ratio target
row() { # form route server label target
    local t=$1:$3:$2 n=$1:nginx:$2
    printf '%-6s %-17s %10s %8s %7s %9s %10s %8s %7s %9s %6s  %s\n' "$1" "$4" "${best_rps[$t]}" "${best_p99[$t]}" "${best_cpu[$t]}" "${best_ins[$t]}" \
        "${best_rps[$n]}" "${best_p99[$n]}" "${best_cpu[$n]}" "${best_ins[$n]}" "$(awk "BEGIN {printf \"%.2f\", ${best_rps[$t]} / ${best_rps[$n]}}")" "$5"
}
row sdk number tariff "number pricing" "≥ 0.60×, p99 ≤ 5 ms"
row sdk number router "number (router)" ""
row sdk country tariff "country pricing" "≥ 0.75×"
row sdk country router "country (router)" ""
row bare number tariff "number pricing" ""
row bare country tariff "country pricing" ""
[ "$counters" = 1 ] || echo "instructions: not measured: this machine has no hardware counters (perf stat -e instructions: not supported)"
