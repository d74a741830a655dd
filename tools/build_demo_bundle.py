#!/usr/bin/python3
"""Builds sample-data/demo-bundle/: a small, UNTRAINED model bundle for testing the pipeline.

Python does only what needs torch; everything else is written by the Java bench main
org.geopigeon.bench.samples.DemoBundle through the engine's bundle writers, so the bundle format is defined once
(docs/bundle-format.md, "How the demo bundles are built"). Steps, all deterministic (fixed seeds):
  1. Python: backbone.pt, a tiny CLIP-shaped ViT (tools/export_clip_vision.py preset 'tiny', random weights),
     exported to TorchScript and checked against the eager model, into a temporary folder;
  2. Python: its bf16 and int8 precision variants beside it (tools/export_precision_variants.py --backbone);
  3. Java (tools/run-bench-main.sh, Maven): a new bundle folder with those files and
       geocells.geojson       71 coarse cells: large countries alone, smaller ones grouped by region, polygons
                              from Natural Earth 1:110m (public domain) via npm world-atlas 2.0.2, decoded and cut
                              at the antimeridian by the engine (TopoJson, AntimeridianCutter)
       head.safetensors       random linear head (GeocellHead)
       refinement.safetensors synthetic retrieval index (RefinementIndexWriter): 6 random points inside each cell
                              in 2 clusters; member embeddings = the demo backbone's outputs (DJL) on random
                              blocky images
       manifest.json          (ManifestWriter; backbone.variants lists the variants of step 2), README.md
     which then replaces sample-data/demo-bundle/;
  4. Python: the golden outputs of backbone.pt for the Java/DJL parity test and two broken TorchScript fixtures
     (engine/src/test/resources/golden/backbone/).

Usage:  /usr/bin/python3 tools/build_demo_bundle.py [--world-atlas DIR_OR_TGZ]
Needs Debian's python3-torch (at /usr/bin/python3), Maven and a JDK 17. The world-atlas package is fetched with
`npm pack world-atlas@2.0.2` into a temp folder when not given.
"""
import argparse
import hashlib
import os
import shutil
import struct
import json
import subprocess
import sys
import tarfile
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip_vision as ecv  # noqa: E402
import export_precision_variants as epv  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "sample-data", "demo-bundle")
GOLDEN = os.path.join(REPO, "engine", "src", "test", "resources", "golden", "backbone")
SEED = 20240601  # the Java half (DemoBundle.SEED) seeds the head and the refinement index with the same number
JAVA_MAIN = "org.geopigeon.bench.samples.DemoBundle"


def world_atlas_110m(path, work):
    """Path of countries-110m.json from a world-atlas folder, .tgz, or `npm pack` into `work`."""
    if path is None:
        subprocess.run(["npm", "pack", "world-atlas@2.0.2"], cwd=work, check=True, stdout=subprocess.DEVNULL)
        path = os.path.join(work, "world-atlas-2.0.2.tgz")
    if path.endswith(".tgz"):
        with tarfile.open(path) as t:
            t.extract("package/countries-110m.json", work)
        return os.path.join(work, "package", "countries-110m.json")
    for p in (os.path.join(path, "countries-110m.json"), os.path.join(path, "package", "countries-110m.json")):
        if os.path.isfile(p):
            return p
    raise FileNotFoundError(f"{path}: countries-110m.json not found")


def write_safetensors(path, tensors, metadata=None):
    """Minimal safetensors writer for the golden files only (the package is not in Debian; bundle files are
    written by the Java writers). tensors: {name: numpy array}."""
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


def java_bundle_files(world_atlas, backbone_dir, out):
    """Step 3: the bench main writes a complete new bundle folder `out` (it must not exist)."""
    runner = os.path.join(REPO, "tools", "run-bench-main.sh")
    subprocess.run([runner, JAVA_MAIN, "--world-atlas", world_atlas, "--backbone-dir", backbone_dir, "--out", out],
                   check=True)


def replace_folder(new, target):
    """Puts the finished bundle `new` in place of `target` (renames; the old one is removed last)."""
    old = target + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(target):
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------- main

def main(argv=None):
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes class constants in set order; a fixed hash seed makes backbone.pt byte-identical.
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--world-atlas", help="world-atlas 2.0.2 folder or .tgz (default: npm pack into a temp dir)")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--golden", default=GOLDEN)
    a = ap.parse_args(argv)
    out = os.path.abspath(a.out)
    work = tempfile.mkdtemp(prefix="geopigeon-demo-bundle-")
    try:
        atlas = world_atlas_110m(a.world_atlas, work)

        # 1-2: the backbone and its precision variants (torch only).
        backbone_dir = os.path.join(work, "backbone")
        os.makedirs(backbone_dir)
        config = ecv.PRESETS["tiny"]
        backbone = ecv.build(config, None, SEED)
        backbone_file = os.path.join(backbone_dir, "backbone.pt")
        ecv.export(backbone, config, backbone_file)
        ecv.check(backbone, config, backbone_file, SEED)
        epv.main(["--backbone", backbone_file, "--precisions", "bf16,int8", "--force"])

        # 3: everything else through the Java bundle writers, then swap the folder in.
        staged = out + ".new"
        shutil.rmtree(staged, ignore_errors=True)
        java_bundle_files(atlas, backbone_dir, staged)
        replace_folder(staged, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # 4: golden outputs of the shipped TorchScript file (what DJL runs) for the Java parity test.
    backbone_file = os.path.join(out, "backbone.pt")
    loaded = torch.jit.load(backbone_file, map_location="cpu").eval()
    inputs = np.concatenate([golden_inputs(k, config.image_size) for k in range(3)])
    with torch.inference_mode():
        result = loaded(torch.from_numpy(inputs)).numpy()
        single = np.concatenate([loaded(torch.from_numpy(inputs[k:k + 1])).numpy() for k in range(3)])
    print(f"golden: batch vs single max abs diff {np.abs(result - single).max():.3e}")
    os.makedirs(a.golden, exist_ok=True)
    write_safetensors(os.path.join(a.golden, "demo_backbone.safetensors"), {"outputs": result.astype(np.float32)}, {
        "backbone_sha256": sha256(backbone_file), "images": "3", "input_size": str(config.image_size),
        "inputs": "image k, flat index i: h = ((i + 1000003*k + 1) * 2654435761) mod 2^32; v = (h >> 8) / 2^24 * 4 - 2",
        "torch": torch.__version__})
    write_test_fixtures(a.golden)

    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"wrote {out}: {total / 1e6:.2f} MB; golden in {a.golden}")


if __name__ == "__main__":
    main()
