#!/usr/bin/env bash
# Tariff SDK conformance suite: the official Vonage Python SDKs (vonage 4.9.1, nexmo 2.5.2), the
# Voximplant one (voximplant-apiclient 2.12.0, with the seed's snippets), Twilio's (twilio 9.13.0,
# Pricing) and raw HTTP against a real `tariff serve` over HTTPS. Self-contained and idempotent;
# needs no stdin.
#
#   bash conformance/run.sh [extra pytest arguments, e.g. -k v2 -x]
#
# Environment (all optional):
#   TARIFF_BIN            use this tariff binary instead of building one
#   CONFORMANCE_KEEP=1    keep the temporary directory (database, certificates, server logs)
#   CONFORMANCE_PYTHON    the Python that creates the venv (default: python3)
#   TARIFF_TEST_POSTGRES  a PostgreSQL URL (a role that may create databases) for test_cluster.py and the
#                         PostgreSQL bank test (skipped without it, failed if TARIFF_REQUIRE_POSTGRES=1)
#   TARIFF_TEST_POSTGRES_RESTART  a shell command restarting that server, for the bank test
#
# It listens on 127.0.0.1 only: port 443 (nexmo 2.5.2 cannot be given a port; needs root or
# CAP_NET_BIND_SERVICE) and free high ports. Exits with pytest's status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"

log() { printf '== %s\n' "$*"; }
die() { printf 'conformance: %s\n' "$*" >&2; exit 2; }

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

# --- Python environment ---------------------------------------------------------------------
venv="$here/.venv"
python="${CONFORMANCE_PYTHON:-python3}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "creating $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    echo "$want" >"$stamp"
else
    log "venv up to date ($venv)"
fi
py="$venv/bin/python"

# --- tariff ---------------------------------------------------------------------------------
if [ -n "${TARIFF_BIN:-}" ]; then
    tariff="$TARIFF_BIN"
else
    log "swift build --product tariff"
    build_log="$(mktemp)"
    if ! swift build --product tariff >"$build_log" 2>&1; then
        tail -n 40 "$build_log" >&2
        rm -f "$build_log"
        die "swift build --product tariff failed"
    fi
    tail -n 1 "$build_log"
    rm -f "$build_log"
    tariff="$(swift build --show-bin-path)/tariff"
fi
[ -x "$tariff" ] || die "no tariff binary at $tariff"

# --- scratch space and cleanup ----------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/tariff-conformance.XXXXXX")"
pids=()
cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "${CONFORMANCE_KEEP:-}" = 1 ]; then
        echo "conformance: kept $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- certificates: a throwaway CA and a server certificate for 127.0.0.1 / localhost ----------
log "test CA and server certificate"
(
    cd "$work"
    openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 2 \
        -keyout ca.key -out ca.pem -subj "/CN=Tariff conformance test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -new -nodes -newkey rsa:2048 -sha256 \
        -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
    cat >server.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EOF
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 2 \
        -extfile server.ext -out server.pem 2>/dev/null
    openssl verify -CAfile ca.pem server.pem >/dev/null
)

# --- database: the conformance deck, an exchange rate, accounts --------------------------------
log "database with fixtures/deck.csv"
db="$work/tariff.sqlite"
"$tariff" import "$here/fixtures/deck.csv" --database "$db"
"$tariff" fx import "$here/fixtures/fx-rates.csv" --database "$db"

accounts_json="{"
add_account() { # name currency key secret
    "$tariff" account create --name "conformance-$1" --currency "$2" --api-key "$3" --api-secret "$4" \
        --database "$db" >"$work/account-$1.json"
    "$py" - "$work/account-$1.json" "$3" "$4" <<'EOF'
import json, sys
issued = json.load(open(sys.argv[1]))
assert issued["api_key"] == sys.argv[2] and issued["api_secret"] == sys.argv[3], issued
EOF
    accounts_json+="\"$1\": {\"key\": \"$3\", \"secret\": \"$4\", \"currency\": \"$2\"},"
}
add_account eur EUR confeur1 "Eur0Secret1"
add_account usd USD confusd1 "Usd0Secret1"
add_account gbp GBP confgbp1 "Gbp0Secret1" # no EUR/GBP rate is imported: prices cannot be converted
add_account rl_v1 EUR confrlv1 "Rl0SecretV1"
add_account rl_v2 EUR confrlv2 "Rl0SecretV2"
add_account rl_forms EUR confrlfm "Rl0SecretFm"
add_account rl_other EUR confrlot "Rl0SecretOt"
add_account rl_balance EUR confrlba "Rl0SecretBa"
add_account rl_sdk EUR confrlsd "Rl0SecretSd"
add_account rl_sdk_noretry EUR confrlsn "Rl0SecretSn"
add_account metrics EUR confmet1 "Met0Secret1"      # test_metrics.py's load; topped up below
add_account rl_metrics EUR confrlme "Rl0SecretMe"   # test_metrics.py's 429s on the rate-limited server
accounts_json="${accounts_json%,}}"
account_id() { # the account-*.json or account.json that `tariff account create` wrote
    "$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["account_id"])' "$1"
}
"$tariff" account credit "$(account_id "$work/account-metrics.json")" 100 --reason "conformance metrics" --database "$db" >/dev/null

# A database of its own for the scheduled-change test, which imports into it while it is served.
db_scheduled="$work/scheduled.sqlite"
"$tariff" import "$here/fixtures/deck.csv" --database "$db_scheduled" >/dev/null
"$tariff" account create --name conformance-scheduled --currency EUR --api-key confsch1 --api-secret "Sch0Secret1" \
    --database "$db_scheduled" >/dev/null

# The API description's server (test_openapi.py): a database of its own that schemathesis may
# fill with anything, a topped-up EUR account for it, another for the generated client, and an
# operator token for the admin routes.
api="$work/api"
mkdir -p "$api"
db_api="$api/tariff.sqlite"
"$tariff" import "$here/fixtures/deck.csv" --database "$db_api" >/dev/null
"$tariff" fx import "$here/fixtures/fx-rates.csv" --database "$db_api" >/dev/null
"$tariff" account create --name conformance-openapi --currency EUR --api-key confapi1 --api-secret "Api0Secret1" \
    --database "$db_api" >"$api/account.json"
"$tariff" account create --name conformance-client --currency EUR --api-key confcli1 --api-secret "Cli0Secret1" \
    --database "$db_api" >"$api/client.json"
api_account="$(account_id "$api/account.json")"
api_client_account="$(account_id "$api/client.json")"
"$tariff" account credit "$api_account" 1000 --reason "conformance openapi" --database "$db_api" >/dev/null
"$tariff" account credit "$api_client_account" 100 --reason "conformance client" --database "$db_api" >/dev/null
"$tariff" operator token-create --name conformance-openapi --database "$db_api" >"$api/operator.json"
api_operator_token="$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' "$api/operator.json")"

# The platform API's database: Voximplant-style decks, numbers, and a USD account with two
# service-account keys (the second one is revoked by a test).
vox="$work/voximplant"
mkdir -p "$vox"
db_vox="$vox/tariff.sqlite"
"$tariff" import "$here/fixtures/voximplant-rates.csv" --database "$db_vox" >/dev/null
"$tariff" import "$here/fixtures/voximplant-numbers.csv" --kind numbers --database "$db_vox" >/dev/null
"$tariff" import "$here/fixtures/voximplant-services.csv" --database "$db_vox" >/dev/null
"$tariff" import "$here/fixtures/voximplant-templates.csv" --kind templates --database "$db_vox" >/dev/null
"$tariff" fx import "$here/fixtures/fx-rates.csv" --database "$db_vox" >/dev/null
"$tariff" account create --name conformance-vox --currency USD --email vox@example.com --api-key confvox1 \
    --api-secret "Vox0Secret1" --database "$db_vox" >"$vox/account.json"
vox_account="$(account_id "$vox/account.json")"
"$tariff" account key --account "$vox_account" --out "$vox/credentials.json" --database "$db_vox" >/dev/null
# Numbers to rent (test_voximplant_billing.py tops the account up itself).
"$tariff" import "$here/fixtures/voximplant-stock.csv" --kind inventory --database "$db_vox" >/dev/null
"$tariff" account key --account "$vox_account" --out "$vox/second-credentials.json" --database "$db_vox" >/dev/null

# The Twilio Pricing server's database: its own deck and number prices (so that the country
# lists are known exactly), the rate, a EUR account on the deck's prices and a USD account on a
# plan (+10 % on voice-outbound) so that base_price and current_price differ.
tw="$work/twilio"
mkdir -p "$tw"
db_tw="$tw/tariff.sqlite"
"$tariff" import "$here/fixtures/twilio-rates.csv" --database "$db_tw" >/dev/null
"$tariff" import "$here/fixtures/twilio-numbers.csv" --kind numbers --database "$db_tw" >/dev/null
"$tariff" fx import "$here/fixtures/fx-rates.csv" --database "$db_tw" >/dev/null
"$tariff" account create --name conformance-twilio-eur --currency EUR --api-key conftwe1 --api-secret "Twe0Secret1" \
    --database "$db_tw" >/dev/null
"$tariff" account create --name conformance-twilio-usd --currency USD --api-key conftwu1 --api-secret "Twu0Secret1" \
    --database "$db_tw" >"$tw/usd.json"
printf 'product,markup_percent\nvoice-outbound,10\n' >"$tw/plan.csv"
"$tariff" plan create twilio-markup --rules "$tw/plan.csv" --database "$db_tw" >/dev/null
"$tariff" plan assign twilio-markup --account "$(account_id "$tw/usd.json")" --database "$db_tw" >/dev/null

# --- servers --------------------------------------------------------------------------------
free_port() {
    "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
"$py" -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", 443))
except OSError as e: sys.exit("conformance: cannot listen on 127.0.0.1:443 (nexmo 2.5.2 takes no port): %s" % e)
finally: s.close()'
port_sdk="$(free_port)"
port_rl="$(free_port)"
while [ "$port_rl" = "$port_sdk" ]; do port_rl="$(free_port)"; done
port_sch="$(free_port)"
while [ "$port_sch" = "$port_sdk" ] || [ "$port_sch" = "$port_rl" ]; do port_sch="$(free_port)"; done
port_vox="$(free_port)"
while [ "$port_vox" = "$port_sdk" ] || [ "$port_vox" = "$port_rl" ] || [ "$port_vox" = "$port_sch" ]; do port_vox="$(free_port)"; done
port_api="$(free_port)"
while [ "$port_api" = "$port_sdk" ] || [ "$port_api" = "$port_rl" ] || [ "$port_api" = "$port_sch" ] || [ "$port_api" = "$port_vox" ]; do
    port_api="$(free_port)"
done
port_tw="$(free_port)"
while [[ " $port_sdk $port_rl $port_sch $port_vox $port_api " == *" $port_tw "* ]]; do port_tw="$(free_port)"; done

start_server() { # name database port [serve options...]
    local name="$1" database="$2" port="$3"
    shift 3
    "$tariff" serve --database "$database" --host 127.0.0.1 --port "$port" \
        --tls-cert "$work/server.pem" --tls-key "$work/server.key" "$@" >"$work/serve-$name.log" 2>&1 &
    pids+=("$!")
    echo "$!" >"$work/serve-$name.pid"
}
log "tariff serve on 443 and $port_sdk (--rate-limit off), $port_rl (default limit), $port_sch (scheduled change), $port_vox (Voximplant), $port_api (OpenAPI), $port_tw (Twilio)"
start_server nexmo "$db" 443 --rate-limit off
start_server sdk "$db" "$port_sdk" --rate-limit off
start_server ratelimited "$db" "$port_rl"
start_server scheduled "$db_scheduled" "$port_sch" --rate-limit off
start_server voximplant "$db_vox" "$port_vox" --rate-limit off
start_server api "$db_api" "$port_api" --rate-limit off
start_server twilio "$db_tw" "$port_tw" --rate-limit off

export REQUESTS_CA_BUNDLE="$work/ca.pem"
for name_port in nexmo:443 sdk:"$port_sdk" ratelimited:"$port_rl" scheduled:"$port_sch" voximplant:"$port_vox" api:"$port_api" twilio:"$port_tw"; do
    name="${name_port%%:*}"
    port="${name_port#*:}"
    pid="$(cat "$work/serve-$name.pid")"
    if ! "$py" - "$port" "$pid" <<'EOF'
import os, sys, time, requests
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(f"tariff serve on port {port} exited")
    try:
        if requests.get(f"https://127.0.0.1:{port}/health", timeout=2).status_code == 200:
            sys.exit(0)
    except requests.RequestException:
        pass
    time.sleep(0.2)
sys.exit(f"tariff serve on port {port} did not answer /health within 60 s")
EOF
    then
        tail -n 30 "$work/serve-$name.log" >&2
        die "server $name did not start"
    fi
done

cat >"$work/config.json" <<EOF
{"url": "https://127.0.0.1:$port_sdk",
 "rate_limited_url": "https://127.0.0.1:$port_rl",
 "nexmo_host": "127.0.0.1",
 "accounts": $accounts_json,
 "scheduled": {"url": "https://127.0.0.1:$port_sch", "database": "$db_scheduled", "tariff": "$tariff",
               "deck": "$here/fixtures/scheduled-change.csv", "key": "confsch1", "secret": "Sch0Secret1"},
 "voximplant": {"url": "https://127.0.0.1:$port_vox", "endpoint": "127.0.0.1:$port_vox", "credentials_dir": "$vox",
                "account_id": $vox_account, "api_secret": "Vox0Secret1", "second_credentials": "$vox/second-credentials.json",
                "tariff": "$tariff", "database": "$db_vox"},
 "api": {"url": "https://127.0.0.1:$port_api", "key": "confapi1", "secret": "Api0Secret1", "currency": "EUR",
         "account_id": $api_account, "operator_token": "$api_operator_token",
         "client": {"key": "confcli1", "secret": "Cli0Secret1", "currency": "EUR", "account_id": $api_client_account}},
 "twilio": {"url": "https://127.0.0.1:$port_tw", "tariff": "$tariff", "database": "$db_tw",
            "accounts": {"eur": {"key": "conftwe1", "secret": "Twe0Secret1", "currency": "EUR", "plan": null},
                         "usd": {"key": "conftwu1", "secret": "Twu0Secret1", "currency": "USD", "plan": "twilio-markup"}}}}
EOF
export TARIFF_CONFORMANCE_CONFIG="$work/config.json"

# --- tests ----------------------------------------------------------------------------------
log "pytest"
set +e
(cd "$here" && "$py" -m pytest -p no:cacheprovider -ra "$@" test_vonage_sdk.py test_raw_http.py test_voximplant_seed.py test_voximplant_api.py test_voximplant_billing.py test_voximplant_services.py test_bank.py test_cluster.py test_metrics.py test_openapi.py test_twilio_sdk.py)
status=$?
set -e
if [ "$status" -ne 0 ]; then
    for name in nexmo sdk ratelimited scheduled voximplant api twilio; do
        echo "--- last lines of tariff serve ($name)" >&2
        grep -v ' info ' "$work/serve-$name.log" | tail -n 15 >&2 || true
    done
fi
exit "$status"
