#!/usr/bin/python3
"""Writes the reduced-precision variants of a GeoPigeon CLIP backbone and records them in the manifest.

A variant is a TorchScript file with the same contract as backbone.pt (float32 [N,3,S,S] normalised
pixels in, float32 [N,D] embedding out) that computes inside in another precision:

  bf16  mixed precision as torch.autocast does it: the patch convolution and every matrix product
        (linear layers, q.k^T, attention.v) in bfloat16 with bfloat16 weights stored in the file;
        layer norms, softmax, the residual stream and the final mean pooling in float32.
  fp16  the same with float16 (for CUDA GPUs; CPUs have no fast float16 matrix products).
  int8  dynamic quantisation of the linear layers (torch.ao.quantization.quantize_dynamic, int8
        weights per output channel, activations quantised per batch at run time; quantized::linear_dynamic,
        run by fbgemm on x86 CPUs). CPU only.

Why variants written here rather than conversion at load time: DJL 0.36's PyTorch JNI has no
Module.to(dtype), mixed precision needs casts inside the graph, and dynamic quantisation is a
Python-level module swap. Written once, each variant is an ordinary TorchScript file that any runtime
loads and that GeoPigeon checks at load like backbone.pt.

The fp32 module is rebuilt from backbone.pt's own state dict and attributes, so only files written by
tools/export_clip_vision.py (GeoPigeon's CLIP vision export) can be converted. Each variant is
checked against the fp32 file on random inputs (cosine similarity printed; fp16 only on CUDA) and
carries an extra file geopigeon.json {"precision", "source", "sourceSha256", "methods"} that the Java loader
reads; "methods" lists the TorchScript methods that map images to embeddings.

CLIP joint space: when backbone.pt also has get_image_features (CLIP's projected image embedding, exported with
--joint-space; a zero-shot head, manifest headInput "clip-image", embeds with it), every variant carries that
method too, in the same precision: bf16/fp16 run the post-layernorm in float32 and the visual projection as a
low-precision matrix product (float32 out); int8 quantises the projection like every other linear layer. The
check compares both methods with fp32, and "methods" then names both, so GeoPigeon can refuse at load a variant
written before this (forward only) for a zero-shot bundle.

  # variants for a bundle: writes DIR/backbone.bf16.pt, DIR/backbone.int8.pt, updates manifest.json
  /usr/bin/python3 tools/export_precision_variants.py --bundle my-bundle [--precisions bf16,int8,fp16]
  # variants of a loose file (benchmarks): writes /tmp/x.bf16.pt, /tmp/x.int8.pt
  /usr/bin/python3 tools/export_precision_variants.py --backbone /tmp/x.pt
"""
import argparse
import copy
import hashlib
import json
import math
import os
import sys

from typing import List

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip_vision as ecv  # noqa: E402

PRECISIONS = ("bf16", "fp16", "int8")
DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}
EXTRA_FILE = "geopigeon.json"


# ---------------------------------------------------------------- mixed precision (bf16 / fp16)

class MixedLinear(nn.Module):
    """nn.Linear with weight and bias stored in the low precision; input and output in that precision.

    For few rows (M = batch x tokens below the output width, e.g. one 577-token image) it computes
    y^T = W x^T + b instead of x W^T + b: oneDNN repacks its second operand for the bf16 kernel on every
    call, and x^T (M x K) is smaller than W^T (K x N) then. Measured through DJL on the 2-core AVX-512 BF16
    development machine: 577x1024x4096 products go from about 285 to 390 GFLOP/s; for batch 8 (M = 4616)
    the usual form is as fast or faster, so it is kept there.
    """

    def __init__(self, lin: nn.Linear, dtype: torch.dtype, scale: float = 1.0):
        super().__init__()
        self.weight = nn.Parameter((lin.weight.detach() * scale).to(dtype), requires_grad=False)
        self.bias = nn.Parameter((lin.bias.detach() * scale).to(dtype), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        x2 = x.reshape(-1, shape[-1])
        if x2.shape[0] < self.weight.shape[0]:
            y = torch.addmm(self.bias.unsqueeze(1), self.weight, x2.t()).t()
        else:
            y = F.linear(x2, self.weight, self.bias)
        out_shape: List[int] = list(shape[:-1])
        out_shape.append(self.weight.shape[0])
        return y.reshape(out_shape)


class MixedProjection(nn.Module):
    """CLIP's visual_projection (a linear map without bias) in the low precision: float32 in (the post-layernormed
    class token), the matrix product in the low precision with weights stored in it, float32 out."""

    def __init__(self, lin: nn.Linear, dtype: torch.dtype):
        super().__init__()
        self.weight = nn.Parameter(lin.weight.detach().to(dtype), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x.to(self.weight.dtype), self.weight).float()


class MixedEmbeddings(nn.Module):
    """Patch convolution in the low precision; class and position embeddings added in float32."""

    def __init__(self, e: ecv.Embeddings, dtype: torch.dtype):
        super().__init__()
        self.class_embedding = nn.Parameter(e.class_embedding.detach().clone(), requires_grad=False)
        self.patch_embedding = nn.Conv2d(e.patch_embedding.in_channels, e.patch_embedding.out_channels,
                                         kernel_size=e.patch_embedding.kernel_size,
                                         stride=e.patch_embedding.stride, bias=False)
        self.patch_embedding.weight = nn.Parameter(e.patch_embedding.weight.detach().to(dtype), requires_grad=False)
        self.position_embedding = e.position_embedding

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        w = self.patch_embedding.weight
        patches = self.patch_embedding(pixels.to(w.dtype)).float().flatten(2).transpose(1, 2)  # [N, P, D] float32
        cls = self.class_embedding.reshape(1, 1, -1).expand(patches.shape[0], 1, patches.shape[2])
        return torch.cat([cls, patches], dim=1) + self.position_embedding.weight.unsqueeze(0)


class MixedAttention(nn.Module):
    """q, k and v from one fused low-precision projection (the 1/sqrt(head_dim) scale folded into q's
    weights); both attention products in the low precision; softmax over the bf16 scores with float32
    arithmetic inside (libtorch's CPU and CUDA softmax kernels widen to float32 and accumulate there),
    its output rounded to the low precision for the product with v, as autocast does."""

    def __init__(self, a: ecv.Attention, dtype: torch.dtype):
        super().__init__()
        self.heads = a.heads
        self.head_dim = a.head_dim
        fused = nn.Linear(a.q_proj.in_features, 3 * a.q_proj.out_features)
        with torch.no_grad():
            fused.weight.copy_(torch.cat([a.q_proj.weight * a.scale, a.k_proj.weight, a.v_proj.weight]))
            fused.bias.copy_(torch.cat([a.q_proj.bias * a.scale, a.k_proj.bias, a.v_proj.bias]))
        self.qkv_proj = MixedLinear(fused, dtype)
        self.out_proj = MixedLinear(a.out_proj, dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape[0], x.shape[1], x.shape[2]
        qkv = self.qkv_proj(x.to(self.qkv_proj.weight.dtype)).reshape(n, t, 3, self.heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)  # [3, N, H, T, hd]
        q, k, v = qkv[0], qkv[1], qkv[2]
        w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)), dim=-1)
        out = torch.matmul(w, v).transpose(1, 2).reshape(n, t, d)
        return self.out_proj(out).float()


class MixedMlp(nn.Module):
    """fc1, activation and fc2 in the low precision, as autocast runs them. CLIP's quick_gelu,
    h * sigmoid(1.702 h), is computed as silu(1.702 h) / 1.702 with 1.702 folded into fc1 and 1/1.702 into
    fc2: one fused kernel instead of three elementwise passes, the same function."""

    def __init__(self, m: ecv.Mlp, dtype: torch.dtype):
        super().__init__()
        self.quick = m.quick
        k = 1.702 if m.quick else 1.0
        self.fc1 = MixedLinear(m.fc1, dtype, scale=k)
        self.fc2 = MixedLinear(m.fc2, dtype)
        if m.quick:
            with torch.no_grad():
                self.fc2.weight.copy_((m.fc2.weight.detach() / k).to(dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc1(x.to(self.fc1.weight.dtype))
        h = F.silu(h) if self.quick else F.gelu(h)
        return self.fc2(h).float()


def mixed_precision(model: ecv.ClipVisionEmbedder, dtype: torch.dtype) -> ecv.ClipVisionEmbedder:
    """A copy of the fp32 model with the mixed-precision modules swapped in; state-dict names unchanged."""
    m = copy.deepcopy(model)
    vm = m.vision_model
    vm.embeddings = MixedEmbeddings(model.vision_model.embeddings, dtype)
    for i, layer in enumerate(vm.encoder.layers):
        src = model.vision_model.encoder.layers[i]
        layer.self_attn = MixedAttention(src.self_attn, dtype)
        layer.mlp = MixedMlp(src.mlp, dtype)
    # LayerNorms, the residual stream and ClipVisionEmbedder's mean pooling stay float32.
    if has_joint_space(model):
        # get_image_features: post_layernorm stays float32, the projection runs in the low precision.
        m.visual_projection = MixedProjection(model.visual_projection, dtype)
    return m.eval()


def has_joint_space(model) -> bool:
    """True for a model with CLIP's projected image embedding (ecv.ClipVisionWithProjection)."""
    return hasattr(model, "visual_projection")


def methods_of(model):
    """The TorchScript methods of a variant that map [N,3,S,S] images to embeddings."""
    return ["forward", ecv.IMAGE_FEATURES_METHOD] if has_joint_space(model) else ["forward"]


# ---------------------------------------------------------------- int8

def int8_dynamic(model: ecv.ClipVisionEmbedder) -> nn.Module:
    """Dynamic quantisation of every nn.Linear, int8 weights per output channel.

    The packed weights are serialised engine-independently (int8 tensor + scales); the runtime re-packs
    them for its own quantized engine (libtorch 2.7.1 on x86: fbgemm). Debian's torch 1.13 has no fbgemm,
    so the quantisation and the check here use oneDNN when fbgemm is missing.
    """
    engines = torch.backends.quantized.supported_engines
    torch.backends.quantized.engine = next(e for e in ("fbgemm", "x86", "onednn", "qnnpack") if e in engines)
    qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
    return torch.ao.quantization.quantize_dynamic(copy.deepcopy(model), {nn.Linear: qconfig}, dtype=torch.qint8).eval()


# ---------------------------------------------------------------- rebuild the fp32 model from backbone.pt

def config_of(scripted, sd):
    """VisionConfig of a TorchScript file written by export_clip_vision.py (weights and module attributes)."""
    need = ["vision_model.embeddings.class_embedding", "vision_model.embeddings.patch_embedding.weight",
            "vision_model.embeddings.position_embedding.weight", "vision_model.encoder.layers.0.mlp.fc1.weight"]
    missing = [k for k in need if k not in sd]
    if missing:
        raise SystemExit(f"not a GeoPigeon CLIP vision export (tools/export_clip_vision.py): lacks {missing[0]}; "
                         f"precision variants can only be derived from such files")
    layers = 0
    while f"vision_model.encoder.layers.{layers}.mlp.fc1.weight" in sd:
        layers += 1
    hidden = sd["vision_model.embeddings.class_embedding"].shape[0]
    patch = sd["vision_model.embeddings.patch_embedding.weight"].shape[-1]
    positions = sd["vision_model.embeddings.position_embedding.weight"].shape[0]
    side = int(round(math.sqrt(positions - 1)))
    layer0 = getattr(scripted.vision_model.encoder.layers, "0")  # ModuleList indexing is not scriptable here
    return ecv.VisionConfig(
        hidden_size=hidden, intermediate_size=sd["vision_model.encoder.layers.0.mlp.fc1.weight"].shape[0],
        num_hidden_layers=layers, num_attention_heads=int(layer0.self_attn.heads), image_size=side * patch,
        patch_size=patch, layer_norm_eps=float(scripted.vision_model.pre_layrnorm.eps),
        hidden_act="quick_gelu" if bool(layer0.mlp.quick) else "gelu").validate()


def load_fp32(path):
    scripted = torch.jit.load(path, map_location="cpu").eval()
    sd = {k: v.detach().float() for k, v in scripted.state_dict().items()}
    config = config_of(scripted, sd)
    if "visual_projection.weight" in sd:
        # exported with --joint-space: forward and get_image_features share the weights
        model = ecv.ClipVisionWithProjection(config, sd["visual_projection.weight"].shape[0])
    else:
        model = ecv.ClipVisionEmbedder(config)
    model.load_state_dict(sd, strict=True)
    return scripted, model.eval(), config


# ---------------------------------------------------------------- write and check

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def variant_path(source, precision):
    stem, ext = os.path.splitext(source)
    return f"{stem}.{precision}{ext or '.pt'}"


def write_variant(module, precision, source, source_sha, output, methods):
    with torch.no_grad():
        scripted = torch.jit.script(module)
    for name in methods:
        if not hasattr(scripted, name):
            raise SystemExit(f"{output}: the scripted variant lost its method {name}")
    extra = {EXTRA_FILE: json.dumps({"precision": precision, "source": os.path.basename(source),
                                     "sourceSha256": source_sha, "methods": methods}, sort_keys=True)}
    tmp = output + ".tmp"
    torch.jit.save(scripted, tmp, _extra_files=extra)
    os.replace(tmp, output)


def cosine_check(reference, output, precision, size, seed=0, device="cpu", methods=("forward",)):
    """Min cosine similarity of the variant's embeddings to fp32 over a few random inputs, per method."""
    loaded = torch.jit.load(output, map_location=device).eval()
    g = torch.Generator().manual_seed(seed + 7)
    x = torch.randn(4, 3, size, size, generator=g)
    worst = 1.0
    for name in methods:
        with torch.inference_mode():
            ref = getattr(reference, name)(x)
            got = getattr(loaded, name)(x.to(device)).float().cpu()
        if got.shape != ref.shape or got.dtype != torch.float32:
            raise SystemExit(f"check FAILED for {output} ({name}): output {tuple(got.shape)} {got.dtype}, expected "
                             f"{tuple(ref.shape)} float32")
        cos = F.cosine_similarity(ref, got, dim=1).min().item()
        print(f"check {precision} {name}: min cosine similarity to fp32 on 4 random inputs {cos:.6f}")
        worst = min(worst, cos)
    return worst


def update_manifest(bundle_dir, variants):
    path = os.path.join(bundle_dir, "manifest.json")
    with open(path) as f:
        m = json.load(f)
    backbone = m.setdefault("backbone", {})
    recorded = dict(backbone.get("variants") or {})
    recorded.update(variants)
    backbone["variants"] = {k: recorded[k] for k in PRECISIONS if k in recorded}
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(m, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    return path


def main(argv=None):
    if os.environ.get("PYTHONHASHSEED") != "0":
        # TorchScript writes class constants in set order; a fixed hash seed makes the files reproducible.
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--bundle", help="bundle folder: variants of its backbone file, recorded in manifest.json")
    src.add_argument("--backbone", help="a loose fp32 backbone file: variants are written next to it")
    ap.add_argument("--precisions", default="bf16,int8", help="comma-separated, of " + ",".join(PRECISIONS)
                    + " (default bf16,int8; add fp16 for CUDA GPUs)")
    ap.add_argument("--force", action="store_true", help="rewrite variants that exist and are newer than the source")
    a = ap.parse_args(argv)

    wanted = [p.strip() for p in a.precisions.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in PRECISIONS]
    if unknown or not wanted:
        ap.error(f"--precisions: unknown precision {unknown[0] if unknown else '(none)'}; choose from {', '.join(PRECISIONS)}")
    if a.bundle:
        with open(os.path.join(a.bundle, "manifest.json")) as f:
            source = os.path.join(a.bundle, json.load(f)["backbone"]["file"])
    else:
        source = a.backbone
    if not os.path.isfile(source):
        raise SystemExit(f"{source}: backbone file not found")

    outputs = {p: variant_path(source, p) for p in wanted}
    todo = [p for p in wanted if a.force or not os.path.isfile(outputs[p])
            or os.path.getmtime(outputs[p]) < os.path.getmtime(source)]
    if todo:
        torch.manual_seed(0)
        scripted, model, config = load_fp32(source)
        source_sha = sha256(source)
        for p in todo:
            module = int8_dynamic(model) if p == "int8" else mixed_precision(model, DTYPES[p])
            methods = methods_of(model)
            write_variant(module, p, source, source_sha, outputs[p], methods)
            print(f"wrote {outputs[p]} ({os.path.getsize(outputs[p]) / 1e6:.1f} MB, {p}, methods {', '.join(methods)})")
            if p == "fp16" and not torch.cuda.is_available():
                print("check fp16: skipped (no CUDA device; CPUs lack float16 matrix products)")
            else:
                cosine_check(scripted, outputs[p], p, config.image_size,
                             device="cuda" if p == "fp16" else "cpu", methods=methods)
    else:
        print("variants are up to date: " + ", ".join(outputs[p] for p in wanted) + " (--force rewrites them)")
    if a.bundle:
        rel = {p: os.path.relpath(outputs[p], a.bundle) for p in wanted}
        print(f"updated {update_manifest(a.bundle, rel)}: backbone.variants = {rel}")


if __name__ == "__main__":
    main()
