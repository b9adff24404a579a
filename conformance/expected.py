"""What the conformance deck (fixtures/deck.csv) and exchange rate (fixtures/fx-rates.csv) imply.

Every price here is written out by hand from the deck, not read from it, so that a deck that
imports wrongly fails the suite. Network names, MCC/MNC and number ranges are Tariff's shipped
reference data (Sources/TariffStore/Resources/world): the LU ones are written out, the others
are read from ranges.csv, and the country list (for counts) from countries.csv.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
WORLD = REPO / "Sources" / "TariffStore" / "Resources" / "world"

#: fixtures/fx-rates.csv: 1 EUR = 1.25 USD.
EUR_TO = {"EUR": Decimal("1"), "USD": Decimal("1.25")}


@dataclass(frozen=True)
class Net:
    code: str
    type: str
    price: str  # EUR, as written in the deck
    name: str
    mcc: Optional[str] = None
    mnc: Optional[str] = None
    #: None: read from the reference ranges.csv (real MCCMNC networks only).
    ranges: Optional[tuple[int, ...]] = None
    #: voice only: (initial, subsequent) seconds.
    increment: Optional[tuple[int, int]] = None

    @property
    def is_mobile_network(self) -> bool:
        return self.code.isdigit()

    def expected_ranges(self, iso: str) -> list[int]:
        if self.ranges is not None:
            return sorted(self.ranges)
        return network_ranges(iso, self.code)


@dataclass(frozen=True)
class Country:
    iso: str
    name: str
    prefix: str
    default: Optional[str]  # EUR
    networks: tuple[Net, ...] = field(default_factory=tuple)
    default_increment: Optional[tuple[int, int]] = None

    def net(self, code: str) -> Net:
        return next(n for n in self.networks if n.code == code)


LU_POST_RANGES = (35262, 352651, 352658)

SMS = {
    c.iso: c
    for c in [
        Country("ES", "Spain", "34", "0.06", (
            Net("21401", "mobile", "0.065", "Vodafone", "214", "01"),
            Net("21403", "mobile", "0.0655", "Orange", "214", "03"),
            Net("21407", "mobile", "0.066", "Movistar", "214", "07"),
        )),
        Country("GB", "United Kingdom", "44", "0.04", (
            Net("23415", "mobile", "0.041", "Vodafone UK", "234", "15"),
            Net("23420", "mobile", "0.042", "3", "234", "20"),
        )),
        Country("LU", "Luxembourg", "352", "0.011", (
            Net("27001", "mobile", "0.0115", "POST", "270", "01", LU_POST_RANGES),
            Net("27099", "mobile", "0.012", "Orange", "270", "99", (35266,)),
            Net("27077", "mobile", "0.0125", "Tango", "270", "77", (35269,)),
            Net("LU-TOLL-FREE", "landline_tollfree", "0.02", "Luxembourg Toll Free", ranges=(352800,)),
        )),
        Country("US", "United States", "1", "0.0075", ()),
    ]
}

VOICE = {
    c.iso: c
    for c in [
        Country("GB", "United Kingdom", "44", "0.015", (
            Net("GB-4490", "landline_premium", "1.5", "UK Premium 090", ranges=(4490,), increment=(1, 1)),
        ), default_increment=(60, 60)),
        Country("LU", "Luxembourg", "352", "0.1", (
            Net("LU-MOBILE", "mobile", "0.25", "Luxembourg Mobile",
                ranges=(3526, 35262, 352651, 352655, 352658, 35266, 352671, 352678, 35269), increment=(1, 1)),
            Net("27001", "mobile", "0.27", "POST", "270", "01", LU_POST_RANGES, increment=(30, 6)),
        ), default_increment=(60, 60)),
    ]
}

PRODUCTS = {"sms": SMS, "sms-transit": SMS, "voice": VOICE}
V2_PRODUCTS = {"sms-outbound": SMS, "voice-outbound": VOICE}

#: (product, phone, country, network code, EUR price) for get-phone-pricing.
PHONES = [
    ("sms", "352621123456", "LU", "27001", "0.0115"),
    ("sms", "352661123456", "LU", "27099", "0.012"),
    ("sms", "352691123456", "LU", "27077", "0.0125"),
    ("sms", "35280012345", "LU", "LU-TOLL-FREE", "0.02"),
    ("sms", "35222123456", "LU", "LU-FIXED", "0.011"),
    ("sms", "34600123456", "ES", "21401", "0.065"),
    ("sms", "447341123456", "GB", "23415", "0.041"),
    ("sms", "12025550123", "US", "US-FIXED", "0.0075"),
    ("voice", "352621123456", "LU", "27001", "0.27"),
    # Priced by the LU mobile row; the network is the number's own.
    ("voice", "352661123456", "LU", "27099", "0.25"),
    ("voice", "35222123456", "LU", "LU-FIXED", "0.1"),
    ("voice", "449012345678", "GB", "GB-PREMIUM", "1.5"),
]

#: Numbers the deck does not price (420 "method failed").
UNPRICED_PHONES = [("voice", "4930123456"), ("voice", "12025550123")]


def convert(eur: str, currency: str) -> Decimal:
    return Decimal(eur) * EUR_TO[currency]


def v1_price(eur: str, currency: str = "EUR") -> str:
    """Vonage v1: a decimal string with exactly 8 fractional digits."""
    return f"{convert(eur, currency):.8f}"


def v2_price(eur: str, currency: str = "EUR") -> str:
    """Vonage v2: the shortest exact decimal string (no trailing zeros)."""
    text = f"{convert(eur, currency):.8f}".rstrip("0").rstrip(".")
    return text


def v2_rows(product: str, currency: str = "EUR", only: Optional[str] = None) -> list[tuple]:
    """The v2 rows the deck implies, as comparable tuples (field order of V2_ROW_FIELDS)."""
    voice = product == "voice-outbound"
    rows = []
    for iso, country in sorted(V2_PRODUCTS[product].items()):
        if only and iso != only:
            continue

        def row(kind: str, eur: str, increment):
            initial, subsequent = (increment or (60, 60)) if voice else (1, 1)
            return (country.name, country.prefix, kind, f"{initial}s", str(subsequent), currency, v2_price(eur, currency))

        if country.default is not None:
            rows.append(row("ALL", country.default, country.default_increment))
        for net in country.networks:
            rows.append(row(net.type.upper(), net.price, net.increment))
    return rows


V2_ROW_FIELDS = ("country_name", "dialing_prefix", "dest_network_type", "group_internal_start",
                 "rate_increment", "currency", "price")


# -- reference data ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _countries() -> list[dict]:
    with open(WORLD / "countries.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def countries_with_calling_code() -> list[str]:
    """Every country Vonage's full pricing lists: those with a calling code."""
    return sorted(r["iso2"] for r in _countries() if r["calling_code"])


def countries_for_calling_code(code: str) -> list[str]:
    return sorted(r["iso2"] for r in _countries() if r["calling_code"] == code)


def country_name(iso: str) -> str:
    return next(r["name"] for r in _countries() if r["iso2"] == iso)


@lru_cache(maxsize=None)
def _ranges() -> list[dict]:
    with open(WORLD / "ranges.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def network_ranges(iso: str, mccmnc: str) -> list[int]:
    return sorted(int(r["prefix"]) for r in _ranges() if r["country_iso2"] == iso and r["network_mccmnc"] == mccmnc)
