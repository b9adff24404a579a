"""Voximplant's platform API on Tariff: every pricing and account method through the official
SDK (voximplant-apiclient 2.12.0), the other transports (multipart, GET, method in the path,
the older account_id + api_key parameters), each error code, and service-account tokens that
must be refused: forged, expired, too long-lived, wrongly issued, signed with a revoked key.

Prices follow from fixtures/voximplant-rates.csv and fixtures/voximplant-numbers.csv (EUR),
shown to a USD account at 1 EUR = 1.25 USD.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import subprocess
import time
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from voximplant.apiclient import VoximplantAPI, VoximplantException


@pytest.fixture(scope="module")
def vox(config) -> dict:
    return config.voximplant


@pytest.fixture(scope="module")
def sdk(vox) -> VoximplantAPI:
    return VoximplantAPI(str(Path(vox["credentials_dir"]) / "credentials.json"), endpoint=vox["endpoint"])


@pytest.fixture(scope="module")
def credentials(vox) -> dict:
    return json.loads((Path(vox["credentials_dir"]) / "credentials.json").read_text())


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(credentials: dict, *, key=None, kid=None, iss=None, iat=None, exp=None, algorithm="RS256") -> str:
    """A service-account token as the SDKs make it (Python: `iss` a string, iat = now - 5, exp = now + 24),
    signed here rather than by PyJWT, which refuses to write a numeric `iss` as Node and Go send it."""
    now = int(time.time())
    claims = {"iss": str(credentials["account_id"]) if iss is None else iss, "iat": now - 5 if iat is None else iat,
              "exp": now + 24 if exp is None else exp}
    header = {"alg": algorithm, "typ": "JWT", "kid": kid or credentials["key_id"]}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}".encode()
    if algorithm == "HS256":
        signature = hmac.new(key.encode(), signing_input, hashlib.sha256).digest()
    else:
        pem = key if key is not None else credentials["private_key"].encode()
        private = serialization.load_pem_private_key(pem, password=None)
        signature = private.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input.decode()}.{b64url(signature)}"


def call(vox: dict, method: str, *, bearer: str | None = None, data: dict | None = None, files=None,
         get: bool = False, path_method: bool = False) -> dict:
    url = vox["url"] + "/platform_api" + (f"/{method}" if path_method or get else "")
    fields = dict(data or {})
    if not (path_method or get):
        fields["cmd"] = method
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    if get:
        response = requests.get(url + "/", params=fields, headers=headers, timeout=10)
    else:
        response = requests.post(url, data=None if files else fields, files=files, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].split(";")[0] == "application/json"
    return response.json()


def error_code(body: dict) -> int | None:
    return body.get("error", {}).get("code")


# --- the SDK's methods ---------------------------------------------------------------------------

def test_account_info(sdk, vox):
    res = sdk.get_account_info()
    info = res["result"]
    assert info["account_id"] == vox["account_id"]
    assert info["account_email"] == "vox@example.com"
    assert info["currency"] == "USD"
    assert info["balance"] == 0 and info["credit_limit"] == 0
    # The SDK parses `created` with "%Y-%m-%d %H:%M:%S": it must come back as a datetime.
    assert isinstance(info["created"], datetime.datetime)
    assert res["api_address"]


def test_resource_price_groups(sdk):
    res = sdk.get_resource_price(resource_type=["PSTNOUT_EEA", "SMSOUT"])
    eea, sms = res["result"]
    assert eea["resource_type"] == "PSTNOUT_EEA" and sms["resource_type"] == "SMSOUT"
    fixed = next(g for g in eea["price_groups"] if g["price_group_name"] == "Germany Fixed")
    assert fixed["price"] == 0.02
    assert fixed["num_resources_per_price"] == 60 and fixed["quantum"] == 6
    assert fixed["params"]["allowed"] == ["49"]
    assert isinstance(fixed["price_group_id"], int)
    assert sms["price_groups"][0]["price"] == 0.05 and sms["price_groups"][0]["quantum"] == 1


def test_resource_price_for_a_number(sdk):
    res = sdk.get_resource_price(resource_param="4990012345", resource_type="PSTN_INTERNATIONAL")
    [group] = res["result"][0]["price_groups"]
    assert group["price_group_name"] == "Germany Premium"
    assert group["price"] == 1.5 and group["connect_fee"] == 0.1 and group["quantum"] == 1
    assert group["params"]["requested"] == ["4990012345"]
    by_id = sdk.get_resource_price(price_group_id=group["price_group_id"])
    assert [g["price_group_name"] for r in by_id["result"] for g in r["price_groups"]] == ["Germany Premium"]
    by_name = sdk.get_resource_price(resource_type="PSTN_OUT_INCOUNTRY", price_group_name="Mexico%")
    assert [g["price_group_name"] for g in by_name["result"][0]["price_groups"]] == ["Mexico Fixed", "Mexico Mobile"]


def test_phone_number_regions_in_both_currencies(sdk):
    [region] = sdk.get_phone_number_regions(country_code="MX", phone_category_name="GEOGRAPHIC")["result"]
    assert region["phone_region_name"] == "Mexico City" and region["phone_region_code"] == "55"
    assert (region["local_price"], region["local_installation_price"], region["local_currency"]) == (4.8, 9.6, "EUR")
    assert (region["account_price"], region["account_installation_price"], region["account_currency"]) == (6, 12, "USD")
    assert (region["phone_price"], region["phone_installation_price"]) == (6, 12)
    assert region["phone_period"] == "0-1-0 0:0:0" and isinstance(region["phone_region_id"], int)


def test_subscription_prices(sdk):
    res = sdk.get_subscription_price(subscription_template_type="PHONE_NUM")
    assert res["total_count"] == 6
    by_name = {t["subscription_template_name"]: t for t in res["result"]}
    co = by_name["Phone CO TOLLFREE"]
    assert (co["installation_price"], co["price"]) == (3, 15)
    assert (co["installation_price_in_currency"], co["price_in_currency"], co["currency"], co["currency_id"]) == (2.4, 12, "EUR", 978)
    page = sdk.get_subscription_price(count=2, offset=1)
    assert page["count"] == 2 and [t["subscription_template_id"] for t in page["result"]] == \
        [t["subscription_template_id"] for t in res["result"][1:3]]


def test_currency_rate_is_an_object_per_usd(sdk):
    assert sdk.get_currency_rate(currency=["EUR", "USD"])["result"] == {"EUR": 0.8, "USD": 1}
    assert sdk.get_currency_rate(currency="EUR", date="2026-03-01")["result"] == {"EUR": 0.8}


def test_transaction_history_is_empty_with_its_shape(sdk):
    res = sdk.get_transaction_history(from_date=datetime.datetime(2026, 1, 1), to_date=datetime.datetime(2026, 12, 31, 23, 59, 59))
    assert res == {"result": [], "total_count": 0, "count": 0, "timezone": "Etc/GMT"}


def test_phone_number_categories_for_every_country(sdk):
    countries = {c["country_code"]: c for c in sdk.get_phone_number_categories()["result"]}
    assert set(countries) == {"CO", "MX"}
    assert countries["MX"]["phone_prefix"] == "52"
    categories = {c["phone_category_name"]: c for c in countries["CO"]["phone_categories"]}
    assert categories["TOLLFREE"]["incoming_calls_resource_name"] == "PSTN_IN_TOLLFREE_CO"
    # No resource named in the numbers file: the inbound rows' resource for that category.
    assert categories["GEOGRAPHIC"]["incoming_calls_resource_name"] == "PSTN_IN_LOCAL"


# --- transports --------------------------------------------------------------------------------

def test_multipart_transport(vox, credentials):
    fields = {"currency": (None, "EUR;USD")}
    body = call(vox, "GetCurrencyRate", bearer=token(credentials), files={"cmd": (None, "GetCurrencyRate"), **fields})
    assert body == {"result": {"EUR": 0.8, "USD": 1}}


def test_get_transport_and_method_in_the_path(vox, credentials):
    body = call(vox, "GetPhoneNumberCategories", bearer=token(credentials), data={"country_code": "MX"}, get=True)
    assert body["result"][0]["country_code"] == "MX"
    posted = call(vox, "GetAccountInfo", bearer=token(credentials), path_method=True)
    assert posted["result"]["account_id"] == vox["account_id"]


def test_legacy_account_id_and_api_key(vox):
    body = call(vox, "GetAccountInfo", data={"account_id": vox["account_id"], "api_key": vox["api_secret"]})
    assert body["result"]["account_id"] == vox["account_id"]
    by_name = call(vox, "GetAccountInfo", data={"account_name": "conformance-vox", "api_key": vox["api_secret"]})
    assert by_name["result"]["account_id"] == vox["account_id"]
    assert error_code(call(vox, "GetAccountInfo", data={"account_id": vox["account_id"], "api_key": "wrong"})) == 100


def test_node_style_token_with_a_numeric_issuer(vox, credentials):
    now = int(time.time())
    body = call(vox, "GetAccountInfo", bearer=token(credentials, iss=int(credentials["account_id"]), iat=now, exp=now + 64))
    assert body["result"]["account_id"] == vox["account_id"]


# --- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, data, code", [
    (None, {}, 102),                                                          # no cmd
    ("SetAccountInfo", {}, 103),                                              # a method Tariff does not serve
    ("GetPhoneNumberRegions", {"country_code": "MX"}, 101),                   # phone_category_name missing
    ("GetResourcePrice", {"price_group_id": "x"}, 101),                       # not an id
    ("GetAccountInfo", {"return_live_balance": "maybe"}, 101),                # not a boolean
    ("GetCurrencyRate", {"currency": "XXX"}, 101),                            # not a currency
    ("GetAccountInfo", {"output": "csv"}, 105),                               # output format
    ("GetTransactionHistory", {"from_date": "01/01/2026", "to_date": "2026-12-31 00:00:00"}, 111),
])
def test_error_codes(vox, credentials, method, data, code):
    if method is None:
        response = requests.post(vox["url"] + "/platform_api", data=data, headers={"Authorization": f"Bearer {token(credentials)}"}, timeout=10)
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
        body = response.json()
    else:
        body = call(vox, method, bearer=token(credentials), data=data)
    assert error_code(body) == code, body
    assert body["error"]["msg"]


def test_the_sdk_raises_voximplant_exceptions(sdk):
    with pytest.raises(VoximplantException) as raised:
        sdk.get_phone_number_regions(country_code="MX", phone_category_name="")
    assert raised.value.code == 101


def forged_key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


@pytest.mark.parametrize("case", ["forged", "expired", "lifetime over an hour", "issued in the future", "wrong issuer",
                                  "unknown key", "HS256", "alg none", "no token"])
def test_refused_tokens(vox, credentials, case):
    now = int(time.time())
    tokens = {
        "forged": lambda: token(credentials, key=forged_key()),
        "expired": lambda: token(credentials, iat=now - 7200, exp=now - 3600),
        "lifetime over an hour": lambda: token(credentials, iat=now - 5, exp=now + 3700),
        "issued in the future": lambda: token(credentials, iat=now + 600, exp=now + 700),
        "wrong issuer": lambda: token(credentials, iss=str(int(credentials["account_id"]) + 1000)),
        "unknown key": lambda: token(credentials, kid="00000000-0000-0000-0000-000000000000"),
        "HS256": lambda: token(credentials, key="secret", algorithm="HS256"),
        # A valid token's claims under an unsigned header.
        "alg none": lambda: ".".join([b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": credentials["key_id"]}).encode()),
                                      token(credentials).split(".")[1], ""]),
        "no token": lambda: None,
    }
    body = call(vox, "GetAccountInfo", bearer=tokens[case]())
    assert error_code(body) == 100, body


def test_a_revoked_key_stops_working(vox):
    second = json.loads(Path(vox["second_credentials"]).read_text())
    assert "result" in call(vox, "GetAccountInfo", bearer=token(second))
    subprocess.run([vox["tariff"], "account", "key-revoke", "--key-id", second["key_id"], "--database", vox["database"]],
                   check=True, capture_output=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if error_code(call(vox, "GetAccountInfo", bearer=token(second))) == 100:
            return
        time.sleep(0.5)
    pytest.fail("a revoked key was still accepted after 10 s")
