"""Billing through the official Voximplant SDK (voximplant-apiclient 2.12.0) against `tariff serve`:
usage posted through Tariff's native API, then numbers rented, listed and given back, the balance
and the history read, and the money needed for renewals, all with the SDK's own calls and its
own parsing of dates and numbers.

Fees follow from fixtures/voximplant-numbers.csv (EUR) at 1 EUR = 1.25 USD for the USD account:
MX GEOGRAPHIC region 55 (Mexico City) is 9.6 + 4.8 EUR = 12 + 6 USD; the country's is 8 + 4 EUR =
10 + 5 USD. The test tops the account up with 200 USD first, with `tariff account credit`: the
running server reads the ledger from the database it shares.
"""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from voximplant.apiclient import VoximplantAPI, VoximplantException


@pytest.fixture(scope="module")
def vox(config) -> dict:
    return config.voximplant


@pytest.fixture(scope="module")
def sdk(vox) -> VoximplantAPI:
    return VoximplantAPI(str(Path(vox["credentials_dir"]) / "credentials.json"), endpoint=vox["endpoint"])


def balance(sdk) -> Decimal:
    return Decimal(str(sdk.get_account_info()["result"]["balance"]))


def test_rent_list_deactivate_and_read_the_money(sdk, vox):
    before = balance(sdk)
    subprocess.run([vox["tariff"], "account", "credit", str(vox["account_id"]), "200", "--database", vox["database"]],
                   check=True, capture_output=True)
    start = balance(sdk)
    assert start == before + 200
    # Usage through the native API, with the account's own key: it shows in the SDK's history.
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    usage = requests.post(
        vox["url"] + "/v1/usage",
        auth=("confvox1", vox["api_secret"]),
        json={"id": "conf-call-1", "product": "voice", "to": "+525512345678", "seconds": 61,
              "occurred_at": (now - datetime.timedelta(minutes=5)).isoformat().replace("+00:00", "Z")},
        timeout=10,
    )
    assert usage.status_code in (200, 201), usage.text
    charged = -Decimal(usage.json()["amount"])
    assert charged > 0

    regions = sdk.get_phone_number_regions("MX", "GEOGRAPHIC")["result"]
    city = next(region for region in regions if region["phone_region_code"] == "55")
    assert city["phone_count"] == 3
    offered = sdk.get_new_phone_numbers(country_code="MX", phone_category_name="GEOGRAPHIC", phone_region_id=city["phone_region_id"])
    assert offered["total_count"] == 3
    assert [Decimal(str(n["phone_price"])) for n in offered["result"]] == [Decimal(6)] * 3
    assert Decimal(str(offered["result"][0]["phone_installation_price"])) == 12

    attached = sdk.attach_phone_number(phone_count=2, country_code="MX", phone_category_name="GEOGRAPHIC",
                                       phone_region_id=city["phone_region_id"])
    assert attached["result"] == 1
    assert [n["phone_number"] for n in attached["phone_numbers"]] == ["525512340001", "525512340002"]
    by_number = sdk.attach_phone_number(phone_number=["523312340001"])
    assert by_number["phone_numbers"][0]["phone_number"] == "523312340001"
    assert balance(sdk) == start - charged - 2 * (12 + 6) - (10 + 5)

    with pytest.raises(VoximplantException) as taken:
        sdk.attach_phone_number(phone_number=["525512340001"])
    assert taken.value.code == 182
    with pytest.raises(VoximplantException) as short:
        sdk.attach_phone_number(phone_count=5, country_code="MX", phone_category_name="GEOGRAPHIC", phone_region_id=city["phone_region_id"])
    assert short.value.code == 332
    with pytest.raises(VoximplantException) as neither:
        sdk.attach_phone_number()
    assert neither.value.code == 101

    numbers = sdk.get_phone_numbers()
    assert numbers["total_count"] == 3
    first = numbers["result"][0]
    # The SDK turned the dates into date and datetime objects: the wire forms were right.
    assert isinstance(first["phone_next_renewal"], datetime.date)
    assert isinstance(first["phone_purchase_date"], datetime.datetime)
    assert first["phone_next_renewal"] > datetime.date.today()
    assert first["auto_charge"] is True and first["deactivated"] is False and first["canceled"] is False
    assert Decimal(str(first["phone_price"])) == 6

    due = sdk.get_money_amount_to_charge(charge_date=datetime.date.today() + datetime.timedelta(days=62))["result"]
    assert Decimal(str(due["amount"])) == 6 + 6 + 5
    assert [s["subscription_type"] for s in due["subscriptions"]] == ["PHONE_NUM"] * 3
    assert all(isinstance(s["subscription_next_renewal"], datetime.date) for s in due["subscriptions"])
    assert Decimal(str(sdk.get_money_amount_to_charge()["result"]["amount"])) == 0

    assert sdk.deactivate_phone_number(phone_id=first["phone_id"])["result"] == 1
    canceled = sdk.get_phone_numbers(canceled=True)["result"]
    assert [n["phone_id"] for n in canceled] == [first["phone_id"]]
    with pytest.raises(VoximplantException) as unknown:
        sdk.deactivate_phone_number(phone_id=999999)
    assert unknown.value.code == 181

    today = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    history = sdk.get_transaction_history(from_date=today - datetime.timedelta(days=1), to_date=today + datetime.timedelta(days=1),
                                          count=100)
    types = [t["transaction_type"] for t in history["result"]]
    assert types.count("subscription_installation_charge") == 3
    assert types.count("subscription_charge") == 3
    assert "resource_charge" in types
    info = sdk.get_account_info()["result"]
    assert info["currency"] == "USD"
    assert Decimal(str(info["balance"])) == start - charged - 2 * (12 + 6) - (10 + 5)
