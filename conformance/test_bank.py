"""The bank test: money is never lost, doubled or invented, whatever happens to the server.

Clients post usage (retrying the same ids, as a CDR pipeline does after a timeout), rent and give
back numbers, and top accounts up through the admin route, while the server is killed with
SIGKILL and restarted. At the end, read straight from the database:
- every acknowledged charge and top-up is in the ledger exactly once, as acknowledged;
- no rental is half-written (each subscription has its installation fee and first month);
- no number is held by two live subscriptions; every acknowledged rental exists;
- Σ transactions = balance for every account, and each entry's balance_after is the running sum.

And a graceful stop under load (SIGTERM): every charge in the ledger was acknowledged, every
acknowledged one is there.

The same on PostgreSQL, with two `tariff serve` nodes on one database and the clients spread
over both: node a is killed with SIGKILL and restarted, then PostgreSQL itself is restarted (the
command in TARIFF_TEST_POSTGRES_RESTART, run by a shell; CI sets it), then node b is killed and
restarted. While PostgreSQL is down a node answers 503 (a problem document) to whatever needs the
database: the clients take that as they take a cut connection, and retry the ids later. Both
nodes must charge again by themselves after the restart. The same ledger checks, through psql.
Skipped without TARIFF_TEST_POSTGRES (see postgres.py); without TARIFF_TEST_POSTGRES_RESTART the
PostgreSQL restart is left out (a failure with TARIFF_REQUIRE_POSTGRES=1, as in CI).

Short by default (CI); BANK_SECONDS=120 BANK_KILLS=20 for a longer run (BANK_SECONDS also sets
the PostgreSQL run's length).
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pytest
import requests

from postgres import drop_database, fresh_database

HERE = Path(__file__).resolve().parent
SECONDS = float(os.environ.get("BANK_SECONDS", "16"))
KILLS = int(os.environ.get("BANK_KILLS", "3"))
CLIENTS = 6
RECOVERY_GUARD = 60.0  # seconds: only stops a hung wait for a node to charge again; never what the test passes by


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tariff: str, database: Path | str, work: Path, name: str = "", port: int | None = None):
        self.tariff, self.database, self.work, self.name = tariff, database, work, name
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.down: list[list[float]] = []  # [stopped, answering again] (monotonic) for each stop

    @property
    def log(self) -> Path:
        return self.work / f"serve-{self.name}{self.starts}.log"

    def logs(self) -> list[Path]:
        return [self.work / f"serve-{self.name}{n}.log" for n in range(1, self.starts + 1)]

    def start(self) -> None:
        self.starts += 1
        log = open(self.log, "w")
        self.process = subprocess.Popen(
            [self.tariff, "serve", "--database", str(self.database), "--port", str(self.port), "--rate-limit", "off"],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-2000:]
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    if self.down:
                        self.down[-1][1] = time.monotonic()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError("tariff serve did not start")

    def stop(self, sig: int) -> int:
        assert self.process is not None
        self.down.append([time.monotonic(), float("inf")])
        self.process.send_signal(sig)
        return self.process.wait(timeout=60)

    def kill_if_running(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def cli(tariff: str, database: Path | str, *args: str) -> str:
    return subprocess.run([tariff, *args, "--database", str(database)], check=True, capture_output=True, text=True).stdout


# -- the bank: decks, numbers, accounts and an operator token, on either engine --------------------

@dataclass
class Bank:
    tariff: str
    database: Path | str  # a SQLite file or a postgres:// URL: every CLI command takes either
    work: Path
    accounts: list[tuple[str, str]]  # (key, secret) of client k
    account_ids: list[int]  # the account id of client k
    token: str  # an operator token for the admin route


def set_up_bank(tariff: str, database: Path | str, work: Path) -> Bank:
    cli(tariff, database, "import", str(HERE / "fixtures/voximplant-rates.csv"))
    cli(tariff, database, "import", str(HERE / "fixtures/voximplant-numbers.csv"), "--kind", "numbers")
    cli(tariff, database, "fx", "import", str(HERE / "fixtures/fx-rates.csv"))
    stock = work / "stock.csv"
    stock.write_text("number,country,category,region\n" + "".join(f"+5255123{n:05d},MX,GEOGRAPHIC,55\n" for n in range(12)))
    cli(tariff, database, "import", str(stock), "--kind", "inventory")

    def account(k: int) -> int:
        created = json.loads(cli(tariff, database, "account", "create", "--name", f"bank{k}", "--currency", "USD",
                                 "--api-key", f"bank{k}", "--api-secret", f"Bank0Secret{k}"))
        cli(tariff, database, "account", "credit", str(created["account_id"]), "100")
        return created["account_id"]

    # One at a time on SQLite (one writer); side by side on PostgreSQL, where each command takes seconds.
    with ThreadPoolExecutor(max_workers=CLIENTS if str(database).startswith("postgres") else 1) as pool:
        account_ids = list(pool.map(account, range(CLIENTS)))
    accounts = [(f"bank{k}", f"Bank0Secret{k}") for k in range(CLIENTS)]
    token = json.loads(cli(tariff, database, "operator", "token-create", "--name", "bank"))["token"]
    return Bank(tariff, database, work, accounts, account_ids, token)


@pytest.fixture(scope="module")
def bank(config):
    tariff = config.voximplant["tariff"]
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        yield set_up_bank(tariff, work / "bank.sqlite", work)


def usage_body(identifier: str, seed: int) -> dict:
    rng = random.Random(seed)
    return {"id": identifier, "product": "voice", "to": f"+52551234{rng.randrange(10000):04d}", "seconds": rng.randrange(0, 600),
            "occurred_at": "2026-11-20T10:00:00Z"}


# -- the clients --------------------------------------------------------------------------------------

class Workload:
    """CLIENTS threads of usage, rentals, returns and top-ups, each request to one of `servers`
    (at random when there are several), until the block ends. What was acknowledged is kept for
    the ledger checks; an answer the bank never gives fails the test (`assert_sound`).

    With `outage_ok`, a 503 problem document (the database unreachable) is taken as a cut
    connection is: counted, and the client moves on; the id may come round again later."""

    def __init__(self, bank: Bank, servers: list[Server], outage_ok: bool = False):
        self.bank, self.servers, self.outage_ok = bank, servers, outage_ok
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked_usage: dict[tuple[int, str], int] = {}
        self.acked_topups: dict[tuple[int, str], int] = {}
        self.acked_rentals: set[int] = set()
        self.counts = {"requests": 0, "errors": 0, "timeouts": 0, "unavailable": 0}
        self.answered_by = [0] * len(servers)
        self.cut_off: list[tuple[float, int, str]] = []  # (monotonic time, node, the error's type)
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self.client, args=(k,)) for k in range(CLIENTS)]

    def __enter__(self) -> Workload:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def count(self, what: str, node: int | None = None) -> None:
        with self.lock:
            self.counts[what] += 1
            if node is not None:
                self.answered_by[node] += 1

    def client(self, k: int) -> None:
        # An assertion in a thread would only end the thread: it is kept for the test to fail on.
        try:
            self.run_client(k)
        except BaseException:  # noqa: BLE001 - reported by assert_sound
            with self.lock:
                self.failures.append(f"client {k}: {traceback.format_exc()}")

    def outage(self, response: requests.Response) -> bool:
        """True for a 503 while outages are expected (it must be the native problem document)."""
        if response.status_code != 503 or not self.outage_ok:
            return False
        assert response.headers.get("content-type", "").startswith("application/problem+json"), \
            f"503 without a problem document: {response.headers} {response.text[:300]}"
        assert response.json().get("status") == 503, response.text
        return True

    def run_client(self, k: int) -> None:
        rng = random.Random(1000 + k)
        nodes = random.Random(2000 + k)  # apart from rng: the requests drawn do not depend on the servers
        session = requests.Session()
        auth = self.bank.accounts[k]
        mine: list[int] = []
        while not self.stop.is_set():
            op = rng.random()
            node = nodes.randrange(len(self.servers)) if len(self.servers) > 1 else 0
            url = self.servers[node].url
            try:
                if op < 0.65:
                    n = rng.randrange(150)
                    identifier = f"u{k}-{n}"
                    # The same id always carries the same record: a retry, never a conflict.
                    response = session.post(url + "/v1/usage", json=usage_body(identifier, k * 1000 + n), auth=auth, timeout=5)
                    if self.outage(response):
                        raise Unavailable
                    if response.status_code in (200, 201):
                        with self.lock:
                            previous = self.acked_usage.setdefault((k, identifier), response.json()["id"])
                        assert previous == response.json()["id"], f"{identifier} answered as two transactions"
                    else:
                        assert response.status_code == 402, response.text
                elif op < 0.78:
                    response = session.post(url + "/v1/numbers", json={"country": "MX", "category": "GEOGRAPHIC"}, auth=auth, timeout=5)
                    if self.outage(response):
                        raise Unavailable
                    if response.status_code == 201:
                        ids = [s["id"] for s in response.json()["subscriptions"]]
                        mine.extend(ids)
                        with self.lock:
                            self.acked_rentals.update(ids)
                    else:
                        assert response.status_code in (402, 409), response.text
                elif op < 0.88 and mine:
                    response = session.delete(url + f"/v1/numbers/{mine.pop(rng.randrange(len(mine)))}", auth=auth, timeout=5)
                    if self.outage(response):
                        raise Unavailable
                    assert response.status_code == 200, response.text
                else:
                    n = rng.randrange(40)
                    reference = f"t{k}-{n}"
                    response = session.post(url + f"/v1/admin/accounts/{self.bank.account_ids[k]}/transactions",
                                            json={"type": "card_payment", "amount": f"{1 + n % 7}.25", "reference": reference},
                                            headers={"Authorization": f"Bearer {self.bank.token}"}, timeout=5)
                    if self.outage(response):
                        raise Unavailable
                    assert response.status_code in (200, 201), response.text
                    with self.lock:
                        previous = self.acked_topups.setdefault((k, reference), response.json()["id"])
                    assert previous == response.json()["id"]
                self.count("requests", node)
            except Unavailable:
                self.count("unavailable")
                time.sleep(0.02)
            except requests.JSONDecodeError as error:
                # A RequestException too, but the whole answer was read: not a cut connection.
                raise AssertionError(f"{response.status_code} answered with a body that is not JSON: {response.text[:300]!r}") from error
            except requests.RequestException as error:
                self.count("errors")
                with self.lock:
                    self.cut_off.append((time.monotonic(), node, type(error).__name__))
                if isinstance(error, requests.Timeout):
                    self.count("timeouts")
                session = requests.Session()
                time.sleep(0.02)

    def acknowledged(self) -> list[tuple[int, str, int]]:
        """(account id, reference, transaction id) of every acknowledged charge and top-up."""
        return [(self.bank.account_ids[k], reference, transaction)
                for (k, reference), transaction in list(self.acked_usage.items()) + list(self.acked_topups.items())]

    def assert_sound(self) -> None:
        assert not self.failures, "a client got an answer the bank never gives:\n" + "\n".join(self.failures)


class Unavailable(Exception):
    """A 503: the node could not reach the database (expected while PostgreSQL restarts)."""


# -- reading the database straight ----------------------------------------------------------------

class SQLiteReader:
    def __init__(self, path: Path | str):
        self.path = path

    def rows(self, sql: str) -> list[tuple]:
        with closing(sqlite3.connect(self.path)) as db:
            return [tuple(row) for row in db.execute(sql)]


class PostgresReader:
    """Queries through psql, as postgres.py does: no driver needed. Every value comes back as text
    (NULL as ''): the checks convert what they read."""

    def __init__(self, url: str):
        self.url = url

    def rows(self, sql: str) -> list[tuple]:
        done = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c", sql],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"psql failed ({done.returncode}): {done.stderr.strip()}\n{sql}"
        return [tuple(line.split("\t")) for line in done.stdout.splitlines()]


def check_ledger(reader, acknowledged: Iterable[tuple[int, str, int]], rentals: set[int]) -> int:
    """The bank's invariants, read straight from the database; the number of ledger entries."""
    by_reference: dict[tuple[int, str], list[int]] = defaultdict(list)
    entries: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # account -> (id, amount, balance_after)
    ledger = reader.rows("SELECT id, account_id, amount, balance_after, COALESCE(reference, '') FROM ledger_transactions")
    for transaction, account, amount, after, reference in ledger:
        if reference != "":
            by_reference[(int(account), reference)].append(int(transaction))
        entries[int(account)].append((int(transaction), int(amount), int(after)))

    for account, identifier, transaction in acknowledged:
        rows = by_reference.get((account, identifier), [])
        assert rows == [transaction], f"{identifier}: acknowledged as {transaction}, ledger has {rows}"
    for account, balance in reader.rows("SELECT account_id, balance FROM account_balances"):
        running = 0
        for transaction, amount, after in sorted(entries[int(account)]):
            running += amount
            assert after == running, f"account {account}: balance_after {after} != running sum {running} (transaction {transaction})"
        assert running == int(balance), f"account {account}: Σ {running} != balance {balance}"
    assert reader.rows("SELECT number_id FROM subscriptions WHERE state <> 'ended' GROUP BY number_id HAVING COUNT(*) > 1") == []
    known = set()
    for sid, account, started, installation in reader.rows("SELECT id, account_id, started_at, installation FROM subscriptions"):
        known.add(int(sid))
        first = len(by_reference.get((int(account), f"subscription:{sid}:{started}"), []))
        fee = len(by_reference.get((int(account), f"subscription:{sid}:installation"), []))
        assert first == 1 and fee == (1 if int(installation) else 0), f"subscription {sid} is half-written"
    assert rentals <= known, f"acknowledged rentals not found: {sorted(rentals - known)[:5]}"
    return len(ledger)


# -- SQLite: one server, killed and restarted -----------------------------------------------------

def test_money_survives_sigkill(bank):
    server = Server(bank.tariff, bank.database, bank.work)
    server.start()
    workload = Workload(bank, [server])
    try:
        with workload:
            for _ in range(KILLS):
                time.sleep(SECONDS / (KILLS + 1))
                server.stop(signal.SIGKILL)
                server.start()
            time.sleep(SECONDS / (KILLS + 1))
    finally:
        server.stop(signal.SIGTERM)

    workload.assert_sound()
    counts = workload.counts
    assert counts["requests"] > 100 and server.starts == KILLS + 1
    check_ledger(SQLiteReader(bank.database), workload.acknowledged(), workload.acked_rentals)
    print(f"bank: {counts['requests']} requests answered, {counts['errors']} cut off by {KILLS} kills; "
          f"{len(workload.acked_usage)} charges, {len(workload.acked_topups)} top-ups, "
          f"{len(workload.acked_rentals)} rentals acknowledged and found")


def test_sigterm_under_load_finishes_or_refuses(bank):
    server = Server(bank.tariff, bank.database, bank.work)
    server.start()
    stop = threading.Event()
    acked: set[str] = set()
    lock = threading.Lock()

    def client(k: int) -> None:
        session = requests.Session()
        n = 0
        while not stop.is_set():
            n += 1
            identifier = f"term{k}-{n}"
            try:
                response = session.post(server.url + "/v1/usage", json=usage_body(identifier, n), auth=bank.accounts[k], timeout=5)
            except requests.RequestException:
                continue
            if response.status_code in (200, 201):
                with lock:
                    acked.add(identifier)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    status = server.stop(signal.SIGTERM)
    stop.set()
    for thread in threads:
        thread.join()
    assert status == 0
    ledger = {row[0] for row in SQLiteReader(bank.database).rows("SELECT reference FROM ledger_transactions WHERE reference LIKE 'term%'")}
    assert len(acked) > 10
    assert acked <= ledger, f"acknowledged but not in the ledger: {sorted(acked - ledger)[:5]}"
    assert ledger <= acked, f"applied but never acknowledged: {sorted(ledger - acked)[:5]}"


# -- PostgreSQL: two servers on one database, each killed once, and PostgreSQL restarted -----------

PROBE_KEY, PROBE_SECRET = "bankprobe", "BankProbe0Secret"


class Prober:
    """Charges on an account of its own, a new id each attempt, until a node acknowledges one."""

    def __init__(self, account_id: int):
        self.account_id = account_id
        self.acked: dict[str, int] = {}
        self.attempts = 0

    def charge(self, server: Server, session: requests.Session) -> bool:
        self.attempts += 1
        identifier = f"probe-{server.name}-{self.attempts}"
        try:
            response = session.post(server.url + "/v1/usage", json=usage_body(identifier, self.attempts),
                                    auth=(PROBE_KEY, PROBE_SECRET), timeout=5)
        except requests.RequestException:
            return False
        if response.status_code == 503:
            return False
        assert response.status_code in (200, 201), f"node {server.name}: {response.status_code} {response.text[:300]}"
        self.acked[identifier] = response.json()["id"]
        return True

    def wait_for_charge(self, server: Server) -> float:
        """Seconds until `server` acknowledged a charge; fails after RECOVERY_GUARD."""
        began = time.monotonic()
        with requests.Session() as session:
            while not self.charge(server, session):
                assert server.process.poll() is None, f"node {server.name} exited ({server.process.returncode})"
                assert time.monotonic() - began < RECOVERY_GUARD, \
                    f"node {server.name} charged nothing for {RECOVERY_GUARD:.0f} s: it did not reconnect by itself"
                time.sleep(0.1)
        return time.monotonic() - began

    def acknowledged(self) -> list[tuple[int, str, int]]:
        return [(self.account_id, identifier, transaction) for identifier, transaction in self.acked.items()]


def log_tails(servers: list[Server], lines: int = 25) -> str:
    out = []
    for server in servers:
        for log in server.logs():
            if log.exists():
                out.append(f"--- {log} (last {lines} lines)\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]))
    return "\n".join(out)


def count_in_logs(servers: list[Server], needle: str) -> int:
    return sum(log.read_text(errors="replace").count(needle) for server in servers for log in server.logs() if log.exists())


def postmaster_started(database: str) -> str:
    return PostgresReader(database).rows("SELECT pg_postmaster_start_time()")[0][0]


def test_money_survives_two_nodes_and_postgres_restart(config, tmp_path):
    tariff = config.voximplant["tariff"]
    restart = os.environ.get("TARIFF_TEST_POSTGRES_RESTART", "").strip()
    if not restart and os.environ.get("TARIFF_REQUIRE_POSTGRES") == "1":
        pytest.fail("TARIFF_TEST_POSTGRES_RESTART is not set (TARIFF_REQUIRE_POSTGRES=1): the command that restarts "
                    "the PostgreSQL server of TARIFF_TEST_POSTGRES, e.g. 'pg_ctlcluster 15 main restart -m fast'", pytrace=False)
    database = fresh_database("tariff_bank")
    servers: list[Server] = []
    passed = False
    try:
        bank = set_up_bank(tariff, database, tmp_path)
        probe_account = json.loads(cli(tariff, database, "account", "create", "--name", "bankprobe", "--currency", "USD",
                                       "--api-key", PROBE_KEY, "--api-secret", PROBE_SECRET))["account_id"]
        cli(tariff, database, "account", "credit", str(probe_account), "1000")
        ports = set()
        while len(ports) < 2:
            ports.add(free_port())
        servers = [Server(tariff, database, tmp_path, name, port) for name, port in zip("ab", sorted(ports))]
        a, b = servers
        for server in servers:
            server.start()
        prober = Prober(probe_account)
        phase = SECONDS / 4
        recovery: dict[str, float] = {}
        workload = Workload(bank, servers, outage_ok=True)
        with workload:
            time.sleep(phase)
            a.stop(signal.SIGKILL)
            a.start()
            time.sleep(phase)
            if restart:
                before = postmaster_started(database)
                restarting = [time.monotonic(), float("inf")]
                done = subprocess.run(restart, shell=True, capture_output=True, text=True, timeout=300)
                # pg_ctlcluster exits 1 when the log it shows holds a client refused while the server
                # was starting ("the database system is starting up"), though the server started:
                # the nodes reconnect throughout. Whether it restarted is the postmaster's start time.
                started = done.returncode == 0 or "database system is ready to accept connections" in done.stderr
                assert started, f"{restart!r} exited {done.returncode}:\n{done.stdout}{done.stderr}"
                after = postmaster_started(database)
                assert after != before, f"{restart!r} did not restart PostgreSQL (started {before} both times)"
                # Nodes reconnect by themselves: polled for, RECOVERY_GUARD only stops a hung test.
                for server in servers:
                    recovery[server.name] = prober.wait_for_charge(server)
                restarting[1] = time.monotonic()
            else:
                print("\nbank on PostgreSQL: TARIFF_TEST_POSTGRES_RESTART is not set: PostgreSQL is not restarted")
            time.sleep(phase)
            b.stop(signal.SIGKILL)
            b.start()
            time.sleep(phase)
        # After the run: both nodes still charge.
        for server in servers:
            prober.wait_for_charge(server)
        statuses = {server.name: server.stop(signal.SIGTERM) for server in servers}

        workload.assert_sound()
        counts = workload.counts
        assert counts["requests"] > 100 and a.starts == 2 and b.starts == 2
        assert statuses == {"a": 0, "b": 0}, f"exit statuses after SIGTERM: {statuses}"
        # Connections cut while their node was not being killed (1 s of grace for a pooled
        # connection to the killed process): reported, to tell them from the kills' own.
        live = [(at, node, kind) for at, node, kind in workload.cut_off
                if not any(stopped <= at <= started + 1 for stopped, started in servers[node].down)]
        during_restart = [cut for cut in live if restart and restarting[0] <= cut[0] <= restarting[1]]
        entries = check_ledger(PostgresReader(database), workload.acknowledged() + prober.acknowledged(), workload.acked_rentals)
        print(f"\nbank on PostgreSQL: {counts['requests']} requests answered (node a {workload.answered_by[0]}, "
              f"node b {workload.answered_by[1]}), {counts['errors']} cut off ({counts['timeouts']} timed out) and "
              f"{counts['unavailable']} answered 503 by 2 kills{' and a PostgreSQL restart' if restart else ''} "
              f"({len(live)} cut off on a node not being killed{f', {len(during_restart)} of them during the restart' if restart else ''}"
              f"{': ' + ', '.join(sorted({kind for _, _, kind in live})) if live else ''}); "
              f"{len(workload.acked_usage)} charges, {len(workload.acked_topups)} top-ups, {len(workload.acked_rentals)} rentals "
              f"and {len(prober.acked)} probe charges acknowledged and found ({entries} ledger entries); "
              + (f"charging again after the restart: {', '.join(f'node {n} {s:.2f} s' for n, s in recovery.items())}; " if restart else "")
              + f"{count_in_logs(servers, 'database unavailable')} 'database unavailable' log lines")
        passed = True
    finally:
        for server in servers:
            server.kill_if_running()
        if not passed and servers:
            print(f"\nbank on PostgreSQL: logs in {tmp_path}\n{log_tails(servers)}")
        if passed or os.environ.get("CONFORMANCE_KEEP") != "1":
            drop_database(database)
        else:
            print(f"bank on PostgreSQL: database kept: {database}")
