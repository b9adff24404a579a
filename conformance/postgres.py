"""Throwaway PostgreSQL databases for tests that run `tariff` against PostgreSQL.

TARIFF_TEST_POSTGRES names a database on the server to use, e.g.
postgres://tariff:tariff@127.0.0.1:5432/tariff_test?sslmode=disable; its role needs CREATEDB.
That database is only the maintenance connection: each test gets a database of its own,
made by `fresh_database` and dropped by `drop_database`. Without the variable the tests are
skipped, unless TARIFF_REQUIRE_POSTGRES=1 (CI), which makes that a failure.

psql does the work (it takes the same URLs as tariff), so no driver has to be installed.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

_counter = itertools.count(1)


def base_url() -> str:
    """The configured server's URL, or a skip (a failure when PostgreSQL is required)."""
    url = os.environ.get("TARIFF_TEST_POSTGRES", "").strip()
    if not url:
        reason = "PostgreSQL not configured: set TARIFF_TEST_POSTGRES"
        if os.environ.get("TARIFF_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (TARIFF_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    return url


def psql(url: str, sql: str) -> str:
    """Runs `sql` on the database `url` names; returns psql's unaligned, tuples-only output."""
    done = _run_psql(url, sql)
    assert done.returncode == 0, f"psql failed ({done.returncode}): {done.stderr.strip()}\n{sql}"
    return done.stdout


def _run_psql(url: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                          capture_output=True, text=True)


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead; user, host and query (?sslmode=...) are kept."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def fresh_database(prefix: str) -> str:
    """Creates an empty database, named after `prefix`, this process and a counter; its URL."""
    # Only lower-case letters, digits and _: the name needs no quoting and no escaping.
    assert re.fullmatch(r"[a-z][a-z0-9_]{0,30}", prefix), f"database prefix {prefix!r}"
    base = base_url()
    name = f"{prefix}_{os.getpid()}_{next(_counter)}"
    psql(base, f"CREATE DATABASE {name}")
    return with_database(base, name)


def drop_database(url: str) -> None:
    """Drops the database `url` names, ending any connection still open to it."""
    name = database_name(url)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name), f"not a database fresh_database made: {name!r}"
    # From the maintenance database: one cannot drop the database one is connected to.
    # FORCE ends every session on it, but an autovacuum worker belongs to no role, and a role
    # without pg_signal_backend may not end it: the DROP fails until the worker is done (it is
    # soon; a test that wrote a few thousand rows starts one). So that failure is retried.
    sql = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    deadline = time.monotonic() + 60
    while True:
        done = _run_psql(base_url(), sql)
        if done.returncode == 0:
            return
        if "pg_signal_backend" not in done.stderr or time.monotonic() > deadline:
            raise AssertionError(f"psql failed ({done.returncode}): {done.stderr.strip()}\n{sql}")
        time.sleep(0.2)
