"""The seed document 000 (Voximplant's billing guide), run as written against Tariff with the
official SDK, voximplant-apiclient 2.12.0: each snippet is a script under voximplant/seed/ that
differs from the seed only in the server it calls, run in a directory holding the account's
credentials.json (made by `tariff account key`). What each prints follows from
fixtures/voximplant-rates.csv and fixtures/voximplant-numbers.csv (EUR), shown to a USD account
at 1 EUR = 1.25 USD.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent / "voximplant" / "seed"


def run_snippet(vox: dict, script: str, *args: str) -> list[str]:
    env = dict(os.environ, VOXIMPLANT_ENDPOINT=vox["endpoint"])
    done = subprocess.run([sys.executable, str(SEED / script), *args], cwd=vox["credentials_dir"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_mexico_number_categories_with_nrc_and_mrc(config):
    # MX GEOGRAPHIC 8/4, MOBILE 16/8, TOLLFREE 24/12 EUR, in USD.
    assert run_snippet(config.voximplant, "mexico_categories.py") == [
        "GEOGRAPHIC - NRC: 10; MRC: 5",
        "MOBILE - NRC: 20; MRC: 10",
        "TOLLFREE - NRC: 30; MRC: 15",
    ]


def test_rates_for_calls_within_mexico(config):
    # The domestic list: 0.008 and 0.024 EUR.
    assert run_snippet(config.voximplant, "domestic_rates.py", "MX") == ["Mexico Fixed - 0.01", "Mexico Mobile - 0.03"]


def test_rates_within_a_country_without_a_domestic_list_fall_back(config):
    # Poland has no domestic and no EEA rows for itself: the international list (0.02 EUR).
    assert run_snippet(config.voximplant, "domestic_rates.py", "PL") == ["Poland Fixed - 0.025"]


def test_rates_for_calls_from_poland_to_germany(config):
    # Poland is in the EEA: the EEA list (0.016 and 0.064 EUR).
    assert run_snippet(config.voximplant, "international_rates.py", "PL", "DE") == ["Germany Fixed - 0.02", "Germany Mobile - 0.08"]


def test_rates_for_calls_from_outside_the_eea_take_the_international_list(config):
    # 0.032, 0.12 and the premium prefix 1.2 EUR.
    assert run_snippet(config.voximplant, "international_rates.py", "US", "DE") == [
        "Germany Fixed - 0.04", "Germany Mobile - 0.15", "Germany Premium - 1.5",
    ]


def test_colombian_toll_free_incoming_rates(config):
    # PSTN_IN_TOLLFREE_CO: 0.056 for any caller, 0.232 from mobiles (573).
    assert run_snippet(config.voximplant, "colombia_toll_free.py") == [
        "Colombia Toll-free - 0.07",
        "Colombia Toll-free from mobile - 0.29",
    ]


@pytest.mark.parametrize("script", ["mexico_categories.py", "domestic_rates.py", "international_rates.py", "colombia_toll_free.py"])
def test_snippets_change_only_the_endpoint(script):
    # The seed's code is kept: the client is built from credentials.json, only the endpoint is added.
    text = (SEED / script).read_text()
    assert 'VoximplantAPI("credentials.json", endpoint=ENDPOINT)' in text
    assert text.count("VoximplantAPI(") == 1
