"""`GET /metrics`: Prometheus's text format (version 0.0.4), read with Prometheus's own Python
parser (`prometheus_client.parser`), before and after a known load.

The load goes to the `sdk` server (rate limit off) with an account of its own (`metrics`, topped
up by run.sh) and, for the 429s, to the rate-limited server with another (`rl_metrics`). Pytest
runs the files one after the other, so nothing else talks to either server during a test: every
counter must move by exactly what was sent. Vonage v1 country and phone pricing may be answered
by the fast path once the key and the catalog are warm, so those counts are summed over
`responder`.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections import defaultdict
from decimal import Decimal

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

NATIVE_PRICE = "/v1/prices/{product}"
NATIVE_USAGE = "/v1/usage"
V1_COUNTRY = "/account/get-pricing/outbound/{p1}"
V1_COUNTRY_PATH_CREDENTIALS = "/account/get-pricing/outbound/{p1}/{p2}/{p3}/{p4}"
V1_PHONE = "/account/get-phone-pricing/outbound/{p1}"

#: GB fixed voice, fixtures/deck.csv: 0.015 EUR a minute, 60/60.
GB_FIXED = "+442071234567"
GB_MOBILE = "447700900123"

N_PRICES = 5
M_BAD_SECRET = 3
K_V1_COUNTRY = 4
P_V1_PHONE = 2

REQUEST_LABELS = {"dialect", "route", "method", "status", "responder"}
DIALECTS = {"native", "operator", "vonage_v1", "vonage_v2", "voximplant", "system"}


class Scrape:
    """One `GET /metrics`, parsed: the families by name and every sample by (name, labels)."""

    def __init__(self, http: requests.Session, url: str):
        response = http.get(url + "/metrics", timeout=10)
        assert response.status_code == 200, (response.status_code, response.text[:300])
        content_type = response.headers.get("Content-Type", "")
        media, _, parameters = content_type.partition(";")
        assert media.strip() == "text/plain", content_type
        assert "version=0.0.4" in parameters.replace(" ", ""), content_type
        self.text = response.text
        self.families = {family.name: family for family in text_string_to_metric_families(self.text)}
        self.samples: dict[tuple[str, frozenset], float] = {}
        for family in self.families.values():
            for sample in family.samples:
                key = (sample.name, frozenset(sample.labels.items()))
                assert key not in self.samples, f"sample {sample.name}{sample.labels} twice"
                self.samples[key] = sample.value

    def family(self, name: str, kind: str):
        """The family `name` (as the parser names it: counters without `_total`), of type `kind`."""
        assert name in self.families, f"no metric family {name!r} in /metrics: {sorted(self.families)}"
        family = self.families[name]
        assert family.type == kind, (name, family.type)
        return family

    def sum(self, sample: str, **labels: str) -> float:
        """The sum of `sample` over every label set that has `labels` (0 if none)."""
        want = set(labels.items())
        return sum(value for (name, got), value in self.samples.items() if name == sample and want <= got)

    def by_labels(self, sample: str, *names: str) -> dict[tuple, float]:
        """`sample` summed by the values of the labels `names` (the others summed over)."""
        out: dict[tuple, float] = defaultdict(float)
        for (name, labels), value in self.samples.items():
            if name == sample:
                got = dict(labels)
                out[tuple(got.get(n) for n in names)] += value
        return out


def delta(before: Scrape, after: Scrape, sample: str, *names: str) -> dict[tuple, float]:
    """What moved, by the labels `names`: only the label sets whose value changed."""
    a, b = before.by_labels(sample, *names), after.by_labels(sample, *names)
    return {key: b.get(key, 0.0) - a.get(key, 0.0) for key in set(a) | set(b) if b.get(key, 0.0) != a.get(key, 0.0)}


@pytest.fixture(scope="module")
def metrics_account(config):
    return config.account("metrics")


def iso_minutes_ago(minutes: int) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return (now - datetime.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def test_the_families_and_their_types(http, base):
    scrape = Scrape(http, base)
    # One request of the router at least (the scrape itself counts after it is answered, so a
    # second scrape sees the first).
    http.get(base + "/health", timeout=10)
    scrape = Scrape(http, base)
    requests_family = scrape.family("tariff_http_requests", "counter")
    assert requests_family.samples, "no request counted yet"
    for sample in requests_family.samples:
        assert sample.name == "tariff_http_requests_total"
        assert set(sample.labels) == REQUEST_LABELS, sample.labels
        assert sample.labels["dialect"] in DIALECTS, sample.labels
        assert sample.labels["responder"] in ("router", "fast_path"), sample.labels
        assert sample.labels["status"].isdigit() and len(sample.labels["status"]) == 3, sample.labels
        route = sample.labels["route"]
        assert route == "unmatched" or route.startswith("/"), sample.labels
    health = scrape.sum("tariff_http_requests_total", dialect="system", route="/health", method="GET", status="200")
    assert health >= 1

    duration = scrape.family("tariff_http_request_duration_seconds", "histogram")
    for sample in duration.samples:
        assert set(sample.labels) - {"le"} == {"dialect", "route", "method"}, sample.labels
    # tariff_http_rate_limited_total and the ledger's counters appear with their first label set
    # (a 429, a ledger entry): the tests below check them.

    renewals = scrape.family("tariff_renewals", "counter")
    outcomes = {sample.labels["outcome"] for sample in renewals.samples if sample.name == "tariff_renewals_total"}
    assert {"charged", "suspended", "resumed", "ended", "failed"} <= outcomes, outcomes

    version = scrape.family("tariff_deck_version", "gauge")
    age = scrape.family("tariff_deck_age_seconds", "gauge")
    assert len(version.samples) == 1 and version.samples[0].value >= 1, version.samples
    assert len(age.samples) == 1 and age.samples[0].value >= 0, age.samples

    compile_family = scrape.family("tariff_book_compile_seconds", "histogram")
    count = [s.value for s in compile_family.samples if s.name == "tariff_book_compile_seconds_count"]
    assert count and count[0] >= 1, "the book compiled at start-up is counted"
    buckets = [s for s in compile_family.samples if s.name == "tariff_book_compile_seconds_bucket"]
    assert any(s.labels["le"] == "+Inf" and s.value == count[0] for s in buckets), buckets

    errors = scrape.family("tariff_store_errors", "counter")
    kinds = {sample.labels["kind"] for sample in errors.samples if sample.name == "tariff_store_errors_total"}
    assert {"unavailable", "other"} <= kinds, kinds


def test_the_deck_version_is_the_one_prices_come_from(http, base, metrics_account):
    report = http.get(base + "/v1/prices/voice", params={"to": GB_FIXED}, auth=metrics_account.basic, timeout=10)
    assert report.status_code == 200, report.text[:300]
    scrape = Scrape(http, base)
    assert scrape.sum("tariff_deck_version") == report.json()["deck_version"]


def test_counters_move_by_exactly_the_load(http, base, config, metrics_account):
    before = Scrape(http, base)

    # N native prices, M refused for a wrong secret.
    for _ in range(N_PRICES):
        r = http.get(base + "/v1/prices/voice", params={"to": GB_FIXED, "seconds": "60"}, auth=metrics_account.basic, timeout=10)
        assert r.status_code == 200, r.text[:300]
    for _ in range(M_BAD_SECRET):
        r = http.get(base + "/v1/prices/voice", params={"to": GB_FIXED}, auth=(metrics_account.key, "Wrong0Secret"), timeout=10)
        assert r.status_code == 401, r.text[:300]
    # K Vonage v1 country prices (Basic), one with credentials in the path, P phone prices.
    for _ in range(K_V1_COUNTRY):
        r = http.get(base + "/account/get-pricing/outbound/sms", params={"country": "ES"}, auth=metrics_account.basic, timeout=10)
        assert r.status_code == 200, r.text[:300]
    r = http.get(f"{base}/account/get-pricing/outbound/sms/{metrics_account.key}/{metrics_account.secret}/LU", timeout=10)
    assert r.status_code == 200, r.text[:300]
    for _ in range(P_V1_PHONE):
        r = http.get(base + "/account/get-phone-pricing/outbound/sms",
                     params={"phone": GB_MOBILE, **metrics_account.query}, timeout=10)
        assert r.status_code == 200, r.text[:300]
    # A path no route matches, with a number in it: counted as `unmatched`, never by path.
    r = http.get(f"{base}/v1/prices/voice/{GB_FIXED}", auth=metrics_account.basic, timeout=10)
    assert r.status_code == 404, r.text[:300]
    # One usage record: 60 s to a GB fixed number, 0.015 EUR.
    record = {"id": f"metrics-{uuid.uuid4()}", "product": "voice", "to": GB_FIXED, "seconds": 60,
              "occurred_at": iso_minutes_ago(2)}
    r = http.post(base + "/v1/usage", auth=metrics_account.basic, json=record, timeout=10)
    assert r.status_code == 201, r.text[:300]
    charge = r.json()
    assert charge["type"] == "resource_charge" and charge["currency"] == "EUR", charge
    assert Decimal(charge["amount"]) == Decimal("-0.015"), charge

    after = Scrape(http, base)

    moved = delta(before, after, "tariff_http_requests_total", "dialect", "route", "method", "status")
    assert moved == {
        ("native", NATIVE_PRICE, "GET", "200"): N_PRICES,
        ("native", NATIVE_PRICE, "GET", "401"): M_BAD_SECRET,
        ("vonage_v1", V1_COUNTRY, "GET", "200"): K_V1_COUNTRY,
        ("vonage_v1", V1_COUNTRY_PATH_CREDENTIALS, "GET", "200"): 1,
        ("vonage_v1", V1_PHONE, "GET", "200"): P_V1_PHONE,
        ("native", "unmatched", "GET", "404"): 1,
        ("native", NATIVE_USAGE, "POST", "201"): 1,
        # The first scrape, counted once it was answered.
        ("system", "/metrics", "GET", "200"): 1,
    }, moved

    # Only Vonage v1 country and phone pricing may be answered by the fast path.
    responders = delta(before, after, "tariff_http_requests_total", "route", "responder")
    for (route, responder), count in responders.items():
        assert responder == "router" or route in (V1_COUNTRY, V1_PHONE), (route, responder, count)

    timed = delta(before, after, "tariff_http_request_duration_seconds_count", "dialect", "route", "method")
    assert timed == {
        ("native", NATIVE_PRICE, "GET"): N_PRICES + M_BAD_SECRET,
        ("vonage_v1", V1_COUNTRY, "GET"): K_V1_COUNTRY,
        ("vonage_v1", V1_COUNTRY_PATH_CREDENTIALS, "GET"): 1,
        ("vonage_v1", V1_PHONE, "GET"): P_V1_PHONE,
        ("native", "unmatched", "GET"): 1,
        ("native", NATIVE_USAGE, "POST"): 1,
        ("system", "/metrics", "GET"): 1,
    }, timed
    # Every request falls in the +Inf bucket, and the time spent grew.
    infinite = delta(before, after, "tariff_http_request_duration_seconds_bucket", "dialect", "route", "method", "le")
    for (dialect, route, method), count in timed.items():
        assert infinite.get((dialect, route, method, "+Inf")) == count, (dialect, route, method, infinite)
    spent = delta(before, after, "tariff_http_request_duration_seconds_sum", "dialect", "route", "method")
    assert all(value > 0 for value in spent.values()) and set(spent) <= set(timed), spent

    assert delta(before, after, "tariff_http_rate_limited_total", "dialect") == {}

    after.family("tariff_ledger_entries", "counter")
    after.family("tariff_ledger_amount", "counter")
    entries = delta(before, after, "tariff_ledger_entries_total", "type", "currency")
    assert entries == {("resource_charge", "EUR"): 1}, entries
    amounts = delta(before, after, "tariff_ledger_amount_total", "type", "currency")
    assert set(amounts) == {("resource_charge", "EUR")}, amounts
    assert amounts[("resource_charge", "EUR")] == pytest.approx(0.015, abs=1e-9), amounts

    # A retry of the same record charges nothing and counts no ledger entry.
    r = http.post(base + "/v1/usage", auth=metrics_account.basic, json=record, timeout=10)
    assert r.status_code == 200 and r.json()["id"] == charge["id"], (r.status_code, r.text[:300])
    again = Scrape(http, base)
    assert delta(after, again, "tariff_ledger_entries_total", "type", "currency") == {}
    assert delta(after, again, "tariff_http_requests_total", "dialect", "route", "method", "status") == {
        ("native", NATIVE_USAGE, "POST", "200"): 1,
        ("system", "/metrics", "GET", "200"): 1,
    }

    assert_no_secret_in_labels(again, config)


def test_rate_limited_requests_are_counted(http, config):
    """On the rate-limited server (1 request/s per key on pricing routes): every 429 answered is
    one `tariff_http_rate_limited_total{dialect}` and one request counted with status 429."""
    url = config.rate_limited_url
    account = config.account("rl_metrics")
    before = Scrape(http, url)
    statuses = []
    for _ in range(4):
        r = http.get(url + "/account/get-pricing/outbound/sms", params={"country": "ES"}, auth=account.basic, timeout=10)
        assert r.status_code in (200, 429), (r.status_code, r.text[:300])
        statuses.append(r.status_code)
    after = Scrape(http, url)
    after.family("tariff_http_rate_limited", "counter")
    limited = statuses.count(429)
    assert limited >= 1, f"four requests within a second were all answered: {statuses}"
    assert delta(before, after, "tariff_http_rate_limited_total", "dialect") == {("vonage_v1",): limited}
    moved = delta(before, after, "tariff_http_requests_total", "dialect", "route", "status")
    assert moved == {
        ("vonage_v1", V1_COUNTRY, "200"): statuses.count(200),
        ("vonage_v1", V1_COUNTRY, "429"): limited,
        ("system", "/metrics", "200"): 1,
    }, moved
    assert_no_secret_in_labels(after, config)


def assert_no_secret_in_labels(scrape: Scrape, config) -> None:
    """No label value holds a phone number, an API key, a secret or a token."""
    secrets = {config.api["key"], config.api["secret"], config.api["operator_token"],
               config.api["client"]["key"], config.api["client"]["secret"], "Wrong0Secret"}
    for account in config.accounts.values():
        secrets |= {account["key"], account["secret"]}
    digits = re.compile(r"\d{6,}")
    for (name, labels) in scrape.samples:
        for label, value in labels:
            assert not digits.search(value), f"{name}: label {label}={value!r} holds a number"
            for secret in secrets:
                assert secret not in value, f"{name}: label {label}={value!r} holds a credential"
