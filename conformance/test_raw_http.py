"""Tariff's Vonage dialect on the wire, with `requests`: XML bodies, Pricing v2 paging, credentials
in the path, every error status and the exact content types (wire-formats.md §1.2–1.8, §7(b) 1–7).

Every expected value comes from fixtures/deck.csv through expected.py.
"""

from __future__ import annotations

import math
import time
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

import expected as X

XML = {"Accept": "application/xml"}
JSON_TYPE = "application/json"

AUTH_401 = {"currency": "EUR", "code": "401", "error-code-label": "authentication failed"}
BALANCE_401 = {"error-code": "401", "error-code-label": "authentication failed"}
METHOD_FAILED = {"error-code": "420", "error-code-label": "method failed"}


def content_type(resp: requests.Response) -> str:
    return resp.headers.get("Content-Type", "")


def assert_json(resp: requests.Response, status: int = 200):
    assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert content_type(resp) == JSON_TYPE, f"Content-Type must be exactly {JSON_TYPE}, got {content_type(resp)!r}"
    return resp.json()


def assert_xml(resp: requests.Response, root: str) -> ET.Element:
    assert resp.status_code == 200, (resp.status_code, resp.text[:300])
    assert content_type(resp).split(";")[0].strip() in ("application/xml", "text/xml"), content_type(resp)
    assert resp.content.lstrip().startswith(b"<?xml"), "an XML declaration"
    doc = ET.fromstring(resp.content)
    assert doc.tag == root
    return doc


def assert_html(resp: requests.Response, status: int, body: str):
    assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert content_type(resp).split(";")[0].strip() == "text/html", content_type(resp)
    assert resp.text.strip() == body


def assert_problem(resp: requests.Response, status: int) -> dict:
    assert resp.status_code == status, (resp.status_code, resp.text[:300])
    assert content_type(resp).split(";")[0].strip() == "application/problem+json", content_type(resp)
    body = resp.json()
    for k in ("type", "title", "detail", "instance"):
        assert isinstance(body.get(k), str) and body[k], f"RFC 7807 member {k!r}: {body}"
    return body


def text(el: ET.Element, tag: str):
    child = el.find(tag)
    return None if child is None else (child.text or "")


# -- XML (Accept: application/xml) ---------------------------------------------------------------

def check_xml_country(el: ET.Element, country: X.Country, currency: str = "EUR"):
    assert text(el, "country-code") == country.iso
    assert text(el, "country-name") == country.name
    assert text(el, "dialing-prefix") == country.prefix
    assert text(el, "currency") == currency
    assert text(el, "default-price") == (X.v1_price(country.default, currency) if country.default else None)
    nets = el.findall("networks/network")
    assert sorted(text(n, "network-code") for n in nets) == sorted(n.code for n in country.networks)
    for n in nets:
        net = country.net(text(n, "network-code"))
        assert text(n, "network-name") == net.name
        assert text(n, "type") == net.type
        assert text(n, "price") == X.v1_price(net.price, currency)
        assert text(n, "currency") == currency
        assert text(n, "mcc") == net.mcc
        assert text(n, "mnc") == net.mnc
        assert sorted(int(r.text) for r in n.findall("ranges/range")) == net.expected_ranges(country.iso)


def check_xml_unpriced(el: ET.Element, iso: str):
    assert text(el, "country-code") == iso
    assert text(el, "country-name") == X.country_name(iso)
    assert el.find("default-price") is None
    assert el.findall("networks/network") == []


@pytest.mark.parametrize("service,iso", [(t, iso) for t, book in X.PRODUCTS.items() for iso in sorted(book)])
def test_xml_country_pricing(http, base, eur, service, iso):
    r = http.get(f"{base}/account/get-pricing/outbound/{service}", params={"country": iso}, auth=eur.basic, headers=XML)
    check_xml_country(assert_xml(r, "outbound-country-pricing"), X.PRODUCTS[service][iso])


def test_xml_country_pricing_usd(http, base, usd):
    r = http.get(f"{base}/account/get-pricing/outbound/voice", params={"country": "LU"}, auth=usd.basic, headers=XML)
    check_xml_country(assert_xml(r, "outbound-country-pricing"), X.VOICE["LU"], "USD")


@pytest.mark.parametrize("service", ["sms", "voice"])
def test_xml_full_pricing(http, base, eur, service):
    r = http.get(f"{base}/account/get-full-pricing/outbound/{service}", auth=eur.basic, headers=XML)
    doc = assert_xml(r, "outbound-pricing")
    isos = X.countries_with_calling_code()
    assert int(text(doc, "count")) == len(isos)
    countries = doc.findall("countries/country")
    assert sorted(text(c, "country-code") for c in countries) == isos
    book = X.PRODUCTS[service]
    for c in countries:
        iso = text(c, "country-code")
        check_xml_country(c, book[iso]) if iso in book else check_xml_unpriced(c, iso)


def test_xml_prefix_pricing(http, base, eur):
    r = http.get(f"{base}/account/get-prefix-pricing/outbound/sms", params={"prefix": "44"}, auth=eur.basic, headers=XML)
    doc = assert_xml(r, "outbound-pricing")
    isos = X.countries_for_calling_code("44")
    assert int(text(doc, "count")) == len(isos)
    countries = doc.findall("countries/country")
    assert sorted(text(c, "country-code") for c in countries) == isos
    for c in countries:
        iso = text(c, "country-code")
        check_xml_country(c, X.SMS[iso]) if iso in X.SMS else check_xml_unpriced(c, iso)


def check_xml_legacy(el: ET.Element, country: X.Country):
    # Seed 001: <country>, <name>, <prefix>, <mt>, networks/network/{code,name,mtPrice}.
    assert text(el, "country") == country.iso
    assert text(el, "name") == country.name
    assert text(el, "prefix") == country.prefix
    assert text(el, "mt") == (X.v1_price(country.default) if country.default else None)
    got = {text(n, "code"): (text(n, "name"), text(n, "mtPrice")) for n in el.findall("networks/network")}
    assert got == {n.code: (n.name, X.v1_price(n.price)) for n in country.networks}


def test_xml_legacy_country_pricing(http, base, eur):
    r = http.get(f"{base}/account/get-pricing/outbound", params={"country": "LU", **eur.query}, headers=XML)
    check_xml_legacy(assert_xml(r, "outbound-country-pricing"), X.SMS["LU"])


def test_xml_legacy_prefix_pricing(http, base, eur):
    r = http.get(f"{base}/account/get-prefix-pricing/outbound", params={"prefix": "352", **eur.query}, headers=XML)
    doc = assert_xml(r, "outbound-pricing")
    assert int(text(doc, "count")) == 1
    prices = doc.findall("prices")
    assert len(prices) == 1
    check_xml_legacy(prices[0], X.SMS["LU"])


@pytest.mark.parametrize("product,phone,iso,network,price", X.PHONES[:3] + X.PHONES[-4:])
def test_xml_phone_pricing(http, base, eur, product, phone, iso, network, price):
    r = http.get(f"{base}/account/get-phone-pricing/outbound/{product}", params={"phone": phone, **eur.query}, headers=XML)
    doc = assert_xml(r, "outbound-pricing")
    assert text(doc, "country-code") == iso
    assert text(doc, "network-code") == network
    assert text(doc, "phone") == phone
    assert text(doc, "price") == X.v1_price(price)


def test_xml_balance(http, base, eur):
    r = http.get(f"{base}/account/get-balance", params=eur.query, headers=XML)
    doc = assert_xml(r, "accountBalance")
    assert float(text(doc, "value")) == 0.0
    assert text(doc, "autoReload") == "false"


def test_xml_balance_401_keeps_the_account_balance_root(http, base, eur):
    """§1.5: the 401 of get-balance has the root <accountBalance> in XML."""
    r = http.get(f"{base}/account/get-balance", params={"api_key": eur.key, "api_secret": "wrong"}, headers=XML)
    assert r.status_code == 401
    assert content_type(r).split(";")[0] in ("application/xml", "text/xml"), \
        f"asked for XML, got {content_type(r)!r}: {r.text[:200]}"
    doc = ET.fromstring(r.content)
    assert doc.tag == "accountBalance"
    assert text(doc, "error-code") == "401"


# -- JSON shapes with every credential form ------------------------------------------------------

def test_json_country_pricing_query_and_basic_agree(http, base, eur):
    by_query = assert_json(http.get(f"{base}/account/get-pricing/outbound/sms", params={"country": "LU", **eur.query}))
    by_basic = assert_json(http.get(f"{base}/account/get-pricing/outbound/sms", params={"country": "LU"}, auth=eur.basic))
    by_path = assert_json(http.get(f"{base}/account/get-pricing/outbound/sms/{eur.key}/{eur.secret}/LU"))
    assert by_query == by_basic == by_path
    # §7(b) 1: exactly these members, prices as 8-decimal strings, mcc/mnc only for real networks.
    assert set(by_query) == {"dialingPrefix", "defaultPrice", "currency", "countryDisplayName", "countryCode",
                             "countryName", "networks"}
    assert by_query["defaultPrice"] == "0.01100000"
    for n in by_query["networks"]:
        assert {"type", "price", "currency", "networkCode", "networkName"} <= set(n)
        assert set(n) <= {"type", "price", "currency", "networkCode", "networkName", "mcc", "mnc", "ranges"}
        assert ("mcc" in n) == n["networkCode"].isdigit() == ("mnc" in n)
        assert all(isinstance(r, int) for r in n["ranges"])


def test_json_count_is_a_number(http, base, eur):
    body = assert_json(http.get(f"{base}/account/get-full-pricing/outbound/sms", auth=eur.basic))
    assert isinstance(body["count"], int) or (isinstance(body["count"], str) and body["count"].isdigit())
    assert int(body["count"]) == len(body["countries"]) == len(X.countries_with_calling_code())


def test_json_balance_value_is_a_number(http, base, eur):
    r = http.get(f"{base}/account/get-balance", params=eur.query)
    body = assert_json(r)
    assert body == {"value": 0, "autoReload": False}
    assert not isinstance(body["value"], str)
    assert assert_json(http.get(f"{base}/account/get-balance", auth=eur.basic)) == body


# -- credentials in the path (legacy forms) ------------------------------------------------------

def test_path_credentials_untyped_country(http, base, eur):
    body = assert_json(http.get(f"{base}/account/get-pricing/outbound/{eur.key}/{eur.secret}/LU"))
    lu = X.SMS["LU"]
    assert body["country"] == "LU" and body["name"] == lu.name and body["prefix"] == lu.prefix
    assert body["mt"] == X.v1_price(lu.default)
    assert body["countryDisplayName"] == lu.name
    assert sorted((n["code"], n["network"], n["mtPrice"]) for n in body["networks"]) == \
        sorted((n.code, n.name, X.v1_price(n.price)) for n in lu.networks)


@pytest.mark.parametrize("service", ["sms", "voice"])
def test_path_credentials_typed_country(http, base, eur, service):
    body = assert_json(http.get(f"{base}/account/get-pricing/outbound/{service}/{eur.key}/{eur.secret}/LU"))
    lu = X.PRODUCTS[service]["LU"]
    assert body["countryCode"] == "LU"
    assert body["defaultPrice"] == X.v1_price(lu.default)
    assert sorted((n["networkCode"], n["price"]) for n in body["networks"]) == \
        sorted((n.code, X.v1_price(n.price)) for n in lu.networks)


def test_path_credentials_prefix(http, base, eur):
    body = assert_json(http.get(f"{base}/account/get-prefix-pricing/outbound/{eur.key}/{eur.secret}/44"))
    assert body["count"] == 4
    assert sorted(p["country"] for p in body["prices"]) == X.countries_for_calling_code("44")
    gb = next(p for p in body["prices"] if p["country"] == "GB")
    assert gb["mt"] == X.v1_price(X.SMS["GB"].default)


@pytest.mark.parametrize("product,phone,iso,network,price", X.PHONES)
def test_path_credentials_phone(http, base, eur, product, phone, iso, network, price):
    body = assert_json(http.get(f"{base}/account/get-phone-pricing/outbound/{product}/{eur.key}/{eur.secret}/{phone}"))
    assert body["country-code"] == iso
    assert body["network-code"] == network
    assert body["phone"] == phone
    assert body["price"] == X.v1_price(price)


@pytest.mark.parametrize("path", [
    "/account/get-pricing/outbound/{key}/{bad}/LU",
    "/account/get-pricing/outbound/sms/{key}/{bad}/LU",
    "/account/get-prefix-pricing/outbound/{key}/{bad}/352",
    "/account/get-phone-pricing/outbound/sms/{key}/{bad}/352621123456",
])
def test_path_credentials_bad_secret(http, base, eur, path):
    r = http.get(base + path.format(key=eur.key, bad=eur.secret + "x"))
    assert assert_json(r, 401) == AUTH_401


# -- error statuses ------------------------------------------------------------------------------

@pytest.mark.parametrize("path,param", [
    ("/account/get-pricing/outbound/sms", "country"),
    ("/account/get-pricing/outbound/voice", "country"),
    ("/account/get-pricing/outbound", "country"),
    ("/account/get-prefix-pricing/outbound/sms", "prefix"),
    ("/account/get-prefix-pricing/outbound", "prefix"),
])
def test_400_missing_parameter(http, base, eur, path, param):
    body = assert_json(http.get(base + path, params=eur.query), 400)
    assert body == {"type": "BAD_REQUEST", "error_title": "Bad Request",
                    "invalid_parameters": {"parameter": param, "message": "Is required"}}


def test_400_invalid_country(http, base, eur):
    body = assert_json(http.get(f"{base}/account/get-pricing/outbound/sms", params={"country": "ZZ"}, auth=eur.basic), 400)
    assert body["type"] == "BAD_REQUEST" and body["error_title"] == "Bad Request"
    assert body["invalid_parameters"]["parameter"] == "country"


@pytest.mark.parametrize("path,params", [
    ("/account/get-pricing/outbound/sms", {"country": "LU"}),
    ("/account/get-pricing/outbound", {"country": "LU"}),
    ("/account/get-full-pricing/outbound/voice", {}),
    ("/account/get-prefix-pricing/outbound/sms", {"prefix": "352"}),
    ("/account/get-prefix-pricing/outbound", {"prefix": "352"}),
    ("/account/get-phone-pricing/outbound/sms", {"phone": "352621123456"}),
])
@pytest.mark.parametrize("how", ["query", "basic", "unknown-key", "none"])
def test_401_pricing(http, base, eur, path, params, how):
    bad = eur.secret + "x"
    if how == "query":
        r = http.get(base + path, params={**params, "api_key": eur.key, "api_secret": bad})
    elif how == "basic":
        r = http.get(base + path, params=params, auth=(eur.key, bad))
    elif how == "unknown-key":
        r = http.get(base + path, params=params, auth=("nosuchkey", eur.secret))
    else:
        r = http.get(base + path, params=params)
    assert assert_json(r, 401) == AUTH_401


@pytest.mark.parametrize("how", ["query", "basic", "none"])
def test_401_balance(http, base, eur, how):
    if how == "query":
        r = http.get(f"{base}/account/get-balance", params={"api_key": eur.key, "api_secret": "wrong"})
    elif how == "basic":
        r = http.get(f"{base}/account/get-balance", auth=(eur.key, "wrong"))
    else:
        r = http.get(f"{base}/account/get-balance")
    assert assert_json(r, 401) == BALANCE_401


@pytest.mark.parametrize("path", [
    "/account/get-pricing/outbound/fax?country=LU",
    "/account/get-pricing/outbound/sms-outbound?country=LU",
    "/account/get-full-pricing/outbound/mms",
    "/account/get-prefix-pricing/outbound/fax?prefix=352",
    "/account/get-phone-pricing/outbound/fax?phone=352621123456",
    "/account/get-phone-pricing/outbound/fax/{key}/{secret}/352621123456",
    "/account/get-pricing/outbound/fax/{key}/{secret}/LU",
    "/account/no-such-endpoint",
])
def test_404_unknown_product_or_path(http, base, eur, path):
    r = http.get(base + path.format(key=eur.key, secret=eur.secret), params=eur.query)
    assert_html(r, 404, "404 - Page does not exist")


@pytest.mark.parametrize("product,phone", [("sms", "ES"), ("voice", "ES"), ("sms", "34"), ("sms", "abc1234567")]
                         + X.UNPRICED_PHONES)
def test_420_method_failed(http, base, eur, product, phone):
    r = http.get(f"{base}/account/get-phone-pricing/outbound/{product}", params={"phone": phone, **eur.query})
    assert assert_json(r, 420) == METHOD_FAILED


def test_420_method_failed_path_form(http, base, eur):
    r = http.get(f"{base}/account/get-phone-pricing/outbound/sms/{eur.key}/{eur.secret}/ES")
    assert assert_json(r, 420) == METHOD_FAILED


@pytest.mark.parametrize("path,params", [
    ("/account/get-pricing/outbound/sms", {"country": "LU"}),
    ("/account/get-pricing/outbound/voice", {"country": "GB"}),
    ("/account/get-full-pricing/outbound/sms", {}),
    ("/account/get-prefix-pricing/outbound/sms", {"prefix": "44"}),
    ("/account/get-pricing/outbound", {"country": "LU"}),
    ("/account/get-prefix-pricing/outbound", {"prefix": "44"}),
    ("/account/get-phone-pricing/outbound/sms", {"phone": "352621123456"}),
    ("/account/get-phone-pricing/outbound/voice", {"phone": "352621123456"}),
    ("/account/get-balance", {}),
])
@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
def test_json_content_type_is_exact(http, base, eur, path, params, accept):
    headers = {"Accept": accept} if accept else {}
    assert_json(http.get(base + path, params={**params, **eur.query}, headers=headers))


# -- Pricing v2 ----------------------------------------------------------------------------------

def v2_url(base, product):
    return f"{base}/v2/account/pricing/{product}"


def check_link(href: str, base: str, product: str, page: int, page_size: int, country=None):
    parts = urlsplit(href)
    assert parts.scheme == "https", href
    assert parts.netloc == urlsplit(base).netloc, href
    assert parts.path == f"/v2/account/pricing/{product}", href
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert int(q["page"]) == page, href
    assert int(q["page_size"]) == page_size, href
    assert q.get("country") == country, href


def all_strings(page: dict):
    for k in ("page_size", "page", "total_items", "total_pages"):
        assert isinstance(page[k], str), (k, page[k])
    for row in page["_embedded"]["countries"]:
        for k, v in row.items():
            assert isinstance(v, str), (k, v)
    for name, link in page["_links"].items():
        assert isinstance(link["href"], str), name


def walk(http, base, account, product, page_size, country=None):
    """Follows _links.next from page 1; returns the pages."""
    params = {"page": 1, "page_size": page_size}
    if country:
        params["country"] = country
    r = http.get(v2_url(base, product), params=params, auth=account.basic)
    pages = []
    while True:
        body = assert_json(r)
        pages.append(body)
        assert len(pages) <= 100, "runaway paging"
        nxt = body["_links"].get("next")
        if not nxt:
            return pages
        r = http.get(nxt["href"], auth=account.basic)


@pytest.mark.parametrize("product", ["sms-outbound", "voice-outbound"])
@pytest.mark.parametrize("page_size", [1, 3, 4, 1000])
def test_v2_walk_next_visits_every_row_once(http, base, eur, product, page_size):
    expected = X.v2_rows(product)
    pages = walk(http, base, eur, product, page_size)
    total_pages = max(1, math.ceil(len(expected) / page_size))
    assert len(pages) == total_pages
    seen = []
    for i, page in enumerate(pages, start=1):
        all_strings(page)
        assert page["page"] == str(i)
        assert page["page_size"] == str(page_size)
        assert page["total_items"] == str(len(expected))
        assert page["total_pages"] == str(total_pages)
        rows = page["_embedded"]["countries"]
        assert len(rows) == (page_size if i < total_pages else len(expected) - page_size * (total_pages - 1))
        for row in rows:
            assert set(row) == set(X.V2_ROW_FIELDS), row
            seen.append(tuple(row[f] for f in X.V2_ROW_FIELDS))
        links = page["_links"]
        check_link(links["self"]["href"], base, product, i, page_size)
        check_link(links["first"]["href"], base, product, 1, page_size)
        check_link(links["last"]["href"], base, product, total_pages, page_size)
        if i < total_pages:
            check_link(links["next"]["href"], base, product, i + 1, page_size)
        else:
            assert "next" not in links
        if i > 1:
            check_link(links["prev"]["href"], base, product, i - 1, page_size)
        else:
            assert "prev" not in links
    dupes = [row for row, n in Counter(seen).items() if n > 1]
    assert not dupes, f"rows seen more than once: {dupes}"
    assert Counter(seen) == Counter(expected)


def test_v2_default_page(http, base, eur):
    body = assert_json(http.get(v2_url(base, "sms-outbound"), auth=eur.basic))
    assert body["page"] == "1" and body["page_size"] == "100" and body["total_pages"] == "1"
    assert body["total_items"] == str(len(X.v2_rows("sms-outbound")))


@pytest.mark.parametrize("product,country", [("sms-outbound", "LU"), ("voice-outbound", "GB"), ("sms-outbound", "lu")])
def test_v2_country_filter(http, base, eur, product, country):
    iso = country.upper()
    pages = walk(http, base, eur, product, 2, country=country)
    expected = X.v2_rows(product, only=iso)
    rows = [tuple(r[f] for f in X.V2_ROW_FIELDS) for p in pages for r in p["_embedded"]["countries"]]
    assert Counter(rows) == Counter(expected)
    for i, p in enumerate(pages, start=1):
        assert p["total_items"] == str(len(expected))
        check_link(p["_links"]["self"]["href"], base, product, i, 2, country=iso)


def test_v2_unpriced_country_is_empty(http, base, eur):
    body = assert_json(http.get(v2_url(base, "voice-outbound"), params={"country": "DE"}, auth=eur.basic))
    assert body["total_items"] == "0"
    assert body["_embedded"]["countries"] == []


@pytest.mark.parametrize("product", ["sms-outbound", "voice-outbound"])
def test_v2_account_currency(http, base, usd, product):
    pages = walk(http, base, usd, product, 5)
    rows = [tuple(r[f] for f in X.V2_ROW_FIELDS) for p in pages for r in p["_embedded"]["countries"]]
    assert Counter(rows) == Counter(X.v2_rows(product, "USD"))


def test_v2_page_past_the_end(http, base, eur):
    body = assert_json(http.get(v2_url(base, "sms-outbound"), params={"page": 99, "page_size": 5}, auth=eur.basic))
    assert body["_embedded"]["countries"] == []
    assert body["total_items"] == str(len(X.v2_rows("sms-outbound")))
    assert "next" not in body["_links"]


@pytest.mark.parametrize("params", [{"page_size": 0}, {"page_size": 1001}, {"page_size": -1}, {"page_size": "x"},
                                    {"page": 0}, {"page": "x"}])
def test_v2_bad_paging_is_400_problem(http, base, eur, params):
    assert_problem(http.get(v2_url(base, "sms-outbound"), params=params, auth=eur.basic), 400)


@pytest.mark.parametrize("page_size", [1, 1000])
def test_v2_page_size_bounds_accepted(http, base, eur, page_size):
    body = assert_json(http.get(v2_url(base, "sms-outbound"), params={"page_size": page_size}, auth=eur.basic))
    assert body["page_size"] == str(page_size)


def test_v2_invalid_country_is_400_problem(http, base, eur):
    assert_problem(http.get(v2_url(base, "sms-outbound"), params={"country": "ZZ"}, auth=eur.basic), 400)


@pytest.mark.parametrize("how", ["none", "bad-secret", "unknown-key", "query-only"])
def test_v2_401_problem(http, base, eur, how):
    url = v2_url(base, "sms-outbound")
    if how == "none":
        r = http.get(url)
    elif how == "bad-secret":
        r = http.get(url, auth=(eur.key, eur.secret + "x"))
    elif how == "unknown-key":
        r = http.get(url, auth=("nosuchkey", eur.secret))
    else:  # v2 takes Basic only: the v1 query credentials are not enough
        r = http.get(url, params=eur.query)
    assert_problem(r, 401)


@pytest.mark.parametrize("product", ["sms", "voice", "fax-outbound"])
def test_v2_unknown_product_is_404(http, base, eur, product):
    r = http.get(v2_url(base, product), auth=eur.basic)
    assert r.status_code == 404
    assert_problem(r, 404)


# -- rate limit (the server started with the default 1 request/s per key) ------------------------

def assert_429(r: requests.Response):
    assert_html(r, 429, "429 - Too many requests")
    assert "Retry-After" in r.headers, "429 must say when to retry"
    assert int(r.headers["Retry-After"]) >= 1


def test_429_v1_second_quick_request(config):
    acct = config.account("rl_v1")
    url = f"{config.rate_limited_url}/account/get-pricing/outbound/sms"
    with requests.Session() as s:
        first = s.get(url, params={"country": "LU", **acct.query})
        second = s.get(url, params={"country": "LU", **acct.query})
        assert_json(first)
        assert_429(second)
        # Another key has its own budget.
        other = config.account("rl_other")
        assert_json(s.get(url, params={"country": "LU"}, auth=other.basic))
        # After Retry-After seconds the key may ask again.
        time.sleep(int(second.headers["Retry-After"]) + 0.1)
        assert_json(s.get(url, params={"country": "LU"}, auth=acct.basic))


def test_429_shared_by_every_credential_form(config):
    acct = config.account("rl_forms")
    base = config.rate_limited_url
    with requests.Session() as s:
        assert_json(s.get(f"{base}/account/get-pricing/outbound/{acct.key}/{acct.secret}/LU"))
        assert_429(s.get(f"{base}/account/get-prefix-pricing/outbound/sms", params={"prefix": "352"}, auth=acct.basic))
        assert_429(s.get(f"{base}/account/get-phone-pricing/outbound/sms/{acct.key}/{acct.secret}/352621123456"))


def test_429_v2(config):
    acct = config.account("rl_v2")
    url = f"{config.rate_limited_url}/v2/account/pricing/sms-outbound"
    with requests.Session() as s:
        assert_json(s.get(url, auth=acct.basic))
        second = s.get(url, auth=acct.basic)
        assert second.status_code == 429
        assert int(second.headers["Retry-After"]) >= 1


def test_rate_limit_spares_the_balance(config):
    acct = config.account("rl_balance")
    with requests.Session() as s:
        for _ in range(3):
            assert_json(s.get(f"{config.rate_limited_url}/account/get-balance", params=acct.query))


def test_no_rate_limit_when_off(http, base, eur):
    for _ in range(5):
        assert_json(http.get(f"{base}/account/get-pricing/outbound/sms", params={"country": "LU"}, auth=eur.basic))


# -- odds and ends -------------------------------------------------------------------------------

def test_lowercase_country(http, base, eur):
    body = assert_json(http.get(f"{base}/account/get-pricing/outbound/sms", params={"country": "lu"}, auth=eur.basic))
    assert body["countryCode"] == "LU"
    assert body["defaultPrice"] == X.v1_price(X.SMS["LU"].default)


def test_balance_path_credentials(http, base, eur):
    assert assert_json(http.get(f"{base}/account/get-balance/{eur.key}/{eur.secret}")) == {"value": 0, "autoReload": False}
    assert assert_json(http.get(f"{base}/account/get-balance/{eur.key}/wrong"), 401) == BALANCE_401


def test_v2_links_follow_the_host_the_client_used(http, base, eur):
    port = urlsplit(base).port
    local = f"https://localhost:{port}"
    body = assert_json(http.get(v2_url(local, "sms-outbound"), params={"page_size": 5}, auth=eur.basic))
    for name in ("self", "first", "last", "next"):
        assert urlsplit(body["_links"][name]["href"]).netloc == f"localhost:{port}", body["_links"][name]


# An account whose currency has no exchange rate from the deck's EUR: the prices cannot be shown.
# Whatever the server does, it must answer with the dialect's 500 body, never a bare 500.

@pytest.mark.parametrize("path,params", [
    ("/account/get-pricing/outbound/sms", {"country": "LU"}),
    ("/account/get-full-pricing/outbound/voice", {}),
    ("/account/get-phone-pricing/outbound/sms", {"phone": "352621123456"}),
])
def test_unconvertible_currency_is_vonage_500(http, base, config, path, params):
    gbp = config.account("gbp")
    r = http.get(base + path, params={**params, **gbp.query})
    assert assert_json(r, 500) == {"error-code": "500", "error-code-label": "unknown error"}


def test_unconvertible_currency_v2_is_500_problem(http, base, config):
    gbp = config.account("gbp")
    assert_problem(http.get(v2_url(base, "sms-outbound"), auth=gbp.basic), 500)


# -- a scheduled price change comes into force without a new import -----------------------------

def test_scheduled_change_comes_into_force(config):
    """Prices are versions with effective dates: a change imported ahead of time must be served
    from its instant on by every v1/v2 form, not only by phone pricing. Runs on a server with a
    database of its own, into which it imports fixtures/scheduled-change.csv (LU SMS 0.011 -> 0.013)."""
    import subprocess
    from datetime import datetime, timedelta, timezone

    sch = config.scheduled
    base, auth = sch["url"], (sch["key"], sch["secret"])
    with requests.Session() as s:
        def version() -> int:
            return s.get(f"{base}/health").json()["deck_version"]

        def served() -> dict:
            country = assert_json(s.get(f"{base}/account/get-pricing/outbound/sms", params={"country": "LU"}, auth=auth))
            legacy = assert_json(s.get(f"{base}/account/get-pricing/outbound", params={"country": "LU"}, auth=auth))
            phone = assert_json(s.get(f"{base}/account/get-phone-pricing/outbound/sms", params={"phone": "35222123456"}, auth=auth))
            v2 = assert_json(s.get(f"{base}/v2/account/pricing/sms-outbound", params={"country": "LU"}, auth=auth))
            return {
                "get-pricing/outbound/sms defaultPrice": country["defaultPrice"],
                "get-pricing/outbound mt": legacy["mt"],
                "get-phone-pricing (LU fixed) price": phone["price"],
                "v2 ALL price": next(r["price"] for r in v2["_embedded"]["countries"] if r["dest_network_type"] == "ALL"),
            }

        old = {"get-pricing/outbound/sms defaultPrice": "0.01100000", "get-pricing/outbound mt": "0.01100000",
               "get-phone-pricing (LU fixed) price": "0.01100000", "v2 ALL price": "0.011"}
        new = {"get-pricing/outbound/sms defaultPrice": "0.01300000", "get-pricing/outbound mt": "0.01300000",
               "get-phone-pricing (LU fixed) price": "0.01300000", "v2 ALL price": "0.013"}
        assert served() == old

        start = version()
        at = (datetime.now(timezone.utc) + timedelta(seconds=6)).replace(microsecond=0)
        # A rise 6 seconds ahead: far less than the 7 days' notice imports ask for by default.
        subprocess.run([sch["tariff"], "import", sch["deck"], "--partial", "--allow-short-notice", "--effective-from",
                        at.strftime("%Y-%m-%dT%H:%M:%SZ"), "--database", sch["database"]],
                       check=True, capture_output=True, text=True)
        deadline = time.monotonic() + 15
        while version() == start:
            assert time.monotonic() < deadline, "the server did not publish the new deck version"
            time.sleep(0.2)
        if datetime.now(timezone.utc) < at - timedelta(seconds=0.5):
            assert served() == old, "the change is scheduled: not yet in force"
        time.sleep(max(0.0, (at - datetime.now(timezone.utc)).total_seconds()) + 1.0)
        assert served() == new, "the scheduled change is in force: every form must show it"
