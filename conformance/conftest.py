"""Shared fixtures: where the servers run and which accounts to use.

run.sh starts the servers, creates the accounts and writes their details to a JSON file named
by TARIFF_CONFORMANCE_CONFIG:

    {"url": "https://127.0.0.1:PORT",          # --rate-limit off: SDK and raw tests
     "rate_limited_url": "https://127.0.0.1:PORT2",  # default limit, 1 request/s per key
     "nexmo_host": "127.0.0.1",                 # the same, on port 443 (nexmo takes no port)
     "accounts": {"eur": {"key": ..., "secret": ..., "currency": "EUR"}, "usd": {...}, "rl_v1": {...}, ...},
     "scheduled": {"url": ..., "database": ..., "tariff": ..., "deck": ..., "key": ..., "secret": ...},
                                                # a server with a database of its own, for a test
                                                # that imports a scheduled price change into it
     "voximplant": {"url": ..., "endpoint": "127.0.0.1:PORT", "credentials_dir": ..., "account_id": n,
                    "api_secret": ..., "second_credentials": ..., "tariff": ..., "database": ...},
                                                # the platform API's server, database and USD account
     "api": {"url": ..., "key": ..., "secret": ..., "currency": "EUR", "account_id": n, "operator_token": ...,
             "client": {"key": ..., "secret": ..., "currency": "EUR", "account_id": n}},
                                                # test_openapi.py's server and database (schemathesis
                                                # may change anything in it), two topped-up accounts
                                                # and an operator token
     "twilio": {"url": ..., "tariff": ..., "database": ...,
                "accounts": {"eur": {"key": ..., "secret": ..., "currency": "EUR", "plan": null},
                             "usd": {..., "currency": "USD", "plan": "twilio-markup"}}}}
                                                # the Twilio Pricing server, its database and accounts
                                                # (optional: a config without it still loads)
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))


@dataclass(frozen=True)
class Account:
    key: str
    secret: str
    currency: str

    @property
    def basic(self) -> tuple[str, str]:
        return (self.key, self.secret)

    @property
    def query(self) -> dict:
        return {"api_key": self.key, "api_secret": self.secret}


@dataclass(frozen=True)
class Config:
    url: str
    rate_limited_url: str
    nexmo_host: str
    accounts: dict
    scheduled: dict
    voximplant: dict
    api: dict
    twilio: dict | None = None

    def account(self, name: str) -> Account:
        a = self.accounts[name]
        return Account(a["key"], a["secret"], a["currency"])


@pytest.fixture(scope="session")
def config() -> Config:
    path = os.environ.get("TARIFF_CONFORMANCE_CONFIG")
    if not path:
        pytest.fail("TARIFF_CONFORMANCE_CONFIG is not set: run the suite with `bash conformance/run.sh`", pytrace=False)
    if not os.environ.get("REQUESTS_CA_BUNDLE"):
        pytest.fail("REQUESTS_CA_BUNDLE is not set: the servers speak HTTPS with a test CA", pytrace=False)
    data = json.loads(Path(path).read_text())
    return Config(data["url"], data["rate_limited_url"], data["nexmo_host"], data["accounts"], data["scheduled"], data["voximplant"],
                  data["api"], data.get("twilio"))


@pytest.fixture(scope="session")
def eur(config) -> Account:
    return config.account("eur")


@pytest.fixture(scope="session")
def usd(config) -> Account:
    return config.account("usd")


@pytest.fixture(scope="session")
def base(config) -> str:
    return config.url


@pytest.fixture(scope="session")
def http() -> requests.Session:
    """A plain session; verification uses REQUESTS_CA_BUNDLE (never verify=False)."""
    s = requests.Session()
    yield s
    s.close()
