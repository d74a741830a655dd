#!/usr/bin/python3
"""Builds sample-data/demo-bundle/: a small, UNTRAINED model bundle for testing the pipeline.

Everything is deterministic (fixed seeds) and made from public-domain inputs:
  backbone.pt            tiny CLIP-shaped ViT (tools/export_clip_vision.py preset 'tiny', random weights)
  geocells.geojson       ~70 coarse cells: large countries alone, smaller ones grouped by region,
                         polygons from Natural Earth 1:110m (public domain) via npm world-atlas 2.0.2
  head.safetensors       random linear head
  refinement.safetensors synthetic retrieval index: 6 random points inside each cell in 2 clusters;
                         member embeddings = demo backbone outputs on random blocky images
  manifest.json, README.md
  backbone.bf16.pt, backbone.int8.pt  precision variants (tools/export_precision_variants.py)
Also writes the golden outputs for the Java/DJL parity test
(engine/src/test/resources/golden/backbone/demo_backbone.safetensors).

Usage:  /usr/bin/python3 tools/build_demo_bundle.py [--world-atlas DIR_OR_TGZ]
The world-atlas package is fetched with `npm pack world-atlas@2.0.2` into a temp folder when not given.
"""
import argparse
import hashlib
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

import numpy as np
import torch
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import unary_union

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import antimeridian as am  # noqa: E402
import export_clip_vision as ecv  # noqa: E402
import export_precision_variants as epv  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "sample-data", "demo-bundle")
GOLDEN = os.path.join(REPO, "engine", "src", "test", "resources", "golden", "backbone")
SEED = 20240601
MEMBERS_PER_CELL = 6
ATTRIBUTION = "Natural Earth (public domain) via world-atlas 2.0.2"

# Cells: (cell id, name, comma-separated ISO 3166-1 numeric codes). Large countries get a cell of their own; the rest
# are grouped by region. Antarctica (010) and the French Southern Lands (260) are left out, as
# street-level photo datasets have (almost) no images there. None = features without an id (Kosovo,
# N. Cyprus, Somaliland), assigned by name below.
SINGLE = [
    ("USA", "United States", "840"), ("CAN", "Canada", "124"), ("MEX", "Mexico", "484"), ("BRA", "Brazil", "076"),
    ("ARG", "Argentina", "032"), ("CHL", "Chile", "152"), ("PER", "Peru", "604"), ("COL", "Colombia", "170"),
    ("RUS", "Russia", "643"), ("CHN", "China", "156"), ("IND", "India", "356"), ("AUS", "Australia", "036"),
    ("KAZ", "Kazakhstan", "398"), ("MNG", "Mongolia", "496"), ("IDN", "Indonesia", "360"), ("JPN", "Japan", "392"),
    ("ZAF", "South Africa", "710"), ("EGY", "Egypt", "818"), ("DZA", "Algeria", "012"), ("SAU", "Saudi Arabia", "682"),
    ("IRN", "Iran", "364"), ("TUR", "Turkey", "792"), ("FRA", "France", "250"), ("DEU", "Germany", "276"),
    ("ESP", "Spain", "724"), ("ITA", "Italy", "380"), ("GBR", "United Kingdom", "826"), ("POL", "Poland", "616"),
    ("UKR", "Ukraine", "804"), ("NOR", "Norway", "578"), ("SWE", "Sweden", "752"), ("FIN", "Finland", "246"),
    ("NZL", "New Zealand", "554"), ("GRL", "Greenland", "304"), ("PRT", "Portugal", "620"), ("IRL", "Ireland", "372"),
    ("BLR", "Belarus", "112"), ("PAK", "Pakistan", "586"), ("NGA", "Nigeria", "566"), ("COD", "DR Congo", "180"),
    ("SDN", "Sudan", "729"), ("MDG", "Madagascar", "450"), ("THA", "Thailand", "764"), ("PHL", "Philippines", "608"),
]
GROUPS = [
    ("G-CAM", "Central America", "084,188,222,320,340,558,591"),
    ("G-CAR", "Caribbean", "044,192,214,332,388,630,780"),
    ("G-NSA", "Northern South America", "862,328,740,218"),
    ("G-SSA", "Bolivia, Paraguay, Uruguay", "068,600,858,238"),
    ("G-NOR", "Denmark and Iceland", "208,352"),
    ("G-BNL", "Benelux and Alps", "056,528,442,756,040"),
    ("G-BAL", "Baltic states", "233,428,440"),
    ("G-CEU", "Central Europe", "203,703,348,705,191"),
    ("G-WBK", "Western Balkans", "008,070,499,688,807,Kosovo"),
    ("G-ROM", "Romania, Moldova, Bulgaria", "642,498,100"),
    ("G-GRC", "Greece and Cyprus", "300,196,N. Cyprus"),
    ("G-CAU", "Caucasus", "031,051,268"),
    ("G-LEV", "Levant and Iraq", "275,376,400,422,760,368"),
    ("G-GLF", "Gulf and Yemen", "414,634,784,512,887"),
    ("G-CAS", "Central Asia and Afghanistan", "417,762,795,860,004"),
    ("G-SAS", "Bangladesh, Bhutan, Nepal, Sri Lanka", "050,064,524,144"),
    ("G-IND", "Indochina and Myanmar", "104,116,418,704"),
    ("G-MSA", "Malaysia, Brunei, Timor-Leste", "458,096,626"),
    ("G-EAS", "Koreas and Taiwan", "408,410,158"),
    ("G-MEL", "Melanesia", "090,242,540,548,598"),
    ("G-NAF", "Maghreb and Libya", "504,732,788,434"),
    ("G-SAH", "Sahel", "466,478,562,854,148"),
    ("G-WAF", "West African coast", "204,270,288,324,384,430,624,686,694,768"),
    ("G-CAF", "Central Africa", "120,140,178,226,266"),
    ("G-EAF", "East Africa", "108,404,646,800,834,728"),
    ("G-HRN", "Horn of Africa", "231,232,262,706,Somaliland"),
    ("G-SAF", "Southern Africa", "024,072,426,454,508,516,716,748,894"),
]
EXCLUDED = {"010", "260"}


# ---------------------------------------------------------------- geocells

def world_atlas(path):
    """countries-110m.json from a world-atlas folder, .tgz, or `npm pack` into a temp folder."""
    if path is None:
        tmp = tempfile.mkdtemp(prefix="world-atlas-")
        subprocess.run(["npm", "pack", "world-atlas@2.0.2"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        path = os.path.join(tmp, "world-atlas-2.0.2.tgz")
    if path.endswith(".tgz"):
        with tarfile.open(path) as t:
            return json.load(t.extractfile("package/countries-110m.json"))
    for p in (os.path.join(path, "countries-110m.json"), os.path.join(path, "package", "countries-110m.json")):
        if os.path.isfile(p):
            with open(p) as f:
                return json.load(f)
    raise FileNotFoundError(f"{path}: countries-110m.json not found")


def decode_topojson(topo):
    """{key: (name, shapely geometry)} for the 'countries' object; key = ISO numeric id, or the name when id-less.
    world-atlas is stitched across the antimeridian; antimeridian.decode cuts it at +-180 (Russia, Fiji)."""
    return {fid or props["name"]: (props["name"], geom) for fid, props, geom in am.decode(topo, "countries")}


def as_multipolygon(g):
    g = g if g.is_valid else g.buffer(0)
    if isinstance(g, Polygon):
        return MultiPolygon([g])
    if isinstance(g, MultiPolygon):
        return g
    return MultiPolygon([p for p in getattr(g, "geoms", []) if isinstance(p, Polygon)])


def build_geocells(topo):
    countries = decode_topojson(topo)
    specs = [(cid, name, [code], cid) for cid, name, code in SINGLE]
    specs += [(cid, name, codes.split(","), name) for cid, name, codes in GROUPS]
    used = set()
    cells = []
    for index, (cid, name, codes, country) in enumerate(specs):
        parts = []
        for c in codes:
            if c not in countries:
                raise KeyError(f"cell {cid}: no country with id/name {c!r} in world-atlas")
            if c in used:
                raise ValueError(f"country {c} is in two cells")
            used.add(c)
            parts.append(countries[c][1])
        geom = as_multipolygon(unary_union(parts))
        rep = geom.representative_point()
        cells.append({"index": index, "id": cid, "name": name, "country": country, "geometry": geom,
                      "centroid": (rep.y, rep.x)})
    left = set(countries) - used - EXCLUDED
    if left:
        raise ValueError(f"countries not assigned to any cell: {sorted(left)}")
    return cells


def geocells_geojson(cells):
    def rounded(coords):
        return [[round(x, 5), round(y, 5)] for x, y in coords]

    features = []
    for c in cells:
        polys = []
        for p in c["geometry"].geoms:
            polys.append([rounded(p.exterior.coords)] + [rounded(r.coords) for r in p.interiors])
        features.append({
            "type": "Feature", "id": c["id"],
            "properties": {"class_index": c["index"], "cell_id": c["id"], "name": c["name"], "admin1": "",
                           "country": c["country"], "point_count": 0,
                           "centroid_lat": round(c["centroid"][0], 6), "centroid_lon": round(c["centroid"][1], 6)},
            "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    return {"type": "FeatureCollection", "name": "geopigeon-demo-geocells",
            "attribution": ATTRIBUTION,
            "note": "Demo cells have no training points: centroid_lat/lon is a representative point inside the cell.",
            "features": features}


# ---------------------------------------------------------------- tensors

def write_safetensors(path, tensors, metadata=None):
    """Minimal safetensors writer (the package is not in Debian). tensors: {name: numpy array}."""
    codes = {np.dtype("float32"): "F32", np.dtype("float16"): "F16", np.dtype("int32"): "I32"}
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        raw = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": codes[arr.dtype], "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def sample_inside(geom, n, rng):
    minx, miny, maxx, maxy = geom.bounds
    pts = []
    while len(pts) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(Point(x, y)):
            pts.append((y, x))
    return pts


def random_images(n, size, rng):
    """Blocky random colour images (8x8 grid upsampled), CLIP-normalised: [n,3,S,S] float32."""
    grid = rng.uniform(0, 1, size=(n, 3, 8, 8)).astype(np.float32)
    img = np.repeat(np.repeat(grid, size // 8, axis=2), size // 8, axis=3)
    mean = np.array(ecv.CLIP_MEAN, dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.array(ecv.CLIP_STD, dtype=np.float32).reshape(1, 3, 1, 1)
    return (img - mean) / std


def build_refinement(cells, backbone, size, rng):
    latlon, images_per_member = [], []
    for c in cells:
        pts = sample_inside(c["geometry"], MEMBERS_PER_CELL, rng)
        pts.sort(key=lambda p: (p[1], p[0]))  # 2 clusters: western half, eastern half
        latlon.extend(pts)
    n = len(latlon)
    with torch.inference_mode():
        emb = torch.cat([backbone(torch.from_numpy(random_images(32, size, rng)[: min(32, n - i)]))
                         for i in range(0, n, 32)]).numpy()
    half = MEMBERS_PER_CELL // 2
    clusters = len(cells) * 2
    cell_cluster_offsets = np.arange(0, clusters + 1, 2, dtype=np.int32)
    cluster_member_offsets = np.arange(0, n + 1, half, dtype=np.int32)
    members16 = emb.astype(np.float16)
    prototypes = members16.astype(np.float32).reshape(clusters, half, -1).mean(axis=1).astype(np.float16)
    return {"cell_cluster_offsets": cell_cluster_offsets, "prototypes": prototypes,
            "cluster_member_offsets": cluster_member_offsets, "member_embeddings": members16,
            "member_latlon": np.array(latlon, dtype=np.float32)}


def golden_inputs(k, size):
    """Deterministic pseudo-random input, reproduced bit-exactly by the Java test:
    h = ((i + 1000003*k + 1) * 2654435761) mod 2^32, v = (h >> 8) / 2^24 * 4 - 2 for flat index i."""
    i = np.arange(3 * size * size, dtype=np.uint64)
    h = ((i + np.uint64(1000003 * k + 1)) * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    v = (h >> np.uint64(8)).astype(np.float64) / 16777216.0 * 4 - 2
    return v.astype(np.float32).reshape(1, 3, size, size)


class _MeanColourTo64(torch.nn.Module):
    """Valid TorchScript image encoder with the wrong width (64): for the bundle-mismatch test."""

    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(3, 64)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x.mean(dim=(2, 3)))


class _Identity(torch.nn.Module):
    """Valid TorchScript that returns its [N,3,S,S] input: the wrong output rank."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def write_test_fixtures(golden_dir):
    torch.manual_seed(SEED)
    for name, module in (("width64.pt", _MeanColourTo64()), ("identity.pt", _Identity())):
        scripted = torch.jit.script(module.eval())
        scripted.save(os.path.join(golden_dir, name))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---------------------------------------------------------------- main

README = """# GeoPigeon demo bundle (UNTRAINED)

**The weights in this bundle are random. Its predictions carry NO geographic information.**
It exists so the whole pipeline (decode, preprocess, backbone, geocell head, refinement, WPS,
PostGIS, map styles) can be installed and tested without downloading gigabytes of weights.
Do not use its output for anything.

| file | contents |
|---|---|
| `manifest.json` | bundle description (`geopigeon-bundle/1`, `trained: false`) |
| `backbone.pt` | TorchScript CLIP-shaped vision transformer, random weights (224 px, patch 32, width 128, 4 layers) |
| `head.safetensors` | random linear geocell head, {cells} x 128 |
| `geocells.geojson` | {cells} coarse cells: large countries alone, smaller ones grouped by region. No training points: `centroid_lat/lon` is a representative point inside the cell. |
| `refinement.safetensors` | synthetic retrieval index: {per} random points inside each cell in 2 clusters; embeddings are this backbone's outputs on random blocky images |

Rebuild (deterministic): `/usr/bin/python3 tools/build_demo_bundle.py`.
For a real model see `docs/bundle-format.md` (one-step import of StreetCLIP / CLIP ViT-L/14@336).

## Attribution
Cell polygons: Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com
(public domain), 1:110m countries, via the npm package world-atlas 2.0.2 (ISC licence).
Everything else in this folder was generated by GeoPigeon's tools and is released with the project.
"""


def main(argv=None):
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes class constants in set order; a fixed hash seed makes backbone.pt byte-identical.
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--world-atlas", help="world-atlas 2.0.2 folder or .tgz (default: npm pack into a temp dir)")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--golden", default=GOLDEN)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(SEED)

    cells = build_geocells(world_atlas(a.world_atlas))
    with open(os.path.join(a.out, "geocells.geojson"), "w") as f:
        json.dump(geocells_geojson(cells), f, separators=(",", ":"))
        f.write("\n")

    config = ecv.PRESETS["tiny"]
    backbone = ecv.build(config, None, SEED)
    backbone_file = os.path.join(a.out, "backbone.pt")
    ecv.export(backbone, config, backbone_file)
    ecv.check(backbone, config, backbone_file, SEED)

    d, c = config.hidden_size, len(cells)
    write_safetensors(os.path.join(a.out, "head.safetensors"), {
        "weight": (rng.standard_normal((c, d)) / np.sqrt(d)).astype(np.float32),
        "bias": (rng.standard_normal(c) * 0.1).astype(np.float32)}, {"format": "geopigeon-head/1"})
    write_safetensors(os.path.join(a.out, "refinement.safetensors"),
                      build_refinement(cells, backbone, config.image_size, rng), {"format": "geopigeon-refinement/1"})

    manifest = {
        "format": "geopigeon-bundle/1",
        "name": "geopigeon-demo-untrained",
        "description": "Demo bundle with RANDOM, UNTRAINED weights: its predictions carry NO geographic "
                       "information. For testing the pipeline only.",
        "trained": False,
        "licence": "Generated data: same licence as GeoPigeon. Geocell polygons: Natural Earth, public domain.",
        "provenance": "tools/build_demo_bundle.py (seed %d): random tiny CLIP-shaped ViT, random head, synthetic "
                      "refinement index; geocells from %s." % (SEED, ATTRIBUTION),
        "backbone": {"file": "backbone.pt", "inputSize": config.image_size, "resizeShortestEdge": config.image_size,
                     "cropSize": config.image_size, "resample": "bicubic", "mean": ecv.CLIP_MEAN, "std": ecv.CLIP_STD,
                     "embeddingDim": d, "pooling": "mean-all-tokens", "pretrained": False},
        "geocells": "geocells.geojson",
        "head": "head.safetensors",
        "refinement": "refinement.safetensors",
        "defaults": {"topK": 5, "refineTopK": 5, "temperature": 1.6, "fallbackKm": 1000.0, "batchSize": 8},
    }
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(a.out, "README.md"), "w") as f:
        f.write(README.replace("{cells}", str(c)).replace("{per}", str(MEMBERS_PER_CELL)))
    # bf16 and int8 copies of the backbone, listed in manifest.json's backbone.variants (issue 9).
    epv.main(["--bundle", a.out, "--precisions", "bf16,int8", "--force"])

    # Golden outputs of the shipped TorchScript file (what DJL runs) for the Java parity test.
    loaded = torch.jit.load(backbone_file, map_location="cpu").eval()
    inputs = np.concatenate([golden_inputs(k, config.image_size) for k in range(3)])
    with torch.inference_mode():
        out = loaded(torch.from_numpy(inputs)).numpy()
        single = np.concatenate([loaded(torch.from_numpy(inputs[k:k + 1])).numpy() for k in range(3)])
    print(f"golden: batch vs single max abs diff {np.abs(out - single).max():.3e}")
    os.makedirs(a.golden, exist_ok=True)
    write_safetensors(os.path.join(a.golden, "demo_backbone.safetensors"), {"outputs": out.astype(np.float32)}, {
        "backbone_sha256": sha256(backbone_file), "images": "3", "input_size": str(config.image_size),
        "inputs": "image k, flat index i: h = ((i + 1000003*k + 1) * 2654435761) mod 2^32; v = (h >> 8) / 2^24 * 4 - 2",
        "torch": torch.__version__})
    write_test_fixtures(a.golden)

    total = sum(os.path.getsize(os.path.join(a.out, f)) for f in os.listdir(a.out))
    print(f"wrote {a.out}: {c} cells, D={d}, {total / 1e6:.2f} MB; golden in {a.golden}")


if __name__ == "__main__":
    main()
