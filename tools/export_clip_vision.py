#!/usr/bin/python3
"""Export a CLIP vision encoder as the TorchScript backbone of a GeoPigeon model bundle.

Pure torch (no transformers package): the module below re-implements Hugging Face's
CLIPVisionModel with identical state-dict names, so weights of StreetCLIP or
openai/clip-vit-large-patch14-336 load without conversion. The exported module maps a
normalised image batch float [N,3,S,S] to PIGEOTTO's embedding: the mean over ALL tokens of the
encoder's last hidden state (before post_layernorm, no projection) -> float [N,D].

Examples
  # one-step import of a downloaded Hugging Face folder into a bundle (writes backbone.pt and manifest.json)
  /usr/bin/python3 tools/export_clip_vision.py --hf-dir ~/models/StreetCLIP --bundle my-bundle --check
  # random weights (tests, benchmarks)
  /usr/bin/python3 tools/export_clip_vision.py --preset tiny --random-weights --seed 1 --output /tmp/tiny.pt --check

Run with Debian's /usr/bin/python3 (torch 1.13); DJL 0.36 loads what it writes.
"""
import argparse
import json
import math
import os
import struct
import sys
from dataclasses import dataclass, asdict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


@dataclass(frozen=True)
class VisionConfig:
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    image_size: int
    patch_size: int
    layer_norm_eps: float = 1e-5
    hidden_act: str = "quick_gelu"

    def validate(self):
        if self.hidden_size % self.num_attention_heads:
            raise ValueError(f"hidden_size {self.hidden_size} is not divisible by num_attention_heads {self.num_attention_heads}")
        if self.image_size % self.patch_size:
            raise ValueError(f"image_size {self.image_size} is not divisible by patch_size {self.patch_size}")
        if self.hidden_act not in ("quick_gelu", "gelu"):
            raise ValueError(f"hidden_act '{self.hidden_act}' is not supported (quick_gelu, gelu)")
        return self


PRESETS = {
    # openai/clip-vit-large-patch14-336 and StreetCLIP (PIGEOTTO's backbone)
    "vit-l-14-336": VisionConfig(1024, 4096, 24, 16, 336, 14),
    # openai/clip-vit-base-patch32
    "vit-b-32": VisionConfig(768, 3072, 12, 12, 224, 32),
    # the demo bundle: CLIP-shaped but a few MB
    "tiny": VisionConfig(128, 512, 4, 4, 224, 32),
}


class Embeddings(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.class_embedding = nn.Parameter(torch.zeros(c.hidden_size))
        self.patch_embedding = nn.Conv2d(3, c.hidden_size, kernel_size=c.patch_size, stride=c.patch_size, bias=False)
        self.num_positions = (c.image_size // c.patch_size) ** 2 + 1
        self.position_embedding = nn.Embedding(self.num_positions, c.hidden_size)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)  # [N, P, D]
        cls = self.class_embedding.reshape(1, 1, -1).expand(patches.shape[0], 1, patches.shape[2])
        return torch.cat([cls, patches], dim=1) + self.position_embedding.weight.unsqueeze(0)


class Attention(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.head_dim = c.hidden_size // c.num_attention_heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.k_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.v_proj = nn.Linear(c.hidden_size, c.hidden_size)
        self.out_proj = nn.Linear(c.hidden_size, c.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape[0], x.shape[1], x.shape[2]
        q = (self.q_proj(x) * self.scale).reshape(n, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).reshape(n, t, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).reshape(n, t, self.heads, self.head_dim).transpose(1, 2)
        w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)), dim=-1)
        out = torch.matmul(w, v).transpose(1, 2).reshape(n, t, d)
        return self.out_proj(out)


class Mlp(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.quick = c.hidden_act == "quick_gelu"
        self.fc1 = nn.Linear(c.hidden_size, c.intermediate_size)
        self.fc2 = nn.Linear(c.intermediate_size, c.hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc1(x)
        h = h * torch.sigmoid(1.702 * h) if self.quick else F.gelu(h)
        return self.fc2(h)


class EncoderLayer(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.self_attn = Attention(c)
        self.layer_norm1 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.mlp = Mlp(c)
        self.layer_norm2 = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, c: VisionConfig):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x


class VisionTransformer(nn.Module):
    """HF CLIPVisionTransformer; 'pre_layrnorm' is HF's spelling."""

    def __init__(self, c: VisionConfig):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.encoder = Encoder(c)
        # Unused by the embedding but part of the checkpoint; kept so loading is strict.
        self.post_layernorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.encoder(self.pre_layrnorm(self.embeddings(pixels)))


class ClipVisionEmbedder(nn.Module):
    """[N,3,S,S] -> [N,D]: mean of last_hidden_state over all tokens (PIGEOTTO's image embedding)."""

    def __init__(self, c: VisionConfig):
        super().__init__()
        self.vision_model = VisionTransformer(c)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.vision_model(pixels).mean(dim=1)


class ClipVisionWithProjection(ClipVisionEmbedder):
    """ClipVisionEmbedder plus CLIP's joint-space image embedding, for zero-shot heads and caption pretraining.

    forward(pixels) is unchanged (PIGEOTTO's mean-all-tokens embedding, [N,D]); the extra TorchScript method
    get_image_features(pixels) -> [N,P] is Hugging Face's CLIPModel.get_image_features: the class token of
    last_hidden_state after post_layernorm, through visual_projection (no bias), NOT L2-normalised.
    Both share one copy of the weights, so the file is only P*D floats larger."""

    def __init__(self, c: VisionConfig, projection_dim: int):
        super().__init__(c)
        self.visual_projection = nn.Linear(c.hidden_size, projection_dim, bias=False)

    @torch.jit.export
    def get_image_features(self, pixels: torch.Tensor) -> torch.Tensor:
        hidden = self.vision_model(pixels)
        return self.visual_projection(self.vision_model.post_layernorm(hidden[:, 0, :]))


IMAGE_FEATURES_METHOD = "get_image_features"


# ---------------------------------------------------------------- weights

_ST_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """Minimal safetensors reader (the package is not in Debian): {name: torch.Tensor}."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        raw = data[begin:end]
        if spec["dtype"] == "BF16":
            u16 = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            arr = u16.view(np.float32)
        elif spec["dtype"] in _ST_DTYPES:
            arr = np.frombuffer(raw, dtype=np.dtype(_ST_DTYPES[spec["dtype"]]).newbyteorder("<"))
        else:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {spec['dtype']}")
        out[name] = torch.from_numpy(arr.copy().reshape(spec["shape"]))
    return out


def vision_state_dict(raw, source, projection=False):
    """Keeps vision_model.* keys of a CLIPModel or CLIPVisionModel checkpoint (and visual_projection.weight when
    projection is true), as float32."""
    sd = {}
    for k, v in raw.items():
        if k.startswith("vision_model.") and not k.endswith("position_ids"):
            sd[k] = v.float()
        elif projection and k == "visual_projection.weight":
            sd[k] = v.float()
        elif k.startswith(("text_model.", "visual_projection", "text_projection", "logit_scale")) or k.endswith("position_ids"):
            continue
        else:
            raise ValueError(f"{source}: unexpected tensor '{k}' (not a CLIP checkpoint?)")
    if not sd:
        raise ValueError(f"{source}: no vision_model.* tensors found")
    if projection and "visual_projection.weight" not in sd:
        raise ValueError(f"{source}: no visual_projection.weight (a CLIPVisionModel checkpoint has no joint space; "
                         f"use the full CLIPModel checkpoint)")
    return sd


def load_raw(path):
    """All tensors of a .safetensors or torch checkpoint: {name: tensor}."""
    if path.endswith(".safetensors"):
        return read_safetensors(path)
    raw = torch.load(path, map_location="cpu")
    if isinstance(raw, dict) and "state_dict" in raw:
        raw = raw["state_dict"]
    return raw


def load_weights(path, projection=False):
    return vision_state_dict(load_raw(path), path, projection)


def config_from_hf(config_path):
    with open(config_path) as f:
        cfg = json.load(f)
    v = cfg.get("vision_config", cfg)
    return VisionConfig(
        hidden_size=v["hidden_size"], intermediate_size=v["intermediate_size"],
        num_hidden_layers=v["num_hidden_layers"], num_attention_heads=v["num_attention_heads"],
        image_size=v["image_size"], patch_size=v["patch_size"],
        layer_norm_eps=v.get("layer_norm_eps", 1e-5), hidden_act=v.get("hidden_act", "quick_gelu")).validate()


def hf_weights_file(hf_dir):
    for name in ("model.safetensors", "pytorch_model.bin"):
        p = os.path.join(hf_dir, name)
        if os.path.isfile(p):
            return p
    raise FileNotFoundError(f"{hf_dir}: neither model.safetensors nor pytorch_model.bin found")


def preprocessing_from_hf(hf_dir, config):
    """Input size, resize and mean/std from preprocessor_config.json, else CLIP's values."""
    pre = {"inputSize": config.image_size, "resizeShortestEdge": config.image_size, "cropSize": config.image_size,
           "resample": "bicubic", "mean": CLIP_MEAN, "std": CLIP_STD}
    p = os.path.join(hf_dir, "preprocessor_config.json") if hf_dir else None
    if p and os.path.isfile(p):
        with open(p) as f:
            pc = json.load(f)
        crop = pc.get("crop_size", config.image_size)
        crop = crop.get("height", config.image_size) if isinstance(crop, dict) else crop
        size = pc.get("size", crop)
        size = size.get("shortest_edge", crop) if isinstance(size, dict) else size
        if crop != config.image_size:
            raise ValueError(f"{p}: crop_size {crop} differs from the model's image_size {config.image_size}")
        if pc.get("resample", 3) != 3:
            raise ValueError(f"{p}: resample {pc.get('resample')} is not bicubic (3)")
        pre.update(inputSize=crop, resizeShortestEdge=size, cropSize=crop,
                   mean=[float(x) for x in pc.get("image_mean", CLIP_MEAN)],
                   std=[float(x) for x in pc.get("image_std", CLIP_STD)])
    return pre


# ---------------------------------------------------------------- build / export

def build(config, weights=None, seed=0, projection_dim=None):
    """The vision module; with projection_dim also CLIP's joint-space method (ClipVisionWithProjection)."""
    torch.manual_seed(seed)
    model = (ClipVisionEmbedder(config.validate()) if projection_dim is None
             else ClipVisionWithProjection(config.validate(), projection_dim))
    if weights is None:
        randomise(model, seed)
    else:
        missing, unexpected = model.load_state_dict(weights, strict=False)
        if missing or unexpected:
            raise ValueError(f"weights do not fit the config: missing {missing[:5]}..., unexpected {unexpected[:5]}...")
    return model.eval()


def randomise(model, seed):
    """CLIP-like random init (normal std 0.02, LayerNorm identity) so activations stay in a realistic range."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "layer_norm" in name or "layrnorm" in name or "layernorm" in name:
                p.copy_(torch.ones_like(p) if name.endswith("weight") else torch.zeros_like(p))
            elif name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)


def export(model, config, output):
    with torch.no_grad():
        scripted = torch.jit.script(model)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    tmp = output + ".tmp"
    scripted.save(tmp)
    os.replace(tmp, output)
    return output


def check(model, config, output, seed=0):
    """Exported output must equal eager output on random input (max abs diff < 1e-5)."""
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(2, 3, config.image_size, config.image_size, generator=g)
    loaded = torch.jit.load(output, map_location="cpu").eval()
    with torch.inference_mode():
        eager = model(x)
        exported = loaded(x)
    diff = (eager - exported).abs().max().item()
    print(f"check: eager vs exported TorchScript, output {tuple(exported.shape)}, max abs diff {diff:.3e}")
    if tuple(exported.shape) != (2, config.hidden_size) or not diff < 1e-5:
        raise SystemExit(f"check FAILED for {output}")
    if isinstance(model, ClipVisionWithProjection):
        with torch.inference_mode():
            eager_p = model.get_image_features(x)
            exported_p = loaded.get_image_features(x)
        diff_p = (eager_p - exported_p).abs().max().item()
        print(f"check: {IMAGE_FEATURES_METHOD}, output {tuple(exported_p.shape)}, max abs diff {diff_p:.3e}")
        if not diff_p < 1e-5:
            raise SystemExit(f"check FAILED for {output} ({IMAGE_FEATURES_METHOD})")
    return diff


def update_manifest(bundle_dir, backbone_file, config, pre, provenance, pretrained, projection_dim=None):
    """Creates or updates BUNDLE/manifest.json's backbone section; other sections are kept. A backbone without
    the joint-space method drops a stale 'clip' section (tools/export_clip_text.py writes that section)."""
    path = os.path.join(bundle_dir, "manifest.json")
    if os.path.isfile(path):
        with open(path) as f:
            m = json.load(f)
    else:
        m = {"format": "geopigeon-bundle/1", "name": os.path.basename(os.path.abspath(bundle_dir)),
             "description": "Imported backbone; train a geocell head (head.safetensors) and add geocells before use.",
             "trained": False, "licence": "see the backbone's licence", "provenance": "",
             "geocells": "geocells.geojson", "head": "head.safetensors", "refinement": None,
             "defaults": {"topK": 5, "refineTopK": 5, "temperature": 1.6, "fallbackKm": 1000.0, "batchSize": 8}}
    old_dim = m.get("backbone", {}).get("embeddingDim")
    m["backbone"] = dict(file=os.path.basename(backbone_file), **pre, embeddingDim=config.hidden_size,
                         pooling="mean-all-tokens", pretrained=pretrained)
    if projection_dim is None and "clip" in m:
        del m["clip"]
        print("note: removed the manifest's 'clip' section: this backbone has no joint-space method", file=sys.stderr)
    elif projection_dim is not None and m.get("clip", {}).get("projectionDim") not in (None, projection_dim):
        print(f"warning: the manifest's clip.projectionDim is {m['clip']['projectionDim']} but the backbone projects to "
              f"{projection_dim}: re-run tools/export_clip_text.py", file=sys.stderr)
    m["provenance"] = (m.get("provenance") or "").strip()
    m["provenance"] = (m["provenance"] + " " if m["provenance"] else "") + provenance
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(m, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    if old_dim is not None and old_dim != config.hidden_size:
        print(f"warning: embeddingDim changed {old_dim} -> {config.hidden_size}; the head and refinement index "
              f"must be rebuilt", file=sys.stderr)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_argument_group("source (one of)")
    src.add_argument("--hf-dir", help="Hugging Face model folder: config.json + model.safetensors or pytorch_model.bin")
    src.add_argument("--weights", help="checkpoint file (.safetensors or .bin) of a CLIPModel or CLIPVisionModel")
    src.add_argument("--random-weights", action="store_true", help="random CLIP-like weights (tests, benchmarks)")
    ap.add_argument("--config", help="HF config.json (default: HF_DIR/config.json)")
    ap.add_argument("--preset", choices=sorted(PRESETS), help="architecture preset instead of a config.json")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--output", help="TorchScript file to write (default: BUNDLE/backbone.pt)")
    ap.add_argument("--bundle", help="bundle folder: write backbone.pt there and create/update manifest.json")
    ap.add_argument("--check", action="store_true", help="verify exported == eager output (max abs diff < 1e-5)")
    ap.add_argument("--joint-space", choices=("auto", "yes", "no"), default="auto",
                    help="also export get_image_features (CLIP's projected image embedding, needed by zero-shot heads "
                         "and caption pretraining): auto = when the checkpoint has visual_projection.weight")
    ap.add_argument("--projection-dim", type=int, help="with --random-weights --joint-space yes: P (default 512)")
    a = ap.parse_args(argv)

    if sum(bool(x) for x in (a.hf_dir, a.weights, a.random_weights)) != 1:
        ap.error("give exactly one of --hf-dir, --weights, --random-weights")
    if a.preset:
        config = PRESETS[a.preset]
    elif a.config or a.hf_dir:
        config = config_from_hf(a.config or os.path.join(a.hf_dir, "config.json"))
    else:
        ap.error("give --preset or --config")
    output = a.output or (os.path.join(a.bundle, "backbone.pt") if a.bundle else None)
    if not output:
        ap.error("give --output or --bundle")

    weights_file = hf_weights_file(a.hf_dir) if a.hf_dir else a.weights
    raw = load_raw(weights_file) if weights_file else None
    joint = (a.joint_space == "yes" or (a.joint_space == "auto" and raw is not None and "visual_projection.weight" in raw))
    weights = vision_state_dict(raw, weights_file, joint) if raw is not None else None
    projection_dim = None
    if joint:
        projection_dim = (weights["visual_projection.weight"].shape[0] if weights is not None else (a.projection_dim or 512))
    model = build(config, weights, a.seed, projection_dim)
    export(model, config, output)
    print(f"wrote {output} ({os.path.getsize(output) / 1e6:.1f} MB): {asdict(config)}"
          + (f", {IMAGE_FEATURES_METHOD} -> [N,{projection_dim}]" if joint else ""))
    if a.check:
        check(model, config, output, a.seed)
    if a.bundle:
        pre = preprocessing_from_hf(a.hf_dir, config)
        prov = (f"Backbone: CLIP vision encoder from {os.path.abspath(a.hf_dir or weights_file)}, exported by "
                f"tools/export_clip_vision.py (mean over all tokens of last_hidden_state)." if weights_file
                else f"Backbone: random weights (seed {a.seed}).")
        print(f"updated {update_manifest(a.bundle, output, config, pre, prov, pretrained=bool(weights_file), projection_dim=projection_dim)}")


if __name__ == "__main__":
    main()
