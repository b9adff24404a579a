"""Every service the seed names, through the official Voximplant SDK (voximplant-apiclient
2.12.0): metered products (speech synthesis, recognition) in GetResourcePrice, a SIP
registration's template in GetSubscriptionPrice, creating, listing and deleting a SIP
registration, changing the account plan to a package and reading what it includes, usage drawn
from the package before it is charged, and the charges in the transaction history.

Prices follow from fixtures/voximplant-services.csv and fixtures/voximplant-templates.csv (EUR),
shown to the USD account at 1 EUR = 1.25 USD: synthesis 20 USD per million characters (neural
40), recognition 0.02 USD per 60 s in 15 s blocks with a 15 s minimum; a SIP registration
1 + 2 USD a month; the speech package 10 USD a month with 600 s of recognition included.
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


def use(vox: dict, record_id: str, units: int, occurred_at: str | None = None) -> requests.Response:
    # Now (to the second, never ahead of the server's clock): usage before the plan began is
    # not the plan's to cover. A retry passes the first attempt's instant: the same id at
    # another instant is another record, refused as a conflict.
    if occurred_at is None:
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        occurred_at = now.isoformat().replace("+00:00", "Z")
    return requests.post(
        vox["url"] + "/v1/usage",
        auth=("confvox1", vox["api_secret"]),
        json={"id": record_id, "product": "speech-recognition", "units": units,
              "occurred_at": occurred_at},
        timeout=10,
    )


def test_synthesis_and_recognition_resources(sdk):
    res = sdk.get_resource_price(resource_type=["TTS_TEXT_GOOGLE", "ASR"])
    tts, asr = res["result"]
    assert tts["resource_type"] == "TTS_TEXT_GOOGLE" and asr["resource_type"] == "ASR"
    standard, neural = tts["price_groups"]
    assert standard["price_group_name"] == "Speech synthesis" and standard["price"] == 20
    assert standard["num_resources_per_price"] == 1_000_000 and standard["quantum"] == 1
    assert neural["price"] == 40 and neural["params"]["allowed"] == ["neural"]
    [recognition] = asr["price_groups"]
    assert recognition["price"] == 0.02 and recognition["num_resources_per_price"] == 60 and recognition["quantum"] == 15
    by_id = sdk.get_resource_price(price_group_id=neural["price_group_id"])
    assert [g["price_group_name"] for r in by_id["result"] for g in r["price_groups"]] == ["Speech synthesis neural"]


def test_sip_registration_template(sdk):
    [template] = sdk.get_subscription_price(subscription_template_type="SIP_REGISTRATION")["result"]
    assert template["subscription_template_type"] == "SIP_REGISTRATION"
    assert template["subscription_template_name"] == "SIP registration"
    assert (template["installation_price"], template["price"]) == (1, 2)
    assert (template["installation_price_in_currency"], template["price_in_currency"], template["currency"]) == (0.8, 1.6, "EUR")
    assert template["period"] == "0-1-0 0:0:0"


def test_create_list_and_delete_a_sip_registration(sdk, vox):
    subprocess.run([vox["tariff"], "account", "credit", str(vox["account_id"]), "100", "--database", vox["database"]],
                   check=True, capture_output=True)
    before = balance(sdk)
    created = sdk.create_sip_registration("alice", "sip.example.com", auth_user="alice-auth", password="never-stored")
    assert created["result"] == 1 and isinstance(created["sip_registration_id"], int)
    assert Decimal(str(created["account_info"]["balance"])) == before - 3
    assert created["account_info"]["currency"] == "USD"

    listed = sdk.get_sip_registrations()
    mine = [r for r in listed["result"] if r["sip_registration_id"] == created["sip_registration_id"]]
    assert len(mine) == 1
    registration = mine[0]
    assert registration["sip_username"] == "alice" and registration["proxy"] == "sip.example.com"
    assert registration["auth_user"] == "alice-auth" and "password" not in registration
    assert registration["deactivated"] is False and registration["subscription_price"] == "2"
    # The SDK parsed both dates: a purchase time today, a renewal next month.
    assert isinstance(registration["purchase_date"], datetime.datetime)
    assert isinstance(registration["next_subscription_renewal"], datetime.date)
    assert registration["next_subscription_renewal"] > registration["purchase_date"].date()
    assert sdk.get_sip_registrations(sip_username="nobody")["result"] == []

    assert sdk.delete_sip_registration(created["sip_registration_id"])["result"] == 1
    assert all(r["sip_registration_id"] != created["sip_registration_id"] for r in sdk.get_sip_registrations()["result"])
    with pytest.raises(VoximplantException):
        sdk.delete_sip_registration(created["sip_registration_id"])
    # No refund: the month paid stays paid.
    assert balance(sdk) == before - 3


def test_change_the_plan_and_draw_on_its_package(sdk, vox):
    [package] = sdk.get_subscription_price(subscription_template_type="PACKAGE")["result"]
    before = balance(sdk)
    changed = sdk.change_account_plan(package["subscription_template_id"])
    assert changed["result"] == 1
    assert Decimal(str(changed["account_info"]["balance"])) == before - 10
    # The same plan again changes nothing and charges nothing.
    assert sdk.change_account_plan(package["subscription_template_id"], plan_type="PACKAGE")["result"] == 1
    assert balance(sdk) == before - 10

    [plan] = sdk.get_account_plans()["result"]
    assert plan["plan_subscription_template_id"] == package["subscription_template_id"]
    assert plan["plan_type"] == "PACKAGE" and plan["plan_name"] == "Speech package" and plan["periodic_charge"] == 10
    assert isinstance(plan["next_charge"], datetime.date)
    [included] = plan["packages"]
    assert (included["package_size"], included["resource_left"]) == (600, 600)
    assert included["may_overrun"] is True and included["overrun_price"] == 0.02 and included["overrun_resources"] == 60
    asr = sdk.get_resource_price(resource_type="ASR")["result"][0]["price_groups"][0]
    assert included["price_group_id"] == [asr["price_group_id"]]

    covered = use(vox, "conf-asr-1", 100)
    assert covered.status_code == 201, covered.text
    assert covered.json()["amount"] == "0.00000000"
    assert covered.json()["explanation"]["included_units"] == 100
    assert sdk.get_account_plans(plan_type="PACKAGE")["result"][0]["packages"][0]["resource_left"] == 500
    # 520 s: 500 included, 20 charged as a use of 20 s (two 15 s blocks): 0.02 * 30 / 60 USD.
    beyond_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    beyond_at = beyond_at.isoformat().replace("+00:00", "Z")
    beyond = use(vox, "conf-asr-2", 520, beyond_at)
    assert beyond.status_code == 201, beyond.text
    assert beyond.json()["amount"] == "-0.01000000"
    assert sdk.get_account_plans()["result"][0]["packages"][0]["resource_left"] == 0
    # A retry draws nothing more and charges nothing more.
    assert use(vox, "conf-asr-2", 520, beyond_at).status_code == 200
    assert balance(sdk) == before - Decimal("10.01")


def test_the_charges_in_the_history(sdk):
    today = datetime.datetime.now(datetime.timezone.utc)
    history = sdk.get_transaction_history(today - datetime.timedelta(days=1), today + datetime.timedelta(days=1),
                                          transaction_type=["subscription_installation_charge", "subscription_charge"])
    amounts = sorted(Decimal(str(t["amount"])) for t in history["result"])
    assert Decimal(-10) in amounts and Decimal(-2) in amounts and Decimal(-1) in amounts
    usage = sdk.get_transaction_history(today - datetime.timedelta(days=1), today + datetime.timedelta(days=1),
                                        transaction_type="resource_charge")
    assert any(Decimal(str(t["amount"])) == Decimal("-0.01") for t in usage["result"])
