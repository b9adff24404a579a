"""The official Twilio Python SDK (twilio 9.13.0, unchanged) against Tariff's Twilio Pricing dialect.

The server has a database of its own (fixtures/twilio-rates.csv and twilio-numbers.csv, EUR) and
two accounts: EUR on the deck's prices, USD on a plan with +10 % on voice-outbound, at
1 EUR = 1.25 USD. Every expected price is written out below from those files; prices of single
numbers are also checked against what `tariff price` prints for the same database.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

WORLD = Path(__file__).resolve().parent.parent / "Sources" / "TariffStore" / "Resources" / "world"

RATE = {"EUR": Decimal("1"), "USD": Decimal("1.25")}  # fixtures/fx-rates.csv
MARKUP = Decimal("1.1")  # the USD account's plan: +10 % on voice-outbound only

# Twilio's names for Tariff's inbound categories; "toll free" is written with a space.
TWILIO_TYPE = {"local": "local", "mobile": "mobile", "national": "national", "toll_free": "toll free"}


def world_countries() -> dict[str, dict]:
    with open(WORLD / "countries.csv", newline="") as f:
        return {row["iso2"]: row for row in csv.DictReader(f)}


COUNTRIES = world_countries()
NAME = {iso: row["name"] for iso, row in COUNTRIES.items()}
CALLING_CODE = {iso: row["calling_code"] for iso, row in COUNTRIES.items()}
EEA_CODES = {row["calling_code"] for row in COUNTRIES.values() if row["eea"] == "1"}

# -- what the fixtures imply (EUR, as written in the deck) ----------------------------------------

#: A network or "Other" entry of outbound_sms_prices: (carrier, mcc, mnc, [(number_type, price)]).
MESSAGING = {
    "ES": {
        "outbound": [
            ("Vodafone", "214", "01", [("mobile", "0.065")]),
            ("Movistar", "214", "07", [("mobile", "0.066")]),
            # national falls back to the default row; mobile and toll free have rows of their own.
            ("Other", "", "", [("local", "0.06"), ("mobile", "0.07"), ("national", "0.06"), ("toll free", "0.02")]),
        ],
        # The caller-prefix row (346, 0.09) is not an any-caller price.
        "inbound": [("local", "0.01"), ("mobile", "0.008")],
    },
    # No default row: only the types with rows of their own (landline is local, virtual national).
    "GB": {"outbound": [("Vodafone UK", "234", "15", [("mobile", "0.041")]),
                        ("Other", "", "", [("local", "0.03"), ("mobile", "0.04"), ("national", "0.09")])],
           "inbound": []},
    # A network only: no "Other" entry.
    "LU": {"outbound": [("POST", "270", "01", [("mobile", "0.0115")])], "inbound": []},
    # Listed for its inbound price alone. FR is not listed: its only row is not in force yet.
    "US": {"outbound": [], "inbound": [("toll free", "0.0075")]},
}

#: Destination prefixes taken from the reference number ranges (network and number-type rows):
#: hard to predict, so only their shape is asserted.
RANGES = object()

#: v1 outbound_prefix_prices by friendly_name: (prefixes, price). Origin `any` and `international`
#: rows; the international default (0.04) wins over the `any` one (0.05).
VOICE_V1 = {
    "ES": {"Spain Fixed": (["34"], "0.04"), "Spain Mobile": (RANGES, "0.08"),
           "Spain Premium 803": (["34803"], "1.2"), "Spain Shared Cost 901": (["34901"], "0.5")},
    "GB": {"United Kingdom Fixed": (["44"], "0.015"), "UK Premium 090": (["4490"], "1.5"),
           "UK Vodafone Mobile": (RANGES, "0.1")},
    "US": {"United States": (["1"], "0.008")},
    "DE": {},
}
ALL, ROW, EEA = ["ALL"], ["ROW"], sorted(EEA_CODES)
#: v2 outbound_prefix_prices by friendly_name: (origination_prefixes, destination_prefixes, price).
VOICE_V2 = {
    "ES": {"Spain Fixed domestic": (["34"], ["34"], "0.01"), "Spain Mobile domestic": (["34"], RANGES, "0.03"),
           "Spain Fixed EEA": (EEA, ["34"], "0.02"),
           "Spain Fixed": (ROW, ["34"], "0.04"), "Spain Mobile": (ROW, RANGES, "0.08"),
           "Spain Premium 803": (ROW, ["34803"], "1.2"),
           "Spain Fixed any origin": (ALL, ["34"], "0.05"), "Spain Shared Cost 901": (ALL, ["34901"], "0.5")},
    "GB": {"United Kingdom Fixed": (ALL, ["44"], "0.015"), "UK Premium 090": (ALL, ["4490"], "1.5"),
           "UK Vodafone Mobile": (ALL, RANGES, "0.1")},
    "US": {"United States": (ALL, ["1"], "0.008")},
    "DE": {},
}
VOICE_INBOUND = {
    "ES": [("local", "0.005"), ("toll free", "0.03")],  # the caller-prefix row (346, 0.09) is left out
    "GB": [],
    "US": [("local", "0.004"), ("toll free", "0.012")],
    "DE": [("national", "0.02")],
}
#: Monthly prices per Twilio number type: the country-wide row, else the lowest region's.
PHONE_NUMBERS = {
    "ES": {"local": "1", "mobile": "2.8", "toll free": "8"},
    "GB": {"national": "1.2", "mobile": "4"},
    "US": {"local": "0.8", "toll free": "1.6"},
}
LISTS = {  # path under the version, the SDK's list, the countries it holds
    "/v1/Messaging/Countries": (lambda c: c.pricing.v1.messaging.countries, sorted(MESSAGING)),
    "/v1/Voice/Countries": (lambda c: c.pricing.v1.voice.countries, sorted(VOICE_V1)),
    "/v2/Voice/Countries": (lambda c: c.pricing.v2.voice.countries, sorted(VOICE_V2)),
    "/v1/PhoneNumbers/Countries": (lambda c: c.pricing.v1.phone_numbers.countries, sorted(PHONE_NUMBERS)),
}

PLAIN_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


# -- accounts and clients ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TwAccount:
    name: str
    key: str
    secret: str
    currency: str
    plan: str | None

    def expect(self, eur: str, *, marked_up: bool = False) -> tuple[Decimal, Decimal]:
        """(base_price, current_price) of a deck price in EUR, as this account sees it."""
        base = Decimal(eur) * RATE[self.currency]
        return base, base * MARKUP if (marked_up and self.plan) else base


@pytest.fixture(scope="module")
def tw(config) -> dict:
    if not config.twilio:
        pytest.fail("the conformance config has no 'twilio' server: run the suite with `bash conformance/run.sh`",
                    pytrace=False)
    return config.twilio


def tw_account(tw: dict, name: str) -> TwAccount:
    a = tw["accounts"][name]
    return TwAccount(name, a["key"], a["secret"], a["currency"], a.get("plan"))


def sdk(url: str, key: str, secret: str) -> Client:
    client = Client(username=key, password=secret)
    client.pricing.base_url = url  # the only change: Tariff instead of https://pricing.twilio.com
    return client


@pytest.fixture(scope="module", params=["eur", "usd"])
def account(request, tw) -> TwAccount:
    return tw_account(tw, request.param)


@pytest.fixture(scope="module")
def client(tw, account) -> Client:
    return sdk(tw["url"], account.key, account.secret)


@pytest.fixture(scope="module")
def eur_client(tw) -> Client:
    a = tw_account(tw, "eur")
    return sdk(tw["url"], a.key, a.secret)


def last_url(client: Client) -> str:
    """Where the SDK really sent its last request (TwilioHttpClient keeps it; the query apart)."""
    return client.http_client._test_only_last_request.url


def last_params(client: Client) -> dict:
    return client.http_client._test_only_last_request.params or {}


def get(tw: dict, path: str, account: TwAccount | None = None, *, base: str | None = None, **params) -> requests.Response:
    auth = (account.key, account.secret) if account else None
    return requests.get((base or tw["url"]) + path, params=params or None, auth=auth, timeout=10)


# -- helpers ----------------------------------------------------------------------------------------

def plain(value: Decimal) -> str:
    """A price as the contract writes it: plain decimal, no exponent, no trailing zeros ("0.065", "10")."""
    return format(value.normalize(), "f")


def check_price(got: dict, want: tuple[Decimal, Decimal], what) -> None:
    for field, value in zip(("base_price", "current_price"), want):
        assert isinstance(got[field], str) and PLAIN_DECIMAL.match(got[field]), (what, field, got[field])
        assert got[field] == plain(value), (what, field, got[field], value)


def check_typed(got: list, want: list, account: TwAccount, what, *, marked_up: bool = False) -> None:
    """A list of {number_type, base_price, current_price}, in the order given."""
    assert [p["number_type"] for p in got] == [t for t, _ in want], what
    for p, (number_type, eur) in zip(got, want):
        check_price(p, account.expect(eur, marked_up=marked_up), (what, number_type))


def check_destinations(got: list, want, iso: str, what) -> None:
    if want is RANGES:  # reference number ranges: hard to predict exactly
        assert got and all(isinstance(p, str) and p.startswith(CALLING_CODE[iso]) for p in got), (what, got)
    else:
        assert got == want, what


def cli(tw: dict, number: str, *, product: str = "voice-outbound", origin: str | None = None,
        currency: str = "EUR", plan: str | None = None) -> tuple[Decimal, dict] | None:
    """The price (in `currency`) and whole quote `tariff price` gives on the server's database; None
    when it has no price."""
    args = [tw["tariff"], "price", number, "--product", product, "--format", "json", "--database", tw["database"]]
    if origin:
        args += ["--from", origin]
    if currency != "EUR":
        args += ["--currency", currency]
    if plan:
        args += ["--plan", plan]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        assert f"no {product} price" in done.stderr, done.stderr
        return None
    quote = json.loads(done.stdout)
    price = quote["price"] if currency == quote["currency"] else quote["converted"]["price"]
    return Decimal(price), quote


def cli_prices(tw: dict, account: TwAccount, number: str, **kwargs) -> tuple[tuple[Decimal, Decimal], str] | None:
    """((base_price, current_price), list) as the CLI gives them for this account."""
    base = cli(tw, number, currency=account.currency, **kwargs)
    if base is None:
        return None
    current = cli(tw, number, currency=account.currency, plan=account.plan, **kwargs) if account.plan else base
    return (base[0], current[0]), base[1]["list"]


def check_eea(got: list, what) -> None:
    """The EEA's calling codes, each once, "sorted": as strings or as numbers (the contract does not say)."""
    assert got in (sorted(EEA_CODES), sorted(EEA_CODES, key=int)), (what, got)


def origination_prefixes(origin_list: str, iso: str) -> list[str]:
    return {"any": ALL, "international": ROW, "eea": EEA, "domestic": [CALLING_CODE[iso]]}[origin_list]


def check_error(response: requests.Response, status: int, code: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].split(";")[0] == "application/json"
    body = response.json()
    assert body["code"] == code and body["status"] == status, body
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}", body
    assert isinstance(body["message"], str) and body["message"], body


# -- containers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,name,links", [
    ("/v1/Messaging", "messaging", ["countries"]),
    ("/v1/Voice", "voice", ["countries", "numbers"]),
    ("/v1/PhoneNumbers", "phone_numbers", ["countries"]),
    ("/v2/Voice", "voice", ["countries", "numbers"]),
])
def test_twilio_container(tw, path, name, links):
    # The SDK has no fetch for these: plain requests with Basic auth.
    r = get(tw, path, tw_account(tw, "eur"))
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].split(";")[0] == "application/json"
    url = tw["url"] + path
    assert r.json() == {"name": name, "url": url, "links": {k: f"{url}/{k.capitalize()}" for k in links}}


def test_twilio_urls_follow_the_requests_host(tw):
    # The certificate also names localhost: the absolute URLs must name the host the client used.
    parts = urlsplit(tw["url"])
    local = urlunsplit((parts.scheme, f"localhost:{parts.port}", "", "", ""))
    body = get(tw, "/v1/Voice", tw_account(tw, "eur"), base=local).json()
    assert body["url"] == f"{local}/v1/Voice"
    assert body["links"] == {"countries": f"{local}/v1/Voice/Countries", "numbers": f"{local}/v1/Voice/Numbers"}
    page = get(tw, "/v1/Messaging/Countries", tw_account(tw, "eur"), base=local, PageSize=1).json()
    assert page["meta"]["next_page_url"].startswith(f"{local}/v1/Messaging/Countries?")
    assert page["countries"][0]["url"] == f"{local}/v1/Messaging/Countries/ES"


# -- country lists ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(LISTS))
def test_twilio_country_list_sdk(tw, client, path):
    countries_of, isos = LISTS[path]
    listed = countries_of(client).list(page_size=2)  # several pages, through next_page_url
    assert last_url(client).startswith(tw["url"] + path)
    assert [c.iso_country for c in listed] == isos, "every country with a price in force, once, sorted"
    for c in listed:
        assert c.country == NAME[c.iso_country]
        assert c.url == f"{tw['url']}{path}/{c.iso_country}"
        # Every listed country can be fetched, and is the same country there.
        fetched = countries_of(client)(c.iso_country).fetch()
        assert (fetched.iso_country, fetched.country, fetched.url) == (c.iso_country, c.country, c.url)
    assert [c.iso_country for c in countries_of(client).list()] == isos  # the default page size
    assert [c.iso_country for c in countries_of(client).list(limit=1)] == isos[:1]


@pytest.mark.parametrize("path", sorted(LISTS))
@pytest.mark.parametrize("page_size", [1, 3, 1000])
def test_twilio_country_list_pages(tw, path, page_size):
    eur = tw_account(tw, "eur")
    isos = LISTS[path][1]
    first = f"{tw['url']}{path}?PageSize={page_size}&Page=0"
    url, seen, page = first, [], 0
    while url:
        r = requests.get(url, auth=(eur.key, eur.secret), timeout=10)
        assert r.status_code == 200, (url, r.text)
        body = r.json()
        meta = body["meta"]
        assert meta["key"] == "countries" and meta["page"] == page and meta["page_size"] == page_size, meta
        assert meta["url"].startswith(f"{tw['url']}{path}?") and meta["first_page_url"].startswith(f"{tw['url']}{path}?")
        if page == 0:
            assert meta["previous_page_url"] is None
        else:
            assert meta["previous_page_url"].startswith(f"{tw['url']}{path}?"), meta
        assert len(body["countries"]) <= page_size
        seen += [c["iso_country"] for c in body["countries"]]
        for c in body["countries"]:
            assert c == {"country": NAME[c["iso_country"]], "iso_country": c["iso_country"],
                         "url": f"{tw['url']}{path}/{c['iso_country']}"}
        url, page = meta["next_page_url"], page + 1
        assert page <= len(isos) + 1, "the pages end"
    assert seen == isos, "each country once, in order"
    assert page == max(1, -(-len(isos) // page_size)), "no empty page after the last one"


def test_twilio_country_list_defaults(tw):
    body = get(tw, "/v1/Voice/Countries", tw_account(tw, "eur")).json()
    meta = body["meta"]
    assert (meta["page"], meta["page_size"], meta["previous_page_url"], meta["next_page_url"]) == (0, 50, None, None)
    assert [c["iso_country"] for c in body["countries"]] == sorted(VOICE_V1)


@pytest.mark.parametrize("params", [{"PageSize": "0"}, {"PageSize": "1001"}, {"PageSize": "ten"}, {"PageSize": "-1"},
                                    {"Page": "-1"}, {"Page": "first"}, {"PageToken": "not-a-token"}])
def test_twilio_country_list_bad_paging(tw, params):
    check_error(get(tw, "/v1/Messaging/Countries", tw_account(tw, "eur"), **params), 400, 20001)


# -- messaging --------------------------------------------------------------------------------------

@pytest.mark.parametrize("iso", sorted(MESSAGING))
def test_twilio_messaging_country(tw, client, account, iso):
    c = client.pricing.v1.messaging.countries(iso).fetch()
    assert last_url(client) == f"{tw['url']}/v1/Messaging/Countries/{iso}"
    want = MESSAGING[iso]
    assert (c.country, c.iso_country, c.price_unit) == (NAME[iso], iso, account.currency)
    assert c.url == f"{tw['url']}/v1/Messaging/Countries/{iso}"
    got = c.outbound_sms_prices
    assert [(e["carrier"], e["mcc"], e["mnc"]) for e in got] == [w[:3] for w in want["outbound"]]
    for entry, (carrier, _, _, prices) in zip(got, want["outbound"]):
        check_typed(entry["prices"], prices, account, (iso, carrier))
    check_typed(c.inbound_sms_prices, want["inbound"], account, (iso, "inbound"))


# -- voice v1 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("iso", sorted(VOICE_V1))
def test_twilio_voice_v1_country(tw, client, account, iso):
    c = client.pricing.v1.voice.countries(iso).fetch()
    assert (c.country, c.iso_country, c.price_unit) == (NAME[iso], iso, account.currency)
    assert c.url == f"{tw['url']}/v1/Voice/Countries/{iso}"
    got = {p["friendly_name"]: p for p in c.outbound_prefix_prices}
    assert len(got) == len(c.outbound_prefix_prices), "one entry per row"
    assert sorted(got) == sorted(VOICE_V1[iso])
    for name, (prefixes, eur) in VOICE_V1[iso].items():
        check_destinations(got[name]["prefixes"], prefixes, iso, name)
        check_price(got[name], account.expect(eur, marked_up=True), name)
    check_typed(c.inbound_call_prices, VOICE_INBOUND[iso], account, (iso, "inbound"))


#: number: (outbound price in EUR, inbound (number_type, price in EUR) or None)
VOICE_V1_NUMBERS = {
    "+34912345678": ("0.04", ("local", "0.005")),        # Madrid landline: the international default
    "+34612345678": ("0.08", None),                      # a mobile; no mobile inbound price in ES
    "+34803123456": ("1.2", None),                       # the international prefix row
    "+34901234567": ("0.04", None),                      # the `any` list's 901 row is not the one used
    "+18005550100": ("0.008", ("toll free", "0.012")),   # US toll free: the `any` default outbound
}


@pytest.mark.parametrize("number", sorted(VOICE_V1_NUMBERS))
def test_twilio_voice_v1_number(tw, client, account, number):
    out_eur, inbound = VOICE_V1_NUMBERS[number]
    n = client.pricing.v1.voice.numbers(number).fetch()
    iso = "US" if number.startswith("+1") else "ES"
    assert (n.number, n.country, n.iso_country, n.price_unit) == (number, NAME[iso], iso, account.currency)
    assert n.url in (f"{tw['url']}/v1/Voice/Numbers/{number}", f"{tw['url']}/v1/Voice/Numbers/%2B{number[1:]}")
    want = account.expect(out_eur, marked_up=True)
    check_price(n.outbound_call_price, want, number)
    assert cli_prices(tw, account, number)[0] == want, "what `tariff price` says"
    if inbound is None:
        assert n.inbound_call_price is None
        assert cli(tw, number, product="voice-inbound") is None
    else:
        assert n.inbound_call_price["number_type"] == inbound[0]
        check_price(n.inbound_call_price, account.expect(inbound[1]), number)
        price, quote = cli(tw, number, product="voice-inbound", currency=account.currency)
        assert (TWILIO_TYPE[quote["number_type"]], price) == (inbound[0], account.expect(inbound[1])[0]), \
            "what `tariff price --product voice-inbound` says"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_twilio_voice_number_percent_encoded(tw, version):
    eur = tw_account(tw, "eur")
    literal = get(tw, f"/{version}/Voice/Numbers/+34912345678", eur)
    encoded = get(tw, f"/{version}/Voice/Numbers/%2B34912345678", eur)
    assert literal.status_code == encoded.status_code == 200, (literal.text, encoded.text)
    # The same answer; its url may keep the form the client used.
    assert {**literal.json(), "url": None} == {**encoded.json(), "url": None}


@pytest.mark.parametrize("number", ["+4930123456", "not-a-number", "+999"])
def test_twilio_voice_v1_number_unpriced(eur_client, number):
    # DE has no voice-outbound row; the others are not numbers.
    with pytest.raises(TwilioRestException) as e:
        eur_client.pricing.v1.voice.numbers(number).fetch()
    assert (e.value.status, e.value.code) == (404, 20404)


# -- voice v2 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("iso", sorted(VOICE_V2))
def test_twilio_voice_v2_country(tw, client, account, iso):
    c = client.pricing.v2.voice.countries(iso).fetch()
    assert (c.country, c.iso_country, c.price_unit) == (NAME[iso], iso, account.currency)
    assert c.url == f"{tw['url']}/v2/Voice/Countries/{iso}"
    got = {p["friendly_name"]: p for p in c.outbound_prefix_prices}
    assert len(got) == len(c.outbound_prefix_prices), "one entry per row"
    assert sorted(got) == sorted(VOICE_V2[iso])
    for name, (origins, prefixes, eur) in VOICE_V2[iso].items():
        if origins is EEA:
            check_eea(got[name]["origination_prefixes"], name)
        else:
            assert got[name]["origination_prefixes"] == origins, name
        check_destinations(got[name]["destination_prefixes"], prefixes, iso, name)
        check_price(got[name], account.expect(eur, marked_up=True), name)
    check_typed(c.inbound_call_prices, VOICE_INBOUND[iso], account, (iso, "inbound"))


MADRID = "+34912345678"
#: origination number: (Tariff's list, price in EUR) for calls to MADRID.
V2_ORIGINS = {
    "+34612345678": ("domestic", "0.01"),
    "+4930123456": ("eea", "0.02"),          # Germany is in the EEA
    "+12025550123": ("international", "0.04"),
}


def check_origins(got: list, want: list) -> None:
    assert len(got) == len(want), got
    for entry, prefixes in zip(got, want):
        if prefixes is EEA:
            check_eea(entry["origination_prefixes"], entry)
        else:
            assert entry["origination_prefixes"] == prefixes, entry


@pytest.mark.parametrize("origin", sorted(V2_ORIGINS))
def test_twilio_voice_v2_number_from(tw, client, account, origin):
    origin_list, eur = V2_ORIGINS[origin]
    n = client.pricing.v2.voice.numbers(MADRID).fetch(origination_number=origin)
    assert last_params(client) == {"OriginationNumber": origin}
    assert (n.destination_number, n.origination_number) == (MADRID, origin)
    assert (n.country, n.iso_country, n.price_unit) == ("Spain", "ES", account.currency)
    assert n.url.startswith(f"{tw['url']}/v2/Voice/Numbers/")
    want = account.expect(eur, marked_up=True)
    # The CLI agrees on the list and the price, and so does the fixture.
    assert cli_prices(tw, account, MADRID, origin=origin) == (want, origin_list)
    check_origins(n.outbound_call_prices, [origination_prefixes(origin_list, "ES")])
    check_price(n.outbound_call_prices[0], want, origin)
    assert n.inbound_call_price["number_type"] == "local"
    check_price(n.inbound_call_price, account.expect("0.005"), "inbound")


def test_twilio_voice_v2_number_every_list(tw, client, account):
    n = client.pricing.v2.voice.numbers(MADRID).fetch()
    assert "OriginationNumber" not in last_params(client)
    assert (n.destination_number, n.origination_number, n.iso_country) == (MADRID, None, "ES")
    # Every list that prices the number, domestic, eea, international, any.
    want = [(["34"], "0.01"), (EEA, "0.02"), (ROW, "0.04"), (ALL, "0.05")]
    check_origins(n.outbound_call_prices, [p for p, _ in want])
    for entry, (_, eur) in zip(n.outbound_call_prices, want):
        check_price(entry, account.expect(eur, marked_up=True), entry["origination_prefixes"][:3])


def test_twilio_voice_v2_number_any_list(tw, client, account):
    # The US has `any` rows only: that list applies whatever the origin.
    us = "+12025550123"
    want = account.expect("0.008", marked_up=True)
    assert cli_prices(tw, account, us, origin="+34612345678") == (want, "any")
    n = client.pricing.v2.voice.numbers(us).fetch(origination_number="+34612345678")
    check_origins(n.outbound_call_prices, [ALL])
    check_price(n.outbound_call_prices[0], want, us)
    assert n.inbound_call_price["number_type"] == "local"
    every = client.pricing.v2.voice.numbers(us).fetch()
    check_origins(every.outbound_call_prices, [ALL])
    check_price(every.outbound_call_prices[0], want, us)


def test_twilio_voice_v2_number_unpriced(eur_client):
    with pytest.raises(TwilioRestException) as e:
        eur_client.pricing.v2.voice.numbers("+4930123456").fetch(origination_number="+34612345678")
    assert (e.value.status, e.value.code) == (404, 20404)


# -- phone numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("iso", sorted(PHONE_NUMBERS))
def test_twilio_phone_number_country(tw, client, account, iso):
    c = client.pricing.v1.phone_numbers.countries(iso).fetch()
    assert (c.country, c.iso_country, c.price_unit) == (NAME[iso], iso, account.currency)
    assert c.url == f"{tw['url']}/v1/PhoneNumbers/Countries/{iso}"
    got = {p["number_type"]: p for p in c.phone_number_prices}
    assert len(got) == len(c.phone_number_prices), "one entry per number type"
    assert sorted(got) == sorted(PHONE_NUMBERS[iso])
    for number_type, eur in PHONE_NUMBERS[iso].items():
        check_price(got[number_type], account.expect(eur), (iso, number_type))  # the plan is for voice only


# -- errors -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fetch", [
    lambda c: c.pricing.v1.messaging.countries("ES").fetch(),
    lambda c: c.pricing.v1.voice.numbers(MADRID).fetch(),
    lambda c: c.pricing.v2.voice.countries("ES").fetch(),
    lambda c: c.pricing.v1.phone_numbers.countries("ES").fetch(),
], ids=["messaging", "v1-number", "v2-country", "phone-numbers"])
@pytest.mark.parametrize("who", ["wrong-secret", "unknown-key"])
def test_twilio_sdk_unauthorized(tw, fetch, who):
    eur = tw_account(tw, "eur")
    key, secret = (eur.key, "Wrong0Secret") if who == "wrong-secret" else ("nosuchkey", eur.secret)
    with pytest.raises(TwilioRestException) as e:
        fetch(sdk(tw["url"], key, secret))
    assert (e.value.status, e.value.code) == (401, 20003)


@pytest.mark.parametrize("path", ["/v1/Messaging", "/v1/Voice/Countries", "/v2/Voice/Numbers/+34912345678",
                                  "/v1/PhoneNumbers/Countries/ES"])
def test_twilio_no_credentials(tw, path):
    check_error(get(tw, path), 401, 20003)


@pytest.mark.parametrize("fetch", [
    lambda c: c.pricing.v1.messaging.countries("XX").fetch(),
    lambda c: c.pricing.v1.voice.countries("XX").fetch(),
    lambda c: c.pricing.v2.voice.countries("XX").fetch(),
    lambda c: c.pricing.v1.phone_numbers.countries("XX").fetch(),
], ids=["messaging", "voice-v1", "voice-v2", "phone-numbers"])
def test_twilio_sdk_unknown_country(eur_client, fetch):
    with pytest.raises(TwilioRestException) as e:
        fetch(eur_client)
    assert (e.value.status, e.value.code) == (404, 20404)


@pytest.mark.parametrize("path", ["/v1/Voice/Nowhere", "/v1/Messaging/Countries/ES/Extra", "/v2/Voice/Countries/ES/Extra",
                                  "/v1/PhoneNumbers/Nowhere", "/v1/Messaging/Countries/XX"])
def test_twilio_unknown_route(tw, path):
    check_error(get(tw, path, tw_account(tw, "eur")), 404, 20404)
