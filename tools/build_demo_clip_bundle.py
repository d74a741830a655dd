#!/usr/bin/python3
"""Builds sample-data/demo-clip-bundle/: a tiny, UNTRAINED CLIP-shaped bundle with both towers and a small
tokenizer, for trying `./geopigeon zeroshot` and `./geopigeon pretrain` on a fresh machine, and the golden files
of the Java parity tests (engine/src/test/resources/golden/clip/).

  backbone.pt     vision tower (export_clip_vision preset 'tiny': 224 px, patch 32, width 128, 4 layers) with
                  forward = mean-all-tokens [N,128] and get_image_features = projected class token [N,64]
  backbone.bf16.pt  its bf16 precision variant with both methods (tools/export_precision_variants.py), so a
                  zero-shot bundle made from this one runs in bf16 too; listed in manifest.json backbone.variants.
                  Only bf16, to keep the bundle small: int8 is one command away (--precisions int8)
  text.pt         text tower (width 64, 2 layers, 2 heads, 77 positions) + text_projection -> [N,64]
  tokenizer.json  CLIP-style byte-level BPE (vocab.json + merges.txt beside it) trained here on caption-like
                  text made from sample-data/captions (templates, country and town names) and the admin-1 names
                  of sample-data/boundaries: 2,000 merges
  manifest.json   backbone + clip sections (no geocells, no head: `zeroshot` writes those) and README.md, written
                  by the Java bench main org.geopigeon.bench.samples.DemoClipBundle through the engine's
                  ManifestWriter (tools/run-bench-main.sh; needs Maven and a JDK 17), so the bundle format is
                  defined once; this script passes it the numbers it used (seed, sizes, token ids, merges)

All weights are random (seeded); the bundle carries NO geographic information. Deterministic: byte-identical
on every run. The golden files hold token ids from an independent tokenizer (tools/tokenize_reference.mjs,
npm @huggingface/tokenizers; node must be on PATH, the package is installed into a temp folder) checked against
this script's own encoder, text features of the exported text.pt, zero-shot head rows, and projected image
features.

Usage: /usr/bin/python3 tools/build_demo_clip_bundle.py
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip_text as ect  # noqa: E402
import export_clip_vision as ecv  # noqa: E402
import export_precision_variants as epv  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "sample-data", "demo-clip-bundle")
GOLDEN = os.path.join(REPO, "engine", "src", "test", "resources", "golden", "clip")
SEED = 20240612
MERGES = 2000
PROJECTION = 64
LOGIT_SCALE = 1 / 0.07  # CLIP's initial temperature (Radford et al. 2021, §2.5): these weights are untrained
TEXT = ect.TextConfig(vocab_size=0, hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                      num_attention_heads=2, max_position_embeddings=77)

# Tokenizer parity cases: accents, punctuation, contractions, digits, non-Latin scripts, white space, empty,
# and over-long text (truncated to 77 tokens).
GOLDEN_TEXTS = [
    "A street view photo in Germany.",
    "A photo taken in the region of Île-de-France in France.",
    "A street near São Paulo, Brazil.",
    "A photo taken close to the town of Kraków in Poland.",
    "A photo taken in Đắk Lắk, Vietnam.",
    "A photo taken in Şəki, Azerbaijan.",
    "A photo taken in 東京都, Japan.",
    "A photo taken in القاهرة, Egypt.",
    "A photo taken in Москва, Russia.",
    "A photo taken in Αθήνα, Greece.",
    "A photo taken in नई दिल्ली, India.",
    "A photo taken in 서울, South Korea.",
    "Saint John’s, Antigua and Barbuda — it's the capital; we'll see!",
    "DON'T SHOUT: N'Djamena, Chad (pop. 1,532,588) ... 42°N?",
    "  Tabs\tand\nnew lines   collapse  ",
    "Emoji 🏔️ and symbols © ™ ½",
    "",
    "In this place people drive on the left side of the road.",
    "A photo taken in summer in the southern hemisphere.",
    " ".join(["A very long caption about Llanfairpwllgwyngyll, Wales, the United Kingdom."] * 8),
    "word " * 120,
]
# Zero-shot head golden: groups of captions (one "cell" each) -> logit_scale * normalise(mean(normalise(features))).
GOLDEN_GROUPS = [[0, 17], [1, 2, 3], [6, 7, 8, 9, 10, 11], [4, 5, 18, 19, 12]]


def corpus():
    """Caption-like training text for the tiny tokenizer, from files in this repository only."""
    caps = os.path.join(REPO, "sample-data", "captions")
    texts = []
    with open(os.path.join(caps, "templates.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                texts.append(line.split("\t", 1)[1].replace("{", " ").replace("}", " "))
    with open(os.path.join(caps, "countries.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f][1:]
    texts += [f"A street view photo in {r[3]} {r[2]}, {r[4]}." for r in rows]
    with open(os.path.join(caps, "towns.tsv"), encoding="utf-8") as f:
        towns = [l.rstrip("\n").split("\t") for l in f][1:3001]
    texts += [f"A street near {t[0]}." for t in towns]
    with open(os.path.join(REPO, "sample-data", "boundaries", "admin1.geojson"), encoding="utf-8") as f:
        admin1 = json.load(f)
    texts += [f"A photo taken in the region of {p['name']}." for p in (x["properties"] for x in admin1["features"])
              if p.get("name")]
    texts += [f"A photo taken in {m}." for m in ("January February March April May June July August September "
                                                 "October November December winter spring summer autumn").split()]
    return texts


def js_reference_ids(tokenizer_path, texts, context_length):
    with tempfile.TemporaryDirectory(prefix="tokref-") as tmp:
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "@huggingface/tokenizers@0.2.0"],
                       cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        script = os.path.join(tmp, "tokenize_reference.mjs")
        with open(os.path.join(REPO, "tools", "tokenize_reference.mjs"), encoding="utf-8") as f, open(script, "w") as g:
            g.write(f.read())
        req = json.dumps({"tokenizer": tokenizer_path, "texts": texts, "contextLength": context_length})
        out = subprocess.run(["node", script], input=req, cwd=tmp, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["ids"]


def golden_inputs(k, size):
    """The deterministic image input of build_demo_bundle.golden_inputs (kept here so this script does not depend on that one),
    reproduced bit-exactly by the Java tests: h = ((i + 1000003*k + 1) * 2654435761) mod 2^32,
    v = (h >> 8) / 2^24 * 4 - 2 for flat index i."""
    i = np.arange(3 * size * size, dtype=np.uint64)
    h = ((i + np.uint64(1000003 * k + 1)) * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    v = (h >> np.uint64(8)).astype(np.float64) / 16777216.0 * 4 - 2
    return v.astype(np.float32).reshape(1, 3, size, size)


def padded(ids, length, pad):
    return ids + [pad] * (length - len(ids))


JAVA_MAIN = "org.geopigeon.bench.samples.DemoClipBundle"


def java_bundle_files(out, vconf, tconf, vocab, merges, bos, eos):
    """manifest.json and README.md through the Java bundle writers (bench main DemoClipBundle), from these facts."""
    facts = {"--folder": out, "--seed": SEED, "--input-size": vconf.image_size, "--embedding-dim": vconf.hidden_size,
             "--projection": PROJECTION, "--context-length": tconf.max_position_embeddings,
             "--logit-scale": repr(LOGIT_SCALE), "--vocab-size": len(vocab), "--merges": len(merges),
             "--bos": bos, "--eos": eos}
    args = [str(x) for kv in facts.items() for x in kv]
    subprocess.run([os.path.join(REPO, "tools", "run-bench-main.sh"), JAVA_MAIN] + args, check=True)


def main(argv=None):
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes class constants in set order; a fixed hash seed makes the .pt files byte-identical.
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--golden", default=GOLDEN)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(a.golden, exist_ok=True)

    # Tokenizer.
    vocab, merges = ect.train_bpe(corpus(), MERGES)
    tok_path = os.path.join(a.out, "tokenizer.json")
    ect.write_json(tok_path, ect.clip_tokenizer_json(vocab, merges))
    ect.write_json(os.path.join(a.out, "vocab.json"), vocab)
    with open(os.path.join(a.out, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{x} {y}\n" for x, y in merges))
    bos, eos = vocab[ect.BOS], vocab[ect.EOS]

    # Towers.
    vconf = ecv.PRESETS["tiny"]
    vision = ecv.build(vconf, None, SEED, PROJECTION)
    ecv.export(vision, vconf, os.path.join(a.out, "backbone.pt"))
    ecv.check(vision, vconf, os.path.join(a.out, "backbone.pt"), SEED)
    tconf = ect.TextConfig(**{**TEXT.__dict__, "vocab_size": len(vocab), "eos_token_id": eos}).validate()
    text = ect.build(tconf, PROJECTION, eos, None, SEED + 1)
    text_path = ect.export(text, os.path.join(a.out, "text.pt"))
    ect.check(text, tconf, text_path, eos, bos, SEED)

    # The bf16 variant of the vision tower, both methods (forward and get_image_features), beside it; the Java
    # half lists it in the manifest it writes.
    epv.main(["--backbone", os.path.join(a.out, "backbone.pt"), "--precisions", "bf16", "--force"])
    java_bundle_files(os.path.abspath(a.out), vconf, tconf, vocab, merges, bos, eos)

    # Goldens: token ids (JS reference == this script's encoder), text features, head rows, image features.
    L = tconf.max_position_embeddings
    js = js_reference_ids(os.path.abspath(tok_path), GOLDEN_TEXTS, L)
    py = [ect.encode(t, vocab, merges, L) for t in GOLDEN_TEXTS]
    for t, a_ids, b_ids in zip(GOLDEN_TEXTS, js, py):
        if a_ids != b_ids:
            raise SystemExit(f"tokenizer references disagree on {t!r}:\n js {a_ids}\n py {b_ids}")
    if max(len(x) for x in js) != L:
        raise SystemExit("no golden text reaches the context length")
    loaded_text = torch.jit.load(text_path, map_location="cpu").eval()
    ids = torch.tensor([padded(x, L, eos) for x in js], dtype=torch.int64)
    with torch.inference_mode():
        feats = loaded_text(ids)
        eager = text(ids)
    print(f"golden: text features TorchScript vs eager max abs diff {(feats - eager).abs().max().item():.3e}")
    normed = torch.nn.functional.normalize(feats.double(), dim=-1)
    rows = []
    for g in GOLDEN_GROUPS:
        rows.append((LOGIT_SCALE * torch.nn.functional.normalize(normed[g].mean(0), dim=-1)).tolist())
    loaded_vision = torch.jit.load(os.path.join(a.out, "backbone.pt"), map_location="cpu").eval()
    images = np.concatenate([golden_inputs(k, vconf.image_size) for k in range(2)])
    with torch.inference_mode():
        image_features = loaded_vision.get_image_features(torch.from_numpy(images))
    golden = {
        "note": "tools/build_demo_clip_bundle.py: token ids from npm @huggingface/tokenizers 0.2.0 "
                "(tools/tokenize_reference.mjs), equal to export_clip_text.encode; features from the exported text.pt "
                f"(torch {torch.__version__}); head rows = logitScale * normalise(mean(normalise(features of the group)))",
        "contextLength": L, "logitScale": LOGIT_SCALE, "texts": GOLDEN_TEXTS, "ids": js,
        "textFeatures": [[round(v, 7) for v in r] for r in feats.tolist()],
        "groups": GOLDEN_GROUPS, "headRows": [[round(v, 7) for v in r] for r in rows],
        "imageInputs": "image k, flat index i: h = ((i + 1000003*k + 1) * 2654435761) mod 2^32; v = (h >> 8) / 2^24 * 4 - 2",
        "imageFeatures": [[round(v, 7) for v in r] for r in image_features.tolist()],
    }
    with open(os.path.join(a.golden, "demo_clip.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(a.out, f)) for f in os.listdir(a.out))
    print(f"wrote {a.out}: vocab {len(vocab)}, {total / 1e6:.2f} MB; golden {a.golden}/demo_clip.json "
          f"({len(GOLDEN_TEXTS)} texts, longest {max(len(x) for x in js)} tokens)")


if __name__ == "__main__":
    main()
