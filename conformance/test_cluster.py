"""The cluster test: several `tariff serve` processes on one PostgreSQL database are one service.

Each test makes a database of its own (conformance/postgres.py), imports fixtures/deck.csv,
creates an account and starts two nodes on it (plain HTTP, --rate-limit off). Proven:

- a price imported with the CLI is answered by every node within 2 s of the import command's
  end, and no node answers anything but 200 (old price or new, never back) during the swap;
- an API secret rotated with the CLI is refused by every node, and the new one accepted,
  within 2 s, though each node had just used (and could have cached) the old one; a service
  key revoked with the CLI likewise stops signing accepted tokens on every node;
- charges on one account posted to both nodes at once never take it below its credit limit,
  and an id acknowledged by one node is answered identically by the other and charged once:
  read straight from PostgreSQL, Σ ledger entries = balance ≥ -credit limit.

Skipped without TARIFF_TEST_POSTGRES (a failure with TARIFF_REQUIRE_POSTGRES=1, as in CI).
The 2 s bound is the requirement; everything else is polled for, with generous caps that only
stop a hung test.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest
import requests

from postgres import drop_database, fresh_database, psql

HERE = Path(__file__).resolve().parent
DECK = HERE / "fixtures/deck.csv"
BOUND = 2.0  # seconds: how soon a change made anywhere must be seen by every node
GUARD = 30.0  # seconds: only stops a hung wait; never what a test passes by
KEY, SECRET = "cluster1", "Cluster0Secret1"


def tariff_binary() -> str:
    """run.sh's binary (named in its config file), else TARIFF_BIN."""
    config = os.environ.get("TARIFF_CONFORMANCE_CONFIG")
    path = json.loads(Path(config).read_text())["voximplant"]["tariff"] if config else os.environ.get("TARIFF_BIN")
    if not path:
        pytest.fail("no tariff binary: run with conformance/run.sh or set TARIFF_BIN", pytrace=False)
    return path


def cli(tariff: str, database: str, *args: str) -> str:
    done = subprocess.run([tariff, *args, "--database", database], capture_output=True, text=True)
    assert done.returncode == 0, f"tariff {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """One `tariff serve` on the shared database."""

    def __init__(self, tariff: str, database: str, name: str, logs: Path, port: int):
        self.name, self.log = name, logs / f"serve-{name}.log"
        self.url = f"http://127.0.0.1:{port}"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [tariff, "serve", "--database", database, "--host", "127.0.0.1", "--port", str(port), "--rate-limit", "off"],
                stdout=out, stderr=subprocess.STDOUT)

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"node {self.name} exited:\n{self.log.read_text()[-2000:]}"
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError(f"node {self.name} did not answer /health within 60 s:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Cluster:
    tariff: str
    database: str
    nodes: list[Node]
    account_id: int
    work: Path

    def cli(self, *args: str) -> str:
        return cli(self.tariff, self.database, *args)


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    tariff = tariff_binary()
    database = fresh_database("tariff_cluster")
    nodes: list[Node] = []
    try:
        # Once, before any node starts, as an operator upgrading a cluster would.
        cli(tariff, database, "migrate")
        cli(tariff, database, "import", str(DECK))
        issued = json.loads(cli(tariff, database, "account", "create", "--name", "cluster", "--currency", "EUR",
                                "--email", "cluster@example.com", "--api-key", KEY, "--api-secret", SECRET))
        ports = set()
        while len(ports) < 2:
            ports.add(free_port())
        # Both started before either is waited for: they come up side by side, as a cluster does.
        for name, port in zip("ab", sorted(ports)):
            nodes.append(Node(tariff, database, name, tmp_path, port))
        for node in nodes:
            node.wait_healthy()
        yield Cluster(tariff, database, nodes, issued["account_id"], tmp_path)
    finally:
        for node in nodes:
            node.stop()
        drop_database(database)
        print(f"\ncluster: node logs in {tmp_path}")


def lu_sms_price(session: requests.Session, node: Node, secret: str = SECRET) -> requests.Response:
    """Vonage v1: Luxembourg's SMS prices; `defaultPrice` is the row the swap test changes."""
    return session.get(f"{node.url}/account/get-pricing/outbound/sms", params={"country": "LU"},
                       auth=(KEY, secret), timeout=5)


# -- a price imported anywhere is served everywhere ------------------------------------------------

OLD_PRICE, NEW_PRICE = "0.01100000", "0.01350000"


def test_cluster_import_reaches_every_node(cluster):
    changed = cluster.work / "deck-changed.csv"
    row = "sms-outbound,LU,,,,0.011,EUR,,Luxembourg,2026-01-01\n"
    deck = DECK.read_text()
    assert deck.count(row) == 1, "fixtures/deck.csv changed: pick another row"
    changed.write_text(deck.replace(row, row.replace(",0.011,", ",0.0135,")))

    stop = threading.Event()
    seen_new = {node.name: threading.Event() for node in cluster.nodes}
    first_new: dict[str, float] = {}
    problems: list[str] = []
    counts = {node.name: 0 for node in cluster.nodes}

    def hammer(node: Node) -> None:
        # Every answer during the swap must be a 200 with the old or the new price, and a node
        # that has shown the new price must never show the old one again.
        def fail(problem: str) -> None:
            problems.append(f"node {node.name}: {problem}")
            seen_new[node.name].set()  # nothing more to wait for

        with requests.Session() as session:
            while not stop.is_set():
                try:
                    response = lu_sms_price(session, node)
                except requests.RequestException as error:
                    return fail(repr(error))
                at = time.monotonic()
                counts[node.name] += 1
                if response.status_code != 200:
                    return fail(f"{response.status_code} {response.text[:200]}")
                price = response.json()["defaultPrice"]
                if price == NEW_PRICE:
                    if not seen_new[node.name].is_set():
                        first_new[node.name] = at
                        seen_new[node.name].set()
                elif price != OLD_PRICE:
                    return fail(f"defaultPrice {price}, neither {OLD_PRICE} nor {NEW_PRICE}")
                elif seen_new[node.name].is_set():
                    return fail(f"the old price {OLD_PRICE} again after the new one")

    with requests.Session() as session:
        for node in cluster.nodes:
            assert lu_sms_price(session, node).json()["defaultPrice"] == OLD_PRICE

    threads = [threading.Thread(target=hammer, args=(node,)) for node in cluster.nodes]
    for thread in threads:
        thread.start()
    try:
        cluster.cli("import", str(changed), "--allow-short-notice")  # a rise at once, on purpose
        finished = time.monotonic()
        for node in cluster.nodes:
            seen_new[node.name].wait(timeout=GUARD)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    assert not problems, problems
    delays = {name: first_new[name] - finished for name in first_new}
    # Negative: the node served the new price before the import command had even exited.
    print(f"\ncluster import: new price served after {', '.join(f'node {n} {d:+.3f} s' for n, d in sorted(delays.items()))}"
          f" ({', '.join(f'{n}: {c} requests' for n, c in sorted(counts.items()))})")
    for node in cluster.nodes:
        assert node.name in delays, f"node {node.name} never served the new price ({GUARD:.0f} s)"
        assert delays[node.name] <= BOUND, f"node {node.name} served the new price {delays[node.name]:.3f} s after the import"


def test_cluster_plan_reaches_every_node(cluster):
    """A price plan made and assigned with the CLI: every node prices the account through it
    within 2 s, and every answer meanwhile is a 200 with the deck's price or the plan's."""
    plan_price = "0.01650000"  # Luxembourg's 0.011 + 50 %
    rules = cluster.work / "plan.csv"
    rules.write_text("markup_percent\n50\n")
    problems: list[str] = []

    def use(session: requests.Session, node: Node) -> None:
        response = lu_sms_price(session, node)
        price = response.json().get("defaultPrice") if response.status_code == 200 else None
        if price not in (OLD_PRICE, plan_price):
            problems.append(f"node {node.name}: {response.status_code} {response.text[:200]}")

    with kept_in_use(cluster.nodes, use):
        cluster.cli("plan", "create", "gold", "--rules", str(rules))
        cluster.cli("plan", "assign", "gold", "--account", str(cluster.account_id))
        finished = time.monotonic()
        when = wait_until_all(cluster.nodes, lambda session, node: lu_sms_price(session, node).json()["defaultPrice"] == plan_price)
    assert not problems, problems[:5]
    delays = {name: at - finished for name, at in when.items()}
    print(f"\ncluster plan: the plan's price served after {', '.join(f'node {n} {d:+.3f} s' for n, d in sorted(delays.items()))}")
    for node in cluster.nodes:
        assert node.name in delays, f"node {node.name} never served the plan's price ({GUARD:.0f} s)"
        assert delays[node.name] <= BOUND, f"node {node.name} served the plan's price {delays[node.name]:.3f} s after the assignment"


# -- a rotated secret or a revoked key stops working everywhere ------------------------------------

@contextmanager
def kept_in_use(nodes: list[Node], use):
    """Calls `use(session, node)` on every node, over and over, until the block ends: whatever a
    node caches about a credential is as fresh as it can be when the change commits."""
    stop = threading.Event()
    failures: list[BaseException] = []

    def loop() -> None:
        try:
            with requests.Session() as session:
                while not stop.is_set():
                    for node in nodes:
                        use(session, node)  # answered with the old state or the new: either is right here
        except Exception as error:  # noqa: BLE001 - handed to the test below
            failures.append(error)

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
    # A user that died early would leave the caches to go stale: the test would prove less.
    assert not failures, f"using the credential failed: {failures[0]!r}"


def wait_until_all(nodes: list[Node], check) -> dict[str, float]:
    """Polls `check(session, node)` on every node until each says True; when it first did, each."""
    when: dict[str, float] = {}
    deadline = time.monotonic() + GUARD
    with requests.Session() as session:
        while len(when) < len(nodes) and time.monotonic() < deadline:
            for node in nodes:
                if node.name not in when and check(session, node):
                    when[node.name] = time.monotonic()
    return when


def test_cluster_secret_rotation_reaches_every_node(cluster):
    new_secret = "Cluster0Rotated2"
    with requests.Session() as session:
        for node in cluster.nodes:
            assert lu_sms_price(session, node).status_code == 200
            assert session.get(f"{node.url}/account/get-balance", params={"api_key": KEY, "api_secret": SECRET},
                               timeout=5).status_code == 200
    # The old secret in use on both nodes up to the moment the rotation is done.
    with kept_in_use(cluster.nodes, lambda session, node: lu_sms_price(session, node)):
        issued = json.loads(cluster.cli("account", "key-rotate", "--api-key", KEY, "--api-secret", new_secret))
        finished = time.monotonic()
    assert issued["api_secret"] == new_secret

    def rotated(session: requests.Session, node: Node) -> bool:
        return (lu_sms_price(session, node, SECRET).status_code == 401
                and lu_sms_price(session, node, new_secret).status_code == 200)

    when = wait_until_all(cluster.nodes, rotated)
    delays = {name: at - finished for name, at in when.items()}
    print(f"\ncluster key-rotate: old secret refused, new accepted after "
          f"{', '.join(f'node {n} {d:+.3f} s' for n, d in sorted(delays.items()))}")
    for node in cluster.nodes:
        assert node.name in delays, f"node {node.name} still honours the old secret (or refuses the new) after {GUARD:.0f} s"
        assert delays[node.name] <= BOUND, f"node {node.name} honoured the old secret {delays[node.name]:.3f} s after key-rotate"
    # And the other routes agree: the balance, with the secret in the query.
    with requests.Session() as session:
        for node in cluster.nodes:
            assert session.get(f"{node.url}/account/get-balance", params={"api_key": KEY, "api_secret": SECRET},
                               timeout=5).status_code == 401
            assert session.get(f"{node.url}/account/get-balance", params={"api_key": KEY, "api_secret": new_secret},
                               timeout=5).status_code == 200


def service_token(credentials: dict) -> str:
    """A Voximplant service-account token (RS256), as the SDKs sign it."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    def b64url(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "kid": credentials["key_id"]}
    claims = {"iss": str(credentials["account_id"]), "iat": now - 5, "exp": now + 24}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}".encode()
    key = serialization.load_pem_private_key(credentials["private_key"].encode(), password=None)
    return f"{signing_input.decode()}.{b64url(key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256()))}"


def account_info(session: requests.Session, node: Node, credentials: dict) -> dict:
    response = session.post(f"{node.url}/platform_api", data={"cmd": "GetAccountInfo"},
                            headers={"Authorization": f"Bearer {service_token(credentials)}"}, timeout=5)
    assert response.status_code == 200, response.text  # Voximplant's errors are 200s with an error code
    return response.json()


def test_cluster_key_revocation_reaches_every_node(cluster):
    path = cluster.work / "credentials.json"
    cluster.cli("account", "key", "--account", str(cluster.account_id), "--out", str(path))
    credentials = json.loads(path.read_text())
    with requests.Session() as session:
        for node in cluster.nodes:
            assert "result" in account_info(session, node, credentials), "a live key is accepted"
    # The key in use on both nodes up to the moment it is revoked.
    with kept_in_use(cluster.nodes, lambda session, node: account_info(session, node, credentials)):
        cluster.cli("account", "key-revoke", "--key-id", credentials["key_id"])
        finished = time.monotonic()

    def refused(session: requests.Session, node: Node) -> bool:
        return account_info(session, node, credentials).get("error", {}).get("code") == 100

    when = wait_until_all(cluster.nodes, refused)
    delays = {name: at - finished for name, at in when.items()}
    print(f"\ncluster key-revoke: token refused after {', '.join(f'node {n} {d:+.3f} s' for n, d in sorted(delays.items()))}")
    for node in cluster.nodes:
        assert node.name in delays, f"node {node.name} still accepts the revoked key after {GUARD:.0f} s"
        assert delays[node.name] <= BOUND, f"node {node.name} accepted the revoked key {delays[node.name]:.3f} s after key-revoke"


# -- money: charges from both nodes at once ----------------------------------------------------------

TOP_UP, CREDIT_LIMIT, PRICE = "0.50", "0.10", "0.011"  # EUR; 54 messages, then 402


def units(amount: str) -> int:
    """The ledger's integer units of 10⁻⁸ EUR."""
    return int(Decimal(amount) * 10**8)


def test_cluster_charges_never_overdraw(cluster):
    a, b = cluster.nodes
    token = json.loads(cluster.cli("operator", "token-create", "--name", "cluster"))["token"]
    operator = {"Authorization": f"Bearer {token}"}
    admin = f"/v1/admin/accounts/{cluster.account_id}"
    top_up = {"type": "card_payment", "amount": TOP_UP, "reference": "cluster-top-up"}
    with requests.Session() as session:
        # The top-up through one node, the limit through the other, the top-up retried on the other.
        first = session.post(a.url + admin + "/transactions", json=top_up, headers=operator, timeout=5)
        assert first.status_code == 201, first.text
        again = session.post(b.url + admin + "/transactions", json=top_up, headers=operator, timeout=5)
        assert (again.status_code, again.json()) == (200, first.json()), "a top-up retried on another node"
        limit = session.put(b.url + admin + "/credit-limit", json={"credit_limit": CREDIT_LIMIT}, headers=operator, timeout=5)
        assert limit.status_code == 200, limit.text

    # Every record is kept, so that a retry can send exactly the same body.
    occurred_at = (datetime.now(timezone.utc) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    bodies: dict[str, dict] = {}
    acked: dict[str, tuple[int, dict]] = {}  # id -> (node index, the answer)
    refused: list[str] = []
    other: list[str] = []
    ids = itertools.count()
    lock = threading.Lock()

    def charge(worker: int) -> None:
        with requests.Session() as session:
            # Each worker charges until the cluster says the money is gone; 500 in all at most.
            while True:
                with lock:
                    n = next(ids)
                if n >= 500:
                    return
                identifier = f"cluster-sms-{n}"
                body = {"id": identifier, "product": "sms", "to": "+35222123456", "messages": 1, "occurred_at": occurred_at}
                with lock:
                    bodies[identifier] = body
                node = n % 2  # alternately: both nodes charge the same account at once
                response = session.post(cluster.nodes[node].url + "/v1/usage", json=body, auth=(KEY, SECRET), timeout=10)
                with lock:
                    if response.status_code == 201:
                        acked[identifier] = (node, response.json())
                    elif response.status_code == 402:
                        refused.append(identifier)
                        return
                    else:
                        other.append(f"{identifier} on node {'ab'[node]}: {response.status_code} {response.text[:200]}")
                        return

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(charge, range(8)))
    assert not other, other
    assert refused, "the account never ran out of money"
    price = {answer["amount"] for _, answer in acked.values()}
    assert price == {f"-{Decimal(PRICE):.8f}"}, price

    # Retries of acknowledged ids on the other node: the first answer again, nothing charged.
    with requests.Session() as session:
        for identifier in sorted(acked)[:12]:
            node, answer = acked[identifier]
            retry = session.post(cluster.nodes[1 - node].url + "/v1/usage", json=bodies[identifier], auth=(KEY, SECRET), timeout=5)
            assert (retry.status_code, retry.json()) == (200, answer), f"{identifier} retried on the other node"

    # The ledger as PostgreSQL has it.
    balance, credit_limit = psql(cluster.database, f"SELECT balance, credit_limit FROM account_balances "
                                                   f"WHERE account_id = {cluster.account_id}").strip().split("|")
    balance, credit_limit = int(balance), int(credit_limit)
    rows = psql(cluster.database, f"SELECT id, amount, balance_after, COALESCE(reference, '') FROM ledger_transactions "
                                  f"WHERE account_id = {cluster.account_id} ORDER BY id").splitlines()
    running = 0
    charged: dict[str, int] = {}
    for row in rows:
        transaction, amount, after, reference = row.split("|")
        running += int(amount)
        assert int(after) == running, f"transaction {transaction}: balance_after {after} != running sum {running}"
        assert running >= -credit_limit, f"transaction {transaction} took the balance to {running} (limit {credit_limit})"
        if reference.startswith("cluster-sms-"):
            charged[reference] = int(transaction)
    assert running == balance, f"Σ entries {running} != balance {balance}"
    assert credit_limit == units(CREDIT_LIMIT)
    assert balance >= -credit_limit, f"overdrawn: balance {balance}, credit limit {credit_limit}"
    assert charged == {identifier: answer["id"] for identifier, (_, answer) in acked.items()}, "charged ≠ acknowledged"
    # Refused only for want of money: what is left would not pay for one more message.
    assert balance + credit_limit < units(PRICE), f"refused with {balance + credit_limit} units still available"
    print(f"\ncluster charges: {len(acked)} acknowledged ({sum(1 for n, _ in acked.values() if n == 0)} by node a), "
          f"{len(refused)} refused for funds; balance {Decimal(balance) / 10**8} EUR, credit limit {CREDIT_LIMIT} EUR")
