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

Short by default (CI); BANK_SECONDS=120 BANK_KILLS=20 for a longer run.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
SECONDS = float(os.environ.get("BANK_SECONDS", "16"))
KILLS = int(os.environ.get("BANK_KILLS", "3"))
CLIENTS = 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tariff: str, database: Path, work: Path):
        self.tariff, self.database, self.work = tariff, database, work
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(self.work / f"serve-{self.starts}.log", "w")
        self.process = subprocess.Popen(
            [self.tariff, "serve", "--database", str(self.database), "--port", str(self.port), "--rate-limit", "off"],
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.work / f"serve-{self.starts}.log").read_text()[-2000:]
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError("tariff serve did not start")

    def stop(self, sig: int) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        return self.process.wait(timeout=60)


def cli(tariff: str, database: Path, *args: str) -> str:
    return subprocess.run([tariff, *args, "--database", str(database)], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def bank(config):
    tariff = config.voximplant["tariff"]
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        database = work / "bank.sqlite"
        cli(tariff, database, "import", str(HERE / "fixtures/voximplant-rates.csv"))
        cli(tariff, database, "import", str(HERE / "fixtures/voximplant-numbers.csv"), "--kind", "numbers")
        cli(tariff, database, "fx", "import", str(HERE / "fixtures/fx-rates.csv"))
        stock = work / "stock.csv"
        stock.write_text("number,country,category,region\n" + "".join(f"+5255123{n:05d},MX,GEOGRAPHIC,55\n" for n in range(12)))
        cli(tariff, database, "import", str(stock), "--kind", "inventory")
        accounts = []
        for k in range(CLIENTS):
            created = cli(tariff, database, "account", "create", "--name", f"bank{k}", "--currency", "USD",
                          "--api-key", f"bank{k}", "--api-secret", f"Bank0Secret{k}")
            accounts.append((f"bank{k}", f"Bank0Secret{k}"))
            cli(tariff, database, "account", "credit", str(k + 1), "100")
        token = __import__("json").loads(cli(tariff, database, "operator", "token-create", "--name", "bank"))["token"]
        yield tariff, database, work, accounts, token


def usage_body(identifier: str, seed: int) -> dict:
    rng = random.Random(seed)
    return {"id": identifier, "product": "voice", "to": f"+52551234{rng.randrange(10000):04d}", "seconds": rng.randrange(0, 600),
            "occurred_at": "2026-11-20T10:00:00Z"}


def test_money_survives_sigkill(bank):
    tariff, database, work, accounts, token = bank
    server = Server(tariff, database, work)
    server.start()
    stop = threading.Event()
    lock = threading.Lock()
    acked_usage: dict[tuple[int, str], int] = {}
    acked_topups: dict[tuple[int, str], int] = {}
    acked_rentals: set[int] = set()
    counts = {"requests": 0, "errors": 0}

    def client(k: int) -> None:
        rng = random.Random(1000 + k)
        session = requests.Session()
        auth = accounts[k]
        mine: list[int] = []
        while not stop.is_set():
            op = rng.random()
            try:
                if op < 0.65:
                    n = rng.randrange(150)
                    identifier = f"u{k}-{n}"
                    # The same id always carries the same record: a retry, never a conflict.
                    response = session.post(server.url + "/v1/usage", json=usage_body(identifier, k * 1000 + n), auth=auth, timeout=5)
                    if response.status_code in (200, 201):
                        with lock:
                            previous = acked_usage.setdefault((k, identifier), response.json()["id"])
                            assert previous == response.json()["id"], f"{identifier} answered as two transactions"
                    else:
                        assert response.status_code == 402, response.text
                elif op < 0.78:
                    response = session.post(server.url + "/v1/numbers", json={"country": "MX", "category": "GEOGRAPHIC"}, auth=auth, timeout=5)
                    if response.status_code == 201:
                        ids = [s["id"] for s in response.json()["subscriptions"]]
                        mine.extend(ids)
                        with lock:
                            acked_rentals.update(ids)
                    else:
                        assert response.status_code in (402, 409), response.text
                elif op < 0.88 and mine:
                    response = session.delete(server.url + f"/v1/numbers/{mine.pop(rng.randrange(len(mine)))}", auth=auth, timeout=5)
                    assert response.status_code == 200, response.text
                else:
                    n = rng.randrange(40)
                    reference = f"t{k}-{n}"
                    response = session.post(server.url + f"/v1/admin/accounts/{k + 1}/transactions",
                                            json={"type": "card_payment", "amount": f"{1 + n % 7}.25", "reference": reference},
                                            headers={"Authorization": f"Bearer {token}"}, timeout=5)
                    assert response.status_code in (200, 201), response.text
                    with lock:
                        previous = acked_topups.setdefault((k, reference), response.json()["id"])
                        assert previous == response.json()["id"]
                counts["requests"] += 1
            except requests.RequestException:
                counts["errors"] += 1
                session = requests.Session()
                time.sleep(0.02)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(KILLS):
            time.sleep(SECONDS / (KILLS + 1))
            server.stop(signal.SIGKILL)
            server.start()
        time.sleep(SECONDS / (KILLS + 1))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        server.stop(signal.SIGTERM)

    assert counts["requests"] > 100 and server.starts == KILLS + 1
    db = sqlite3.connect(database)
    for (k, identifier), transaction in list(acked_usage.items()) + list(acked_topups.items()):
        rows = db.execute("SELECT id FROM ledger_transactions WHERE account_id = ? AND reference = ?", (k + 1, identifier)).fetchall()
        assert rows == [(transaction,)], f"{identifier}: acknowledged as {transaction}, ledger has {rows}"
    for (account, balance) in db.execute("SELECT account_id, balance FROM account_balances"):
        running = 0
        for amount, after in db.execute("SELECT amount, balance_after FROM ledger_transactions WHERE account_id = ? ORDER BY id", (account,)):
            running += amount
            assert int(after) == running, f"account {account}: balance_after {after} != running sum {running}"
        assert running == int(balance), f"account {account}: Σ {running} != balance {balance}"
    assert db.execute("SELECT number_id FROM subscriptions WHERE state <> 'ended' GROUP BY number_id HAVING COUNT(*) > 1").fetchall() == []
    for sid, account, started, installation in db.execute("SELECT id, account_id, started_at, installation FROM subscriptions"):
        first = db.execute("SELECT COUNT(*) FROM ledger_transactions WHERE account_id = ? AND reference = ?",
                           (account, f"subscription:{sid}:{started}")).fetchone()[0]
        fee = db.execute("SELECT COUNT(*) FROM ledger_transactions WHERE account_id = ? AND reference = ?",
                         (account, f"subscription:{sid}:installation")).fetchone()[0]
        assert first == 1 and fee == (1 if installation else 0), f"subscription {sid} is half-written"
    known = {row[0] for row in db.execute("SELECT id FROM subscriptions")}
    assert acked_rentals <= known
    print(f"bank: {counts['requests']} requests answered, {counts['errors']} cut off by {KILLS} kills; "
          f"{len(acked_usage)} charges, {len(acked_topups)} top-ups, {len(acked_rentals)} rentals acknowledged and found")


def test_sigterm_under_load_finishes_or_refuses(bank):
    tariff, database, work, accounts, token = bank
    server = Server(tariff, database, work)
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
                response = session.post(server.url + "/v1/usage", json=usage_body(identifier, n), auth=accounts[k], timeout=5)
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
    db = sqlite3.connect(database)
    ledger = {row[0] for row in db.execute("SELECT reference FROM ledger_transactions WHERE reference LIKE 'term%'")}
    assert len(acked) > 10
    assert acked <= ledger, f"acknowledged but not in the ledger: {sorted(acked - ledger)[:5]}"
    assert ledger <= acked, f"applied but never acknowledged: {sorted(ledger - acked)[:5]}"
