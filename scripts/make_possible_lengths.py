#!/usr/bin/env python3
"""Write libphonenumber's possible national-number lengths per country and number type.

    pip install phonenumbers==9.0.43
    python3 scripts/make_possible_lengths.py

Writes Sources/TariffStore/Resources/world/possible-lengths.csv with the header
`country_iso2,calling_code,number_type,lengths`. Tariff uses it to refuse numbers whose
national significant number (NSN, the digits after the calling code) cannot have that length
in that country: `12345` is +1 then NSN `2345`, and a US NSN is always 10 digits.

`lengths` is libphonenumber's `possible_length` list, ascending, joined with `|`. We do NOT
use `possible_length_local_only`: those lengths (e.g. 7-digit US numbers) can only be dialled
inside the area, never in the international (E.164) form Tariff prices.

The pinned package version is checked because the metadata changes with every release; the
same version gives the same bytes (rows are sorted, no timestamps), so re-running is safe.
"""

import sys
from pathlib import Path

EXPECTED_VERSION = "9.0.43"

try:
    import phonenumbers
    from phonenumbers.phonemetadata import PhoneMetadata
except ImportError:
    sys.exit(f"error: phonenumbers is not installed; run: pip install phonenumbers=={EXPECTED_VERSION}")

if phonenumbers.__version__ != EXPECTED_VERSION:
    sys.exit(f"error: phonenumbers {phonenumbers.__version__} is installed but this file is built "
             f"from {EXPECTED_VERSION}; run: pip install phonenumbers=={EXPECTED_VERSION}")

OUT = (Path(__file__).resolve().parent.parent
       / "Sources" / "TariffStore" / "Resources" / "world" / "possible-lengths.csv")

# libphonenumber PhoneMetadata attributes (each a PhoneNumberDesc or None); we use the same
# names as number_type. Short-number descs (emergency, short_code, ...) are left out: they are
# not E.164 numbers.
TYPES = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "voip",
         "personal_number", "pager", "uan", "voicemail")


def lengths_of(desc):
    """Sorted possible lengths of a desc; empty if absent or not applicable.

    libphonenumber marks a type that does not exist in a region with possible_length [-1];
    the Python package usually drops such descs (None), but we skip both forms.
    """
    if desc is None:
        return []
    return sorted({n for n in desc.possible_length if n > 0})


def rows_for(iso2, metadata):
    """(iso2, calling_code, number_type, lengths) rows for one region or non-geo entity."""
    code = str(metadata.country_code)
    by_type = {name: lengths_of(getattr(metadata, name)) for name in TYPES}
    by_type = {name: ls for name, ls in by_type.items() if ls}
    # general_desc normally lists every type's lengths; if it ever has none, fall back to
    # their union so that each region with any data still gets a `general` row.
    general = lengths_of(metadata.general_desc) or sorted({n for ls in by_type.values() for n in ls})
    if general:
        by_type["general"] = general
    return [(iso2, code, name, "|".join(map(str, ls))) for name, ls in by_type.items()]


def main():
    rows = []
    for region in phonenumbers.SUPPORTED_REGIONS:
        rows += rows_for(region, PhoneMetadata.metadata_for_region(region))
    # Non-geographic entities (+800 freephone, +882 networks, ...) share the region code
    # "001" in libphonenumber; the calling code tells them apart.
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        rows += rows_for("001", PhoneMetadata.metadata_for_nongeo_region(code))

    # Plain string sort on (country_iso2, calling_code, number_type): a stable, byte-wise order.
    rows.sort()
    lines = ["country_iso2,calling_code,number_type,lengths"] + [",".join(r) for r in rows]
    OUT.write_bytes(("\n".join(lines) + "\n").encode("ascii"))
    print(f"wrote {OUT} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
