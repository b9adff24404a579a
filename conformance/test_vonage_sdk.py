"""The official Python SDKs against Tariff: `vonage` 4.9.1 (vonage-account 1.1.2, Basic auth,
typed paths) and `nexmo` 2.5.2 (query auth, untyped legacy paths, port 443 only).

Every expected value comes from fixtures/deck.csv through expected.py.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import nexmo
import pytest
from vonage import Auth, HttpClientOptions, Vonage
from vonage_account.requests import GetCountryPricingRequest, GetPrefixPricingRequest, ServiceType
from vonage_account.responses import Balance, GetMultiplePricingResponse, GetPricingResponse
from vonage_http_client.errors import AuthenticationError, HttpRequestError, RateLimitedError

import expected as X


def host_of(url: str) -> str:
    return urlsplit(url).netloc


def vonage_client(url: str, account, **options) -> Vonage:
    host = host_of(url)
    return Vonage(Auth(api_key=account.key, api_secret=account.secret),
                  HttpClientOptions(rest_host=host, api_host=host, **options))


@pytest.fixture(scope="module")
def client(config, eur):
    return vonage_client(config.url, eur)


@pytest.fixture(scope="module")
def client_usd(config, usd):
    return vonage_client(config.url, usd)


def nexmo_client(config, account) -> nexmo.Client:
    c = nexmo.Client(key=account.key, secret=account.secret)
    c.host(config.nexmo_host)
    c.api_host(config.nexmo_host)
    assert c.host() == config.nexmo_host
    return c


@pytest.fixture(scope="module")
def nx(config, eur):
    return nexmo_client(config, eur)


# -- vonage 4.9.1 -------------------------------------------------------------------------------

def check_country(resp: GetPricingResponse, country: X.Country, currency: str):
    assert isinstance(resp, GetPricingResponse)
    assert resp.country_code == country.iso
    assert resp.country_name == country.name
    assert resp.country_display_name == country.name
    assert resp.dialing_prefix == country.prefix
    assert resp.currency == currency
    assert resp.default_price == (X.v1_price(country.default, currency) if country.default else None)
    assert resp.networks is not None
    got = {n.network_code: n for n in resp.networks}
    assert sorted(got) == sorted(n.code for n in country.networks), "network codes"
    assert len(resp.networks) == len(country.networks), "each network once"
    for net in country.networks:
        n = got[net.code]
        assert n.type == net.type, net.code
        assert n.price == X.v1_price(net.price, currency), net.code
        assert n.currency == currency, net.code
        assert n.network_name == net.name, net.code
        assert n.mcc == net.mcc, net.code
        assert n.mnc == net.mnc, net.code
        assert sorted(n.ranges or []) == net.expected_ranges(country.iso), net.code
        for r in n.ranges or []:
            assert str(r).startswith(country.prefix), (net.code, r)


def check_unpriced(resp: GetPricingResponse, iso: str):
    assert resp.country_code == iso
    assert resp.country_name == X.country_name(iso)
    assert resp.default_price is None
    assert resp.networks is None


COUNTRY_CASES = [(t, iso) for t, book in X.PRODUCTS.items() for iso in sorted(book)]


@pytest.mark.parametrize("service,iso", COUNTRY_CASES)
def test_vonage_country_pricing(client, service, iso):
    resp = client.account.get_country_pricing(GetCountryPricingRequest(country_code=iso, type=ServiceType(service)))
    check_country(resp, X.PRODUCTS[service][iso], "EUR")
    sent = client.http_client.last_request
    assert sent.headers["Authorization"].startswith("Basic ")
    assert urlsplit(sent.url).path == f"/account/get-pricing/outbound/{service}"


def test_vonage_country_pricing_defaults_to_sms(client):
    resp = client.account.get_country_pricing(GetCountryPricingRequest(country_code="LU"))
    check_country(resp, X.SMS["LU"], "EUR")


@pytest.mark.parametrize("service,iso", [("sms", "LU"), ("sms", "ES"), ("voice", "LU"), ("voice", "GB")])
def test_vonage_country_pricing_in_account_currency(client_usd, service, iso):
    resp = client_usd.account.get_country_pricing(GetCountryPricingRequest(country_code=iso, type=ServiceType(service)))
    check_country(resp, X.PRODUCTS[service][iso], "USD")


@pytest.mark.parametrize("service,iso", [("sms", "DE"), ("voice", "ES"), ("voice", "US")])
def test_vonage_country_pricing_unpriced_country(client, service, iso):
    resp = client.account.get_country_pricing(GetCountryPricingRequest(country_code=iso, type=ServiceType(service)))
    check_unpriced(resp, iso)
    assert resp.currency == "EUR"


@pytest.mark.parametrize("service", ["sms", "sms-transit", "voice"])
def test_vonage_all_countries_pricing(client, service):
    resp = client.account.get_all_countries_pricing(ServiceType(service))
    assert isinstance(resp, GetMultiplePricingResponse)
    isos = X.countries_with_calling_code()
    assert resp.count == len(isos)
    codes = [c.country_code for c in resp.countries]
    assert sorted(codes) == isos, "every country with a calling code, once"
    book = X.PRODUCTS[service]
    for c in resp.countries:
        if c.country_code in book:
            check_country(c, book[c.country_code], "EUR")
        else:
            check_unpriced(c, c.country_code)


def test_vonage_all_countries_pricing_usd(client_usd):
    resp = client_usd.account.get_all_countries_pricing(ServiceType.SMS)
    priced = {c.country_code: c for c in resp.countries if c.default_price is not None}
    assert sorted(priced) == sorted(X.SMS)
    for iso, c in priced.items():
        check_country(c, X.SMS[iso], "USD")
    assert {c.currency for c in resp.countries} == {"USD"}


@pytest.mark.parametrize("service,prefix", [("sms", "44"), ("sms", "352"), ("sms", "1"), ("voice", "1"), ("voice", "44"), ("sms", "49")])
def test_vonage_prefix_pricing(client, service, prefix):
    resp = client.account.get_prefix_pricing(GetPrefixPricingRequest(prefix=prefix, type=ServiceType(service)))
    isos = X.countries_for_calling_code(prefix)
    assert isos, "the reference data knows the calling code"
    assert resp.count == len(isos)
    assert sorted(c.country_code for c in resp.countries) == isos
    book = X.PRODUCTS[service]
    for c in resp.countries:
        assert c.dialing_prefix == prefix
        if c.country_code in book:
            check_country(c, book[c.country_code], "EUR")
        else:
            check_unpriced(c, c.country_code)


def test_vonage_prefix_pricing_unknown_prefix_is_empty(client):
    # 999 is no country's calling code: Vonage answers {"count": 0, "countries": []}.
    resp = client.account.get_prefix_pricing(GetPrefixPricingRequest(prefix="999", type=ServiceType.SMS))
    assert resp.count == 0
    assert resp.countries == []


def test_vonage_balance(client):
    balance = client.account.get_balance()
    assert isinstance(balance, Balance)
    assert balance.value == 0.0
    assert balance.auto_reload is False
    assert client.http_client.last_request.headers["Authorization"].startswith("Basic ")


def test_vonage_bad_secret(config, eur):
    bad = vonage_client(config.url, type(eur)(eur.key, eur.secret + "x", eur.currency))
    with pytest.raises(AuthenticationError) as err:
        bad.account.get_country_pricing(GetCountryPricingRequest(country_code="LU"))
    assert err.value.response.status_code == 401
    assert err.value.response.json() == {"currency": "EUR", "code": "401", "error-code-label": "authentication failed"}
    with pytest.raises(AuthenticationError) as err:
        bad.account.get_balance()
    assert err.value.response.json() == {"error-code": "401", "error-code-label": "authentication failed"}


def test_vonage_invalid_country_is_400(client):
    with pytest.raises(HttpRequestError) as err:
        client.account.get_country_pricing(GetCountryPricingRequest(country_code="ZZ"))
    assert err.value.response.status_code == 400
    body = err.value.response.json()
    assert body["type"] == "BAD_REQUEST"
    assert body["error_title"] == "Bad Request"
    assert "country" in str(body["invalid_parameters"])


def test_vonage_rides_out_429_with_retry_after(config):
    """On the 1 request/s server, the SDK's urllib3 retry honours Retry-After: a second call
    right after the first waits and succeeds."""
    c = vonage_client(config.rate_limited_url, config.account("rl_sdk"))
    first = c.account.get_country_pricing(GetCountryPricingRequest(country_code="LU"))
    start = time.monotonic()
    second = c.account.get_country_pricing(GetCountryPricingRequest(country_code="LU"))
    waited = time.monotonic() - start
    assert first == second
    check_country(second, X.SMS["LU"], "EUR")
    assert waited >= 0.5, f"the second request should have waited for Retry-After (took {waited:.2f}s)"


def test_vonage_rate_limited_error_without_retries(config):
    c = vonage_client(config.rate_limited_url, config.account("rl_sdk_noretry"), max_retries=0)
    c.account.get_country_pricing(GetCountryPricingRequest(country_code="LU"))
    with pytest.raises(RateLimitedError) as err:
        c.account.get_country_pricing(GetCountryPricingRequest(country_code="LU"))
    assert err.value.response.status_code == 429
    assert int(err.value.response.headers["Retry-After"]) >= 1


# -- nexmo 2.5.2 (untyped legacy paths, query credentials, port 443) ------------------------------

def legacy_country(country: X.Country, currency: str = "EUR") -> dict:
    body = {
        "country": country.iso, "name": country.name, "prefix": country.prefix,
        "countryDisplayName": country.name,
        "networks": sorted(({"code": n.code, "network": n.name, "mtPrice": X.v1_price(n.price, currency)}
                            for n in country.networks), key=lambda n: n["code"]),
    }
    if country.default is not None:
        body["mt"] = X.v1_price(country.default, currency)
    return body


def normalise_legacy(body: dict) -> dict:
    return dict(body, networks=sorted(body["networks"], key=lambda n: n["code"]))


def test_nexmo_host_is_bare_ip_on_443(nx, config):
    # nexmo builds "https://{host}{path}": no port, so Tariff must listen on 443.
    assert ":" not in nx.host()
    with pytest.raises(Exception):
        nx.host("127.0.0.1:8443")


@pytest.mark.parametrize("iso", sorted(X.SMS))
def test_nexmo_country_pricing(nx, iso):
    body = nx.get_country_pricing(iso)
    assert isinstance(body, dict), "a JSON body with Content-Type application/json (nexmo returns bytes otherwise)"
    assert normalise_legacy(body) == legacy_country(X.SMS[iso])


def test_nexmo_country_pricing_usd(config, usd):
    body = nexmo_client(config, usd).get_country_pricing("LU")
    assert normalise_legacy(body) == legacy_country(X.SMS["LU"], "USD")


def test_nexmo_country_pricing_unpriced(nx):
    body = nx.get_country_pricing("DE")
    assert body["country"] == "DE"
    assert body["name"] == "Germany"
    assert body["prefix"] == "49"
    assert "mt" not in body
    assert body["networks"] == []


@pytest.mark.parametrize("prefix", ["44", "352", "1"])
def test_nexmo_prefix_pricing(nx, prefix):
    body = nx.get_prefix_pricing(prefix)
    assert isinstance(body, dict)
    isos = X.countries_for_calling_code(prefix)
    assert int(body["count"]) == len(isos)
    assert "countries" not in body, "the legacy collection key is 'prices'"
    assert sorted(p["country"] for p in body["prices"]) == isos
    for p in body["prices"]:
        if p["country"] in X.SMS:
            assert normalise_legacy(p) == legacy_country(X.SMS[p["country"]])
        else:
            assert p["name"] == X.country_name(p["country"])
            assert p["prefix"] == prefix
            assert p["countryDisplayName"] == p["name"]
            assert "mt" not in p
            assert p["networks"] == []


@pytest.mark.parametrize("product,phone,iso,network,price", X.PHONES)
def test_nexmo_phone_pricing(nx, product, phone, iso, network, price):
    call = nx.get_sms_pricing if product == "sms" else nx.get_voice_pricing
    body = call(phone)
    assert isinstance(body, dict)
    assert body["country-code"] == iso
    assert body["network-code"] == network
    assert body["phone"] == phone
    assert body["price"] == X.v1_price(price)


def test_nexmo_phone_pricing_usd(config, usd):
    body = nexmo_client(config, usd).get_sms_pricing("352621123456")
    assert body["price"] == X.v1_price("0.0115", "USD") == "0.01437500"


@pytest.mark.parametrize("product,phone", X.UNPRICED_PHONES + [("sms", "ES"), ("voice", "44")])
def test_nexmo_phone_pricing_method_failed(nx, product, phone):
    call = nx.get_sms_pricing if product == "sms" else nx.get_voice_pricing
    with pytest.raises(nexmo.ClientError) as err:
        call(phone)
    assert not isinstance(err.value, nexmo.AuthenticationError)
    assert str(err.value).startswith("420 response from")


def test_nexmo_balance(nx):
    body = nx.get_balance()
    assert body == {"value": 0.0, "autoReload": False}
    assert isinstance(body["value"], (int, float)) and not isinstance(body["value"], bool)


def test_nexmo_bad_secret(config, eur):
    c = nexmo.Client(key=eur.key, secret=eur.secret + "x")
    c.host(config.nexmo_host)
    for call in (lambda: c.get_country_pricing("LU"), c.get_balance, lambda: c.get_sms_pricing("352621123456"),
                 lambda: c.get_prefix_pricing("352")):
        with pytest.raises(nexmo.AuthenticationError):
            call()
