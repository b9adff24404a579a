#!/usr/bin/env bash
# The web console in a real browser: Debian's headless Chromium, driven by selenium, against a
# real `tariff serve` with the conformance deck. Screenshots of each page go to
# $BROWSER_ARTIFACTS (default: ci-artifacts/screenshots).
#
#   bash browser/run.sh [extra pytest arguments]
#
# Needs chromium and chromium-driver (`apt-get install chromium chromium-driver`). TARIFF_BIN
# uses that binary instead of building one. Exits with pytest's status.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"
log() { printf '== %s\n' "$*"; }
die() { printf 'browser: %s\n' "$*" >&2; exit 2; }

command -v chromium >/dev/null && command -v chromedriver >/dev/null || die "needs chromium and chromedriver (Debian: chromium chromium-driver)"

venv="$here/.venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "creating $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    echo "$want" >"$stamp"
fi

if [ -n "${TARIFF_BIN:-}" ]; then
    tariff="$TARIFF_BIN"
else
    log "swift build --product tariff"
    swift build --product tariff 2>&1 | tail -n 1
    tariff="$(swift build --show-bin-path)/tariff"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/tariff-browser.XXXXXX")"
pid=""
public_pid=""
cleanup() {
    local status=$?
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "$public_pid" ] && kill "$public_pid" 2>/dev/null && wait "$public_pid" 2>/dev/null
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

db="$work/tariff.sqlite"
"$tariff" import "$repo/conformance/fixtures/deck.csv" --database "$db" >/dev/null
"$tariff" fx import "$repo/conformance/fixtures/fx-rates.csv" --database "$db" >/dev/null
"$tariff" account create --name browser --currency EUR --api-key browser-key --api-secret browser-secret-1 --database "$db" >/dev/null
"$tariff" account credit 1 100 --reason "browser tests' top-up" --database "$db" >/dev/null
operator_token=$("$tariff" operator token-create --name browser-tests --database "$db" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])')

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$tariff" serve --database "$db" --host 127.0.0.1 --port "$port" --rate-limit off >"$work/serve.log" 2>&1 &
pid=$!
# A second server on the same database publishes the deck's prices to visitors without a key.
public_port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$tariff" serve --database "$db" --host 127.0.0.1 --port "$public_port" --rate-limit off --public-prices deck --public-currency USD >"$work/serve-public.log" 2>&1 &
public_pid=$!
for server in "$port:$pid:serve.log" "$public_port:$public_pid:serve-public.log"; do
    IFS=: read -r server_port server_pid server_log <<<"$server"
    for _ in $(seq 300); do
        curl -sf "http://127.0.0.1:$server_port/health" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/$server_log" >&2; die "the server did not start"; }
        sleep 0.1
    done
done

export TARIFF_URL="http://127.0.0.1:$port" TARIFF_PUBLIC_SITE="http://127.0.0.1:$public_port" TARIFF_KEY=browser-key TARIFF_SECRET=browser-secret-1 TARIFF_OPERATOR_TOKEN="$operator_token"
export BROWSER_ARTIFACTS="${BROWSER_ARTIFACTS:-$repo/ci-artifacts/screenshots}"
export TARIFF_SERVE_LOG="$work/serve.log"
mkdir -p "$BROWSER_ARTIFACTS"
log "pytest browser/ against $TARIFF_URL (screenshots: $BROWSER_ARTIFACTS)"
set +e
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$here" "$@"
status=$?
set -e
exit "$status"
