#!/usr/bin/env bash
# Throughput and p99 latency of `tariff serve` on the number-pricing and country-pricing routes,
# against nginx serving the very same response bytes as static files, with the same wrk
# connections and threads, in one run. Needs wrk and nginx (apt-get install wrk nginx).
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
NGINX_PORT=${NGINX_PORT:-18081}

for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "bench/http.sh needs $tool (apt-get install wrk nginx curl)" >&2; exit 2; }
done

swift build -c release --product tariff 2>&1 | tail -n 1
tariff="$(swift build -c release --show-bin-path)/tariff"
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

db="$work/bench.sqlite"
for deck in Sources/TariffStore/Resources/demo/{sms-outbound,voice-outbound,voice-inbound}.csv; do
    "$tariff" import "$deck" --database "$db" >/dev/null
done
"$tariff" fx import Sources/TariffStore/Resources/demo/fx-rates.xml --database "$db" >/dev/null
"$tariff" account create --name bench --currency EUR --api-key benchkey --api-secret benchsecret --database "$db" >/dev/null

"$tariff" serve --database "$db" --port "$TARIFF_PORT" --rate-limit off --log-level error &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$TARIFF_PORT/health" >/dev/null && break; sleep 0.1; done

auth="api_key=benchkey&api_secret=benchsecret"
number_path="/account/get-phone-pricing/outbound/sms?phone=34612345678&$auth"
country_path="/account/get-pricing/outbound/sms?country=ES&$auth"
mkdir -p "$work/www"
curl -sf "http://127.0.0.1:$TARIFF_PORT$number_path" > "$work/www/number.json"
curl -sf "http://127.0.0.1:$TARIFF_PORT$country_path" > "$work/www/country.json"

cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    default_type application/json;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp; uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    server { listen 127.0.0.1:$NGINX_PORT; root $work/www; }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$NGINX_PORT/number.json" >/dev/null && break; sleep 0.1; done

# wrk prints "Requests/sec: N" and, with --latency, a "99%" line.
run() {
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$1")
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    echo "$rps $p99"
}

declare -A best_rps best_p99
for round in $(seq "$ROUNDS"); do
    for target in tariff-number nginx-number tariff-country nginx-country; do
        case $target in
            tariff-number) url="http://127.0.0.1:$TARIFF_PORT$number_path" ;;
            nginx-number) url="http://127.0.0.1:$NGINX_PORT/number.json" ;;
            tariff-country) url="http://127.0.0.1:$TARIFF_PORT$country_path" ;;
            nginx-country) url="http://127.0.0.1:$NGINX_PORT/country.json" ;;
        esac
        read -r rps p99 < <(run "$url")
        echo "round $round  $target  $rps req/s  p99 $p99"
        # Keep the median-ish: the best of the rounds for each, so a noisy round does not decide.
        if [ -z "${best_rps[$target]:-}" ] || awk "BEGIN {exit !($rps > ${best_rps[$target]})}"; then
            best_rps[$target]=$rps
            best_p99[$target]=$p99
        fi
    done
done

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s, best of $ROUNDS interleaved rounds; response bytes: number $(wc -c < "$work/www/number.json"), country $(wc -c < "$work/www/country.json")"
printf '%-16s %12s %10s %12s %10s %8s  %s\n' route "tariff r/s" "p99" "nginx r/s" "p99" ratio target
for route in number country; do
    t=${best_rps[tariff-$route]}; n=${best_rps[nginx-$route]}
    ratio=$(awk "BEGIN {printf \"%.2f\", $t / $n}")
    target=$([ "$route" = number ] && echo "≥ 0.60×, p99 ≤ 5 ms" || echo "≥ 0.75×")
    printf '%-16s %12s %10s %12s %10s %8s  %s\n' "$route pricing" "$t" "${best_p99[tariff-$route]}" "$n" "${best_p99[nginx-$route]}" "$ratio" "$target"
done
