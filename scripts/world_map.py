#!/usr/bin/env python3
"""Write the web console's world map from Natural Earth's 1:110m countries (public domain).

    python3 scripts/world_map.py                 # downloads geopandas==0.14.4 with pip, writes the files
    python3 scripts/world_map.py --wheel W.whl   # uses a geopandas-0.14.4 wheel already on disk
    python3 scripts/world_map.py --check         # exits 1 if the checked-in files differ

Source: the `naturalearth_lowres` data set shipped inside the geopandas 0.14.4 wheel
(geopandas/datasets/naturalearth_lowres/naturalearth_lowres.{shp,dbf,shx,prj}), which is
Natural Earth's "Admin 0 - Countries" at 1:110m. The .shp/.shx/.dbf are read straight out of the
wheel (a zip) with `struct`; the Python standard library is all this needs. Their SHA-256 are
pinned below, so a different data set fails loudly instead of quietly changing the map.

Writes, relative to the repository root:
  Sources/TariffHTTP/Console/Assets/world.json     compact JSON, countries sorted by iso2
  Sources/TariffHTTP/Console/Assets/world.json.gz  gzip of exactly those bytes (level 9, mtime 0)

Geometry: equirectangular (x = lon, y = -lat), in units of 1/SCALE degree rounded to integers;
latitude is clipped to [LAT_MIN, LAT_MAX] (Antarctica is dropped, see DROP). Each country's
rings become one SVG path of relative commands: `m dx dy l dx dy dx dy ... z` per ring, numbers
separated by a space, or by nothing before a minus sign. Consecutive duplicate points after
rounding are dropped, the closing point is left to `z`, and rings with fewer than 3 distinct
points are dropped. Holes (e.g. Lesotho inside South Africa) keep the shapefile's opposite
winding, so both the nonzero and the evenodd fill rule show them. Same input, same bytes.

Every output iso2 must be a code in Sources/TariffStore/Resources/world/countries.csv (the
countries Tariff knows); a row that cannot be mapped stops the script with a non-zero exit.
"""

import argparse
import csv
import gzip
import hashlib
import json
import math
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "Sources" / "TariffHTTP" / "Console" / "Assets"
OUT_JSON = ASSETS / "world.json"
OUT_GZ = ASSETS / "world.json.gz"
COUNTRIES_CSV = ROOT / "Sources" / "TariffStore" / "Resources" / "world" / "countries.csv"

GEOPANDAS_VERSION = "0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres."
# SHA-256 of the members of geopandas-0.14.4-py3-none-any.whl (the wheel itself is
# 3bb6473cb59d51e1a7fe2dbc24a1a063fb0ebdeddf3ce08ddbf8c7ddc99689aa).
MEMBER_SHA256 = {
    "shp": "1f689e60b357e1e98702d5d9f774e95e77fc6b324487cadf57eb9317d533ce12",
    "shx": "7933917ebd636eb80822c1bddfa31dd7597ca9e6f89b21e23283c594ed6482c5",
    "dbf": "5cfbcaa21ce5fad798abf2ec65ab0db59538f9bb8a37273ef62b6aa8121487fd",
    "prj": "a02a27b1d1982c8516d83398e85a3c8b1aef1713c13ef4d84d7bde17430c07c4",
}
DBF_ENCODING = "latin-1"  # the data set's .cpg says ISO-8859-1 ("Côte d'Ivoire" is byte 0xF4)

SCALE = 5                 # units per degree: 0.2 degree resolution
LAT_MIN, LAT_MAX = -60.0, 84.0
LON_MIN, LON_MAX = -180.0, 180.0

SOURCE = ("Natural Earth 1:110m Admin 0 \u2013 Countries, via geopandas "
          + GEOPANDAS_VERSION + " naturalearth_lowres")
ATTRIBUTION = ("Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com. "
               "Public domain.")

# ISO 3166-1 alpha-3 -> alpha-2, for every code in countries.csv that has an alpha-3
# (facts from ISO 3166-1, as in Debian's iso-codes). AC, TA and XK have no alpha-3.
ISO3_TO_ISO2 = {
    "ABW": "AW", "AFG": "AF", "AGO": "AO", "AIA": "AI", "ALA": "AX", "ALB": "AL", "AND": "AD",
    "ARE": "AE", "ARG": "AR", "ARM": "AM", "ASM": "AS", "ATA": "AQ", "ATF": "TF", "ATG": "AG",
    "AUS": "AU", "AUT": "AT", "AZE": "AZ", "BDI": "BI", "BEL": "BE", "BEN": "BJ", "BES": "BQ",
    "BFA": "BF", "BGD": "BD", "BGR": "BG", "BHR": "BH", "BHS": "BS", "BIH": "BA", "BLM": "BL",
    "BLR": "BY", "BLZ": "BZ", "BMU": "BM", "BOL": "BO", "BRA": "BR", "BRB": "BB", "BRN": "BN",
    "BTN": "BT", "BVT": "BV", "BWA": "BW", "CAF": "CF", "CAN": "CA", "CCK": "CC", "CHE": "CH",
    "CHL": "CL", "CHN": "CN", "CIV": "CI", "CMR": "CM", "COD": "CD", "COG": "CG", "COK": "CK",
    "COL": "CO", "COM": "KM", "CPV": "CV", "CRI": "CR", "CUB": "CU", "CUW": "CW", "CXR": "CX",
    "CYM": "KY", "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DJI": "DJ", "DMA": "DM", "DNK": "DK",
    "DOM": "DO", "DZA": "DZ", "ECU": "EC", "EGY": "EG", "ERI": "ER", "ESH": "EH", "ESP": "ES",
    "EST": "EE", "ETH": "ET", "FIN": "FI", "FJI": "FJ", "FLK": "FK", "FRA": "FR", "FRO": "FO",
    "FSM": "FM", "GAB": "GA", "GBR": "GB", "GEO": "GE", "GGY": "GG", "GHA": "GH", "GIB": "GI",
    "GIN": "GN", "GLP": "GP", "GMB": "GM", "GNB": "GW", "GNQ": "GQ", "GRC": "GR", "GRD": "GD",
    "GRL": "GL", "GTM": "GT", "GUF": "GF", "GUM": "GU", "GUY": "GY", "HKG": "HK", "HMD": "HM",
    "HND": "HN", "HRV": "HR", "HTI": "HT", "HUN": "HU", "IDN": "ID", "IMN": "IM", "IND": "IN",
    "IOT": "IO", "IRL": "IE", "IRN": "IR", "IRQ": "IQ", "ISL": "IS", "ISR": "IL", "ITA": "IT",
    "JAM": "JM", "JEY": "JE", "JOR": "JO", "JPN": "JP", "KAZ": "KZ", "KEN": "KE", "KGZ": "KG",
    "KHM": "KH", "KIR": "KI", "KNA": "KN", "KOR": "KR", "KWT": "KW", "LAO": "LA", "LBN": "LB",
    "LBR": "LR", "LBY": "LY", "LCA": "LC", "LIE": "LI", "LKA": "LK", "LSO": "LS", "LTU": "LT",
    "LUX": "LU", "LVA": "LV", "MAC": "MO", "MAF": "MF", "MAR": "MA", "MCO": "MC", "MDA": "MD",
    "MDG": "MG", "MDV": "MV", "MEX": "MX", "MHL": "MH", "MKD": "MK", "MLI": "ML", "MLT": "MT",
    "MMR": "MM", "MNE": "ME", "MNG": "MN", "MNP": "MP", "MOZ": "MZ", "MRT": "MR", "MSR": "MS",
    "MTQ": "MQ", "MUS": "MU", "MWI": "MW", "MYS": "MY", "MYT": "YT", "NAM": "NA", "NCL": "NC",
    "NER": "NE", "NFK": "NF", "NGA": "NG", "NIC": "NI", "NIU": "NU", "NLD": "NL", "NOR": "NO",
    "NPL": "NP", "NRU": "NR", "NZL": "NZ", "OMN": "OM", "PAK": "PK", "PAN": "PA", "PCN": "PN",
    "PER": "PE", "PHL": "PH", "PLW": "PW", "PNG": "PG", "POL": "PL", "PRI": "PR", "PRK": "KP",
    "PRT": "PT", "PRY": "PY", "PSE": "PS", "PYF": "PF", "QAT": "QA", "REU": "RE", "ROU": "RO",
    "RUS": "RU", "RWA": "RW", "SAU": "SA", "SDN": "SD", "SEN": "SN", "SGP": "SG", "SGS": "GS",
    "SHN": "SH", "SJM": "SJ", "SLB": "SB", "SLE": "SL", "SLV": "SV", "SMR": "SM", "SOM": "SO",
    "SPM": "PM", "SRB": "RS", "SSD": "SS", "STP": "ST", "SUR": "SR", "SVK": "SK", "SVN": "SI",
    "SWE": "SE", "SWZ": "SZ", "SXM": "SX", "SYC": "SC", "SYR": "SY", "TCA": "TC", "TCD": "TD",
    "TGO": "TG", "THA": "TH", "TJK": "TJ", "TKL": "TK", "TKM": "TM", "TLS": "TL", "TON": "TO",
    "TTO": "TT", "TUN": "TN", "TUR": "TR", "TUV": "TV", "TWN": "TW", "TZA": "TZ", "UGA": "UG",
    "UKR": "UA", "UMI": "UM", "URY": "UY", "USA": "US", "UZB": "UZ", "VAT": "VA", "VCT": "VC",
    "VEN": "VE", "VGB": "VG", "VIR": "VI", "VNM": "VN", "VUT": "VU", "WLF": "WF", "WSM": "WS",
    "YEM": "YE", "ZAF": "ZA", "ZMB": "ZM", "ZWE": "ZW",
}

# Rows whose iso_a3 is not an ISO code, keyed by (iso_a3, name) so that a changed row fails
# rather than being mapped by a guess. Natural Earth uses -99 where no ISO code applies (older
# releases also had France and Norway at -99; geopandas 0.14.4 has FRA and NOR, the entries
# stay in case). The disputed territories without an ISO code are MERGED into the ISO country
# they are conventionally shown with: their rings join that country's path and take its name.
SPECIAL = {
    ("-99", "France"): ("FR", False),
    ("-99", "Norway"): ("NO", False),
    ("-99", "Kosovo"): ("XK", False),      # user-assigned code, in countries.csv
    ("CYN", "N. Cyprus"): ("CY", True),    # merged into Cyprus
    ("-99", "N. Cyprus"): ("CY", True),
    ("SOL", "Somaliland"): ("SO", True),   # merged into Somalia
    ("-99", "Somaliland"): ("SO", True),
}
# Dropped on purpose: Antarctica (ATA -> AQ) would be a huge band at the bottom of a map for
# pricing calls; without it the latitude is clipped to [LAT_MIN, LAT_MAX].
DROP = {"ATA"}


def fail(msg):
    sys.exit("error: " + msg)


# --- reading the wheel --------------------------------------------------------------------

def download_wheel(tmp):
    cmd = [sys.executable, "-m", "pip", "download", "geopandas==" + GEOPANDAS_VERSION,
           "--no-deps", "--only-binary=:all:", "-d", tmp]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode != 0:
        fail("pip download failed:\n" + res.stdout)
    wheels = sorted(Path(tmp).glob("geopandas-%s-*.whl" % GEOPANDAS_VERSION))
    if not wheels:
        fail("pip download gave no geopandas-%s wheel in %s" % (GEOPANDAS_VERSION, tmp))
    return wheels[0]


def read_members(wheel):
    out = {}
    try:
        with zipfile.ZipFile(wheel) as z:
            for ext, want in MEMBER_SHA256.items():
                data = z.read(MEMBER + ext)
                got = hashlib.sha256(data).hexdigest()
                if got != want:
                    fail("%s%s in %s has SHA-256 %s, expected %s (not geopandas %s?)"
                         % (MEMBER, ext, wheel, got, want, GEOPANDAS_VERSION))
                out[ext] = data
    except (KeyError, zipfile.BadZipFile, OSError) as e:
        fail("cannot read the Natural Earth files from %s: %s" % (wheel, e))
    return out


def parse_dbf(data):
    """dBase III: 32-byte header, 32-byte field descriptors up to 0x0D, fixed-width records."""
    version, _y, _m, _d, nrec, hlen, rlen = struct.unpack_from("<BBBBIHH", data, 0)
    if version & 0x07 != 3:
        fail("dbf: not a dBase III file (version byte 0x%02x)" % version)
    fields, off = [], 32
    while data[off] != 0x0D:
        name = data[off:off + 11].split(b"\0", 1)[0].decode("ascii")
        ftype = chr(data[off + 11])
        flen = data[off + 16]
        fields.append((name, ftype, flen))
        off += 32
    if sum(f[2] for f in fields) + 1 != rlen:
        fail("dbf: record length %d does not match its fields" % rlen)
    rows = []
    for i in range(nrec):
        rec = data[hlen + i * rlen: hlen + (i + 1) * rlen]
        if rec[:1] == b"*":
            fail("dbf: record %d is marked deleted" % i)
        row, pos = {}, 1
        for name, _ftype, flen in fields:
            row[name] = rec[pos:pos + flen].decode(DBF_ENCODING).strip()
            pos += flen
        rows.append(row)
    return rows


def parse_shp(data, shx):
    """ESRI shapefile: 100-byte header (file code and length big-endian, the rest little-endian),
    then records (number and length big-endian) of polygon shapes (type 5): bbox, parts, points.
    Returns one list of rings per record; a ring is a list of (lon, lat)."""
    code, = struct.unpack_from(">i", data, 0)
    words, = struct.unpack_from(">i", data, 24)
    version, stype = struct.unpack_from("<ii", data, 28)
    if code != 9994 or version != 1000 or words * 2 != len(data):
        fail("shp: bad header (code %d, version %d, length %d words for %d bytes)"
             % (code, version, words, len(data)))
    if stype != 5:
        fail("shp: shape type %d, expected 5 (polygon)" % stype)
    if struct.unpack_from(">i", shx, 0)[0] != 9994 or struct.unpack_from(">i", shx, 24)[0] * 2 != len(shx):
        fail("shx: bad header")
    index = [struct.unpack_from(">ii", shx, 100 + 8 * i) for i in range((len(shx) - 100) // 8)]
    shapes, off = [], 100
    while off < len(data):
        recno, clen = struct.unpack_from(">ii", data, off)
        if recno != len(shapes) + 1:
            fail("shp: record %d out of order at byte %d" % (recno, off))
        if index[recno - 1] != (off // 2, clen):
            fail("shp: record %d disagrees with the .shx index" % recno)
        body = off + 8
        st, = struct.unpack_from("<i", data, body)
        if st == 0:
            shapes.append([])
        elif st == 5:
            nparts, npoints = struct.unpack_from("<ii", data, body + 36)
            parts = list(struct.unpack_from("<%di" % nparts, data, body + 44))
            pts = struct.unpack_from("<%dd" % (2 * npoints), data, body + 44 + 4 * nparts)
            bounds = parts[1:] + [npoints]
            shapes.append([[(pts[2 * k], pts[2 * k + 1]) for k in range(a, b)]
                           for a, b in zip(parts, bounds)])
        else:
            fail("shp: record %d has shape type %d" % (recno, st))
        off = body + 2 * clen
    if len(shapes) != len(index):
        fail("shp: %d records but the .shx has %d" % (len(shapes), len(index)))
    return shapes


# --- geometry -----------------------------------------------------------------------------

def clip_lat(ring, lo, hi):
    """Sutherland-Hodgman against the two horizontal lines lat = lo and lat = hi."""
    def clip(pts, inside, edge_lat):
        out = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur, edge_lat))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur, edge_lat))
        return out

    def cross(a, b, lat):
        t = (lat - a[1]) / (b[1] - a[1])
        return (a[0] + t * (b[0] - a[0]), lat)

    pts = ring
    if any(p[1] < lo for p in pts):
        pts = clip(pts, lambda p: p[1] >= lo, lo)
    if pts and any(p[1] > hi for p in pts):
        pts = clip(pts, lambda p: p[1] <= hi, hi)
    return pts


def round_half_away(v):
    return int(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)


def project_ring(ring):
    """(lon, lat) ring -> integer (x, y) ring without the closing point, or None if degenerate."""
    ring = clip_lat(ring, LAT_MIN, LAT_MAX)
    pts = []
    for lon, lat in ring:
        p = (round_half_away(lon * SCALE), round_half_away(-lat * SCALE))
        if not pts or pts[-1] != p:
            pts.append(p)
    while len(pts) > 1 and pts[-1] == pts[0]:
        pts.pop()
    if len(set(pts)) < 3:
        return None
    return pts


def fmt_numbers(nums):
    s = []
    for i, n in enumerate(nums):
        if i and n >= 0:
            s.append(" ")
        s.append(str(n))
    return "".join(s)


def encode_path(rings):
    """Relative SVG path: each ring's `m` is relative to the previous ring's start point (where
    `z` leaves the current point); the first is relative to (0, 0)."""
    out, cur = [], (0, 0)
    for ring in rings:
        x0, y0 = ring[0]
        out.append("m" + fmt_numbers([x0 - cur[0], y0 - cur[1]]))
        deltas = []
        px, py = x0, y0
        for x, y in ring[1:]:
            deltas += [x - px, y - py]
            px, py = x, y
        out.append("l" + fmt_numbers(deltas) + "z")
        cur = (x0, y0)
    return "".join(out)


def decode_path(d):
    """Inverse of encode_path, for the self-check: absolute rings of integer points."""
    rings, cur, cmd, ring = [], (0, 0), None, None
    tokens = re.findall(r"[mlz]|-?\d+", d)
    if "".join(tokens) != d.replace(" ", "") or "  " in d:
        raise ValueError("unexpected characters in path")
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("m", "l"):
            cmd = t
            i += 1
            continue
        if t == "z":
            rings.append(ring)
            cur, ring, cmd = ring[0], None, None
            i += 1
            continue
        dx, dy = int(tokens[i]), int(tokens[i + 1])
        i += 2
        if cmd == "m":
            ring = [(cur[0] + dx, cur[1] + dy)]
            cmd = "l"  # further pairs after m are implicit lines
        elif cmd == "l":
            ring.append((ring[-1][0] + dx, ring[-1][1] + dy))
        else:
            raise ValueError("number without a command")
    if ring is not None:
        raise ValueError("ring not closed with z")
    return rings


# --- building -----------------------------------------------------------------------------

def load_known_codes(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return {row["iso2"] for row in csv.DictReader(f)}
    except (OSError, KeyError) as e:
        fail("cannot read iso2 codes from %s: %s" % (path, e))


def build(wheel, countries_csv):
    files = read_members(wheel)
    rows = parse_dbf(files["dbf"])
    shapes = parse_shp(files["shp"], files["shx"])
    if len(rows) != len(shapes):
        fail("dbf has %d rows but shp has %d shapes" % (len(rows), len(shapes)))
    for field in ("iso_a3", "name"):
        if field not in rows[0]:
            fail("dbf has no field %r (fields: %s)" % (field, ", ".join(rows[0])))
    known = load_known_codes(countries_csv)

    countries, problems = {}, []  # iso2 -> {"name", "rings"}
    for idx, (row, shape) in enumerate(zip(rows, shapes)):
        iso3, name = row["iso_a3"], row["name"]
        if iso3 in DROP:
            continue
        iso2, merged = SPECIAL.get((iso3, name), (ISO3_TO_ISO2.get(iso3), False))
        if iso2 is None:
            problems.append("row %d %r: iso_a3 %r has no iso2 mapping" % (idx, name, iso3))
            continue
        if iso2 not in known:
            problems.append("row %d %r: iso2 %s is not in %s" % (idx, name, iso2, countries_csv))
            continue
        rings = [r for r in (project_ring(ring) for ring in shape) if r]
        entry = countries.setdefault(iso2, {"name": None, "rings": [], "rows": []})
        entry["rows"].append(idx)
        entry["rings"].extend(rings)
        # The country takes the name of its ISO row, not of a territory merged into it.
        if not merged:
            if entry["name"] is not None:
                problems.append("row %d %r: a second row for %s (%s)" % (idx, name, iso2, entry["name"]))
            entry["name"] = name
    for iso2, entry in countries.items():
        if entry["name"] is None:
            problems.append("%s: only merged territories, no country row" % iso2)
        if not entry["rings"]:
            problems.append("%s %r: no ring left after rounding" % (iso2, entry["name"]))
    if problems:
        fail("cannot map every Natural Earth row:\n  " + "\n  ".join(problems))

    out = []
    for iso2 in sorted(countries):
        entry = countries[iso2]
        d = encode_path(entry["rings"])
        if decode_path(d) != entry["rings"]:
            fail("%s: path does not decode back to its points" % iso2)
        out.append({"iso2": iso2, "name": entry["name"], "d": d})

    minx, miny = round_half_away(LON_MIN * SCALE), round_half_away(-LAT_MAX * SCALE)
    maxx, maxy = round_half_away(LON_MAX * SCALE), round_half_away(-LAT_MIN * SCALE)
    doc = {
        "source": SOURCE,
        "attribution": ATTRIBUTION,
        "viewBox": "%d %d %d %d" % (minx, miny, maxx - minx, maxy - miny),
        "countries": out,
    }
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return data, gzip.compress(data, compresslevel=9, mtime=0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help="a geopandas-%s wheel (default: pip download it)"
                    % GEOPANDAS_VERSION)
    ap.add_argument("--countries", type=Path, default=COUNTRIES_CSV,
                    help="the CSV of iso2 codes Tariff knows (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if the files in the tree differ from a regeneration")
    args = ap.parse_args()

    if args.wheel:
        data, gz = build(args.wheel, args.countries)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            data, gz = build(download_wheel(tmp), args.countries)

    if args.check:
        stale = [str(p.relative_to(ROOT)) for p, want in ((OUT_JSON, data), (OUT_GZ, gz))
                 if not p.is_file() or p.read_bytes() != want]
        if stale:
            print("error: out of date with scripts/world_map.py: %s; run python3 scripts/world_map.py"
                  % ", ".join(stale), file=sys.stderr)
            return 1
        print("world map assets are up to date (%d bytes, %d gzipped)" % (len(data), len(gz)))
        return 0

    OUT_JSON.write_bytes(data)
    OUT_GZ.write_bytes(gz)
    n = json.loads(data)["countries"]
    print("wrote %s (%d bytes) and %s (%d bytes), %d countries"
          % (OUT_JSON.relative_to(ROOT), len(data), OUT_GZ.relative_to(ROOT), len(gz), len(n)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
