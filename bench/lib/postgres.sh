# Sourced by the PostgreSQL benchmarks: the tools they need, the tariff binary they time, and
# scratch databases on BENCH_POSTGRES's server, dropped when the script exits.
#
#   needs TOOL...            exits 2 naming the first missing tool
#   scratch_database VAR NAME  creates database NAME and sets VAR to its URL
#   on_exit COMMAND          runs COMMAND when the script exits, before the databases are dropped

: "${BENCH_POSTGRES:?set BENCH_POSTGRES to a postgres:// URL of a role that may create databases}"

needs() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$(basename "$0") needs $tool" >&2; exit 2; }
    done
}

if [ -z "${TARIFF:-}" ]; then
    swift build -c release --product tariff 2>&1 | tail -n 1
    TARIFF="$(swift build -c release --show-bin-path)/tariff"
fi

scratch_databases=()
exit_commands=()
scratch_database() {
    psql -q "$BENCH_POSTGRES" -c "CREATE DATABASE $2"
    scratch_databases+=("$2")
    # Not in a subshell: the name must stay in the list the exit trap reads.
    printf -v "$1" '%s' "$(python3 - "$BENCH_POSTGRES" "$2" <<'PY'
import sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
print(urllib.parse.urlunsplit(url._replace(path="/" + sys.argv[2])))
PY
)"
}
on_exit() { exit_commands+=("$1"); }
drop_scratch() {
    for command in "${exit_commands[@]}"; do eval "$command" || true; done
    for name in "${scratch_databases[@]}"; do
        psql -q "$BENCH_POSTGRES" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" 2>/dev/null || true
    done
}
trap drop_scratch EXIT
