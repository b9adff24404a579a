#!/usr/bin/env bash
# Throughput and p99 latency of `tariff serve` on the number-pricing and country-pricing routes,
# against nginx serving the very same response bytes as static files, with the same wrk
# connections and threads, in one run; then instructions per request (valgrind's callgrind,
# which counts the same on a busy machine) for the number route, beside nginx's.
#
# Requests carry what the SDKs send (python-requests: Connection: keep-alive, Accept-Encoding,
# Accept, User-Agent); wrk's bare request is measured beside them.
# Needs wrk, nginx and curl; valgrind for the instruction counts (apt-get install wrk nginx curl valgrind).
#
#   bash bench/http.sh            # 3 interleaved rounds of 10 s per target
#   ROUNDS=1 SECONDS_PER_RUN=5 bash bench/http.sh
#   INSTRUCTIONS=0 bash bench/http.sh   # without callgrind
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
INSTRUCTIONS=${INSTRUCTIONS:-1}
COUNTED_REQUESTS=${COUNTED_REQUESTS:-2000}
TARIFF_PORT=${TARIFF_PORT:-18080}
ROUTER_PORT=${ROUTER_PORT:-18082}
NGINX_PORT=${NGINX_PORT:-18081}
COUNT_PORT=${COUNT_PORT:-18083}

for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null || { echo "bench/http.sh needs $tool (apt-get install wrk nginx curl)" >&2; exit 2; }
done

swift build -c release --product tariff 2>&1 | tail -n 1
tariff="$(swift build -c release --show-bin-path)/tariff"
work=$(mktemp -d)
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
pids+=($!)
"$tariff" serve --database "$db" --port "$ROUTER_PORT" --rate-limit off --log-level error --fast-path off &
pids+=($!)
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

nginx_conf() { # port, extra main-context directives
    cat <<CONF
worker_processes ${NGINX_WORKERS:-auto};
pid $work/nginx$1.pid;
error_log $work/nginx-error.log;
$2
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
nginx_conf "$NGINX_PORT" "" > "$work/nginx.conf"
nginx -c "$work/nginx.conf"
cp "$work/nginx$NGINX_PORT.pid" "$work/nginx.pid"
wait_for "http://127.0.0.1:$NGINX_PORT/number.json"

# wrk prints "Requests/sec: N" and, with --latency, a "99%" line.
run() { # form url
    local out
    if [ "$1" = sdk ]; then
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${sdk_headers[@]}" "$2")
    else
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$2")
    fi
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out")"
}

declare -A best_rps best_p99
targets=(sdk:tariff:number sdk:nginx:number sdk:router:number sdk:tariff:country sdk:nginx:country sdk:router:country
         bare:tariff:number bare:nginx:number bare:tariff:country bare:nginx:country)
for round in $(seq "$ROUNDS"); do
    for target in "${targets[@]}"; do
        IFS=: read -r form server route <<<"$target"
        case $server in
            tariff) port=$TARIFF_PORT ;;
            router) port=$ROUTER_PORT ;;
            nginx) port=$NGINX_PORT ;;
        esac
        if [ "$server" = nginx ]; then url="http://127.0.0.1:$port/$route.json"
        elif [ "$route" = number ]; then url="http://127.0.0.1:$port$number_path"
        else url="http://127.0.0.1:$port$country_path"; fi
        read -r rps p99 < <(run "$form" "$url")
        echo "round $round  $form  $server-$route  $rps req/s  p99 $p99"
        # The best of the rounds for each, so that a noisy round does not decide.
        if [ -z "${best_rps[$target]:-}" ] || awk "BEGIN {exit !($rps > ${best_rps[$target]})}"; then
            best_rps[$target]=$rps
            best_p99[$target]=$p99
        fi
    done
done

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s, best of $ROUNDS interleaved rounds; response bytes: number $(wc -c < "$work/www/number.json"), country $(wc -c < "$work/www/country.json")"
echo "sdk: the python-requests headers; bare: wrk's own request; router: tariff serve --fast-path off"
printf '%-8s %-16s %12s %10s %12s %10s %8s  %s\n' form route "tariff r/s" "p99" "nginx r/s" "p99" ratio target
row() { # form route server label target
    local t=${best_rps[$1:$3:$2]} n=${best_rps[$1:nginx:$2]}
    printf '%-8s %-16s %12s %10s %12s %10s %8s  %s\n' "$1" "$4" "$t" "${best_p99[$1:$3:$2]}" "$n" "${best_p99[$1:nginx:$2]}" \
        "$(awk "BEGIN {printf \"%.2f\", $t / $n}")" "$5"
}
row sdk number tariff "number pricing" "≥ 0.60×, p99 ≤ 5 ms"
row sdk number router "number (router)" ""
row sdk country tariff "country pricing" "≥ 0.75×"
row sdk country router "country (router)" ""
row bare number tariff "number pricing" ""
row bare country tariff "country pricing" ""

[ "$INSTRUCTIONS" = 1 ] || exit 0
command -v valgrind >/dev/null && command -v callgrind_control >/dev/null || { echo "instructions: needs valgrind" >&2; exit 0; }

# Sends N requests with the SDK headers, one after another on one keep-alive connection.
client() { # port path count
    python3 - "$@" <<'PY'
import socket, sys
port, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: python-requests/2.32.3\r\n"
           "Accept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n").encode()
s = socket.create_connection(("127.0.0.1", port))
buffer = b""
for _ in range(count):
    s.sendall(request)
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            head = buffer[:end].decode("latin-1").lower()
            length = int(head.split("content-length:")[1].split("\r\n")[0])
            if len(buffer) >= end + 4 + length:
                status = head.split(" ")[1]
                assert status == "200", head
                buffer = buffer[end + 4 + length:]
                break
        chunk = s.recv(65536)
        assert chunk, "closed"
        buffer += chunk
PY
}

# callgrind counts only between "instrumentation on" and the dump: the N requests, not the start.
count_instructions() { # name port path pid-of-process-under-valgrind
    client "$2" "$3" 200
    callgrind_control -i on "$4" >/dev/null
    client "$2" "$3" "$COUNTED_REQUESTS"
    callgrind_control -d "$4" >/dev/null
    callgrind_control -i off "$4" >/dev/null
    # The first dump, `.1`, holds what was counted since instrumentation went on.
    local total
    total=$(awk '/^(totals|summary):/ {print $2; exit}' "$work/cg-$1.$4.1")
    echo $(( total / COUNTED_REQUESTS ))
}

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg-tariff.%p" \
    "$tariff" serve --database "$db" --port "$COUNT_PORT" --rate-limit off --log-level error >/dev/null 2>&1 &
counted=$!
pids+=($counted)
wait_for "http://127.0.0.1:$COUNT_PORT/health"
tariff_ipr=$(count_instructions tariff "$COUNT_PORT" "$number_path" "$counted")
kill "$counted"; wait "$counted" 2>/dev/null || true

nginx_conf "$COUNT_PORT" "daemon off; master_process off;" > "$work/nginx-count.conf"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg-nginx.%p" \
    nginx -c "$work/nginx-count.conf" >/dev/null 2>&1 &
counted=$!
pids+=($counted)
wait_for "http://127.0.0.1:$COUNT_PORT/number.json"
nginx_ipr=$(count_instructions nginx "$COUNT_PORT" "/number.json" "$counted")
kill "$counted"; wait "$counted" 2>/dev/null || true

echo
echo "instructions per request, number route, SDK headers, $COUNTED_REQUESTS requests on one connection (callgrind, whole process):"
printf '  tariff %s   nginx %s   ratio %s\n' "$tariff_ipr" "$nginx_ipr" "$(awk "BEGIN {printf \"%.1f\", $tariff_ipr / $nginx_ipr}")"
