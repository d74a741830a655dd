#!/usr/bin/python3
"""Export a CLIP text encoder, its tokenizer and the logit scale into a GeoPigeon model bundle.

Pure torch (no transformers package): the module below re-implements Hugging Face's CLIPTextModel plus
CLIPModel.text_projection with identical state-dict names ('text_model.*', 'text_projection.weight'), so the
weights of StreetCLIP or openai/clip-vit-large-patch14-336 load without conversion. The exported TorchScript
maps token ids int64 [N,L] (L <= max_position_embeddings, 77 for CLIP) to CLIP's text features float [N,P]:
causal transformer, final_layer_norm, the hidden state at the end-of-text token, text_projection (no bias),
NOT L2-normalised (HF CLIPModel.get_text_features).

End-of-text pooling follows HF: checkpoints whose text config says eos_token_id == 2 (the legacy value in
OpenAI's configs) pool at argmax(input_ids) - the end-of-text token has the highest id in CLIP's vocabulary -;
others pool at the first position holding eos_token_id.

The image side of the joint space is the backbone's get_image_features method (tools/export_clip_vision.py
--joint-space); this script records the 'clip' section of manifest.json (docs/bundle-format.md).

Examples
  # after tools/export_clip_vision.py --hf-dir ~/models/StreetCLIP --bundle my-bundle --check
  /usr/bin/python3 tools/export_clip_text.py --hf-dir ~/models/StreetCLIP --bundle my-bundle --check
"""
import argparse
import json
import math
import os
import shutil
import sys
import unicodedata
from dataclasses import dataclass, asdict

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip_vision as ecv  # noqa: E402

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
TOKENIZER_FILES = ("tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json")


@dataclass(frozen=True)
class TextConfig:
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    max_position_embeddings: int = 77
    layer_norm_eps: float = 1e-5
    hidden_act: str = "quick_gelu"
    eos_token_id: int = 2  # HF's legacy default: pool at argmax(input_ids)

    def validate(self):
        if self.hidden_size % self.num_attention_heads:
            raise ValueError(f"hidden_size {self.hidden_size} is not divisible by num_attention_heads {self.num_attention_heads}")
        if self.hidden_act not in ("quick_gelu", "gelu"):
            raise ValueError(f"hidden_act '{self.hidden_act}' is not supported (quick_gelu, gelu)")
        return self

    def vision_like(self):
        """The same numbers as a VisionConfig, to reuse export_clip_vision's encoder layers (MLP, layer norms)."""
        return ecv.VisionConfig(self.hidden_size, self.intermediate_size, self.num_hidden_layers,
                                self.num_attention_heads, 32, 32, self.layer_norm_eps, self.hidden_act)


PRESETS = {
    # text tower of openai/clip-vit-large-patch14(-336) and StreetCLIP; projection 768
    "vit-l-14-336": (TextConfig(49408, 768, 3072, 12, 12), 768),
    # text tower of openai/clip-vit-base-patch32; projection 512
    "vit-b-32": (TextConfig(49408, 512, 2048, 12, 8), 512),
}


class TextEmbeddings(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.token_embedding = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embedding = nn.Embedding(c.max_position_embeddings, c.hidden_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.token_embedding(ids) + self.position_embedding.weight[: ids.shape[1]].unsqueeze(0)


class CausalAttention(ecv.Attention):
    """HF CLIPAttention with the causal mask of CLIPTextTransformer (finfo.min above the diagonal)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape[0], x.shape[1], x.shape[2]
        q = (self.q_proj(x) * self.scale).reshape(n, t, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).reshape(n, t, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).reshape(n, t, self.heads, self.head_dim).transpose(1, 2)
        mask = torch.full([t, t], -3.4028234663852886e38, dtype=x.dtype, device=x.device).triu(1)
        w = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) + mask, dim=-1)
        out = torch.matmul(w, v).transpose(1, 2).reshape(n, t, d)
        return self.out_proj(out)


class TextEncoderLayer(ecv.EncoderLayer):
    def __init__(self, c: TextConfig):
        super().__init__(c.vision_like())
        self.self_attn = CausalAttention(c.vision_like())


class TextEncoder(nn.Module):
    def __init__(self, c: TextConfig):
        super().__init__()
        self.layers = nn.ModuleList([TextEncoderLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x


class TextTransformer(nn.Module):
    """HF CLIPTextTransformer without pooling: [N,L] ids -> final_layer_norm(hidden) [N,L,D]."""

    def __init__(self, c: TextConfig):
        super().__init__()
        self.embeddings = TextEmbeddings(c)
        self.encoder = TextEncoder(c)
        self.final_layer_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.final_layer_norm(self.encoder(self.embeddings(ids)))


class ClipTextFeatures(nn.Module):
    """[N,L] int64 token ids -> [N,P] CLIP text features (HF CLIPModel.get_text_features), not normalised."""

    def __init__(self, c: TextConfig, projection_dim: int, eos_token_id: int):
        super().__init__()
        self.text_model = TextTransformer(c.validate())
        self.text_projection = nn.Linear(c.hidden_size, projection_dim, bias=False)
        self.legacy_argmax = c.eos_token_id == 2
        self.eos_token_id = eos_token_id

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        hidden = self.text_model(ids)
        if self.legacy_argmax:
            pos = ids.argmax(dim=-1)
        else:
            pos = (ids == self.eos_token_id).int().argmax(dim=-1)
        pooled = hidden[torch.arange(hidden.shape[0], device=hidden.device), pos]
        return self.text_projection(pooled)


# ---------------------------------------------------------------- tokenizer (CLIP byte-level BPE)

def bytes_to_unicode():
    """GPT-2/CLIP byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


SPLIT_REGEX = r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"


def clip_tokenizer_json(vocab, merges):
    """A tokenizer.json in the layout of Hugging Face's CLIPTokenizerFast files (NFC, white space collapsed,
    lower case; CLIP's split pattern; byte-level; BPE with '</w>' word ends; <|startoftext|> ... <|endoftext|>)."""
    bos, eos = vocab[BOS], vocab[EOS]
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [
            {"id": bos, "content": BOS, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True},
            {"id": eos, "content": EOS, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True}],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": SPLIT_REGEX}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": [EOS, eos], "cls": [BOS, bos], "trim_offsets": False,
                           "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": EOS, "continuing_subword_prefix": "", "end_of_word_suffix": "</w>",
                  "fuse_unk": False, "byte_fallback": False, "vocab": vocab, "merges": [" ".join(m) for m in merges]},
    }


def _kind(ch):
    cat = unicodedata.category(ch)
    return "L" if cat[0] == "L" else "N" if cat[0] == "N" else "S" if ch.isspace() else "O"


def pre_tokenize(text):
    """CLIP's normalizer and split pattern in plain Python (Debian has no 'regex' module): the same pieces as the
    tokenizer.json above, for the reference encoder and BPE training."""
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split()).lower() if text.strip() else ""
    pieces, i = [], 0
    while i < len(text):
        for special in (BOS, EOS):
            if text.startswith(special, i):
                pieces.append(special)
                i += len(special)
                break
        else:
            for c in ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d"):
                if text.startswith(c, i):
                    pieces.append(c)
                    i += len(c)
                    break
            else:
                k = _kind(text[i])
                if k == "S":
                    i += 1
                elif k == "N":
                    pieces.append(text[i])
                    i += 1
                else:
                    j = i + 1
                    while j < len(text) and _kind(text[j]) == k:
                        j += 1
                    pieces.append(text[i:j])
                    i = j
    return pieces


def word_symbols(piece, byte_encoder):
    chars = [byte_encoder[b] for b in piece.encode("utf-8")]
    return chars[:-1] + [chars[-1] + "</w>"]


def bpe(symbols, ranks):
    symbols = list(symbols)
    while len(symbols) > 1:
        pairs = [(ranks.get((symbols[i], symbols[i + 1]), math.inf), i) for i in range(len(symbols) - 1)]
        best_rank, at = min(pairs)
        if best_rank == math.inf:
            break
        first, second = symbols[at], symbols[at + 1]
        out, i = [], 0
        while i < len(symbols):
            if i < len(symbols) - 1 and symbols[i] == first and symbols[i + 1] == second:
                out.append(first + second)
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        symbols = out
    return symbols


def encode(text, vocab, merges, context_length=77):
    """Reference encoder (OpenAI's simple_tokenizer algorithm): [bos] + ids + [eos], truncated to context_length
    as HF does (bos + first context_length-2 ids + eos). No padding."""
    enc = bytes_to_unicode()
    ranks = {tuple(m): i for i, m in enumerate(merges)}
    ids = []
    for piece in pre_tokenize(text):
        if piece in (BOS, EOS):
            ids.append(vocab[piece])
            continue
        ids.extend(vocab[s] for s in bpe(word_symbols(piece, enc), ranks))
    ids = ids[: context_length - 2]
    return [vocab[BOS]] + ids + [vocab[EOS]]


def train_bpe(corpus, merges_wanted):
    """Deterministic byte-level BPE on a list of texts: the 256 byte characters and their '</w>' forms, then the
    most frequent adjacent pair repeatedly (ties: lexicographically smallest pair), then the two special tokens.
    Vocabulary order as OpenAI's CLIP: bytes, bytes+'</w>', merges, <|startoftext|>, <|endoftext|>."""
    enc = bytes_to_unicode()
    words = {}
    for text in corpus:
        for piece in pre_tokenize(text):
            if piece not in (BOS, EOS):
                key = tuple(word_symbols(piece, enc))
                words[key] = words.get(key, 0) + 1
    base = list(enc.values())
    vocab_list = base + [c + "</w>" for c in base]
    merges = []
    words = {tuple(w): n for w, n in words.items()}
    for _ in range(merges_wanted):
        counts = {}
        for w, n in words.items():
            for p in zip(w, w[1:]):
                counts[p] = counts.get(p, 0) + n
        if not counts:
            break
        best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if counts[best] < 2:
            break
        merges.append(best)
        vocab_list.append(best[0] + best[1])
        merged = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i < len(w) - 1 and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    vocab_list += [BOS, EOS]
    return {t: i for i, t in enumerate(vocab_list)}, merges


def read_merges(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    return [tuple(l.split(" ")) for l in lines if l and not l.startswith("#version")]


def tokenizer_from_hf(hf_dir):
    """(tokenizer.json dict, vocab, merges, pad token) from a HF folder: tokenizer.json if present, else built from
    vocab.json + merges.txt in CLIPTokenizerFast's layout."""
    tj = os.path.join(hf_dir, "tokenizer.json")
    pad = None
    for cfg in ("special_tokens_map.json", "tokenizer_config.json"):
        p = os.path.join(hf_dir, cfg)
        if pad is None and os.path.isfile(p):
            with open(p, encoding="utf-8") as f:
                v = json.load(f).get("pad_token")
            pad = v.get("content") if isinstance(v, dict) else v
    if os.path.isfile(tj):
        with open(tj, encoding="utf-8") as f:
            data = json.load(f)
        model = data.get("model", {})
        if model.get("type") != "BPE" or model.get("end_of_word_suffix") != "</w>":
            raise ValueError(f"{tj}: not a CLIP BPE tokenizer (model type {model.get('type')}, "
                             f"end_of_word_suffix {model.get('end_of_word_suffix')!r})")
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
        return data, model["vocab"], merges, pad
    vj, mt = os.path.join(hf_dir, "vocab.json"), os.path.join(hf_dir, "merges.txt")
    if not (os.path.isfile(vj) and os.path.isfile(mt)):
        raise FileNotFoundError(f"{hf_dir}: no tokenizer.json and no vocab.json + merges.txt")
    with open(vj, encoding="utf-8") as f:
        vocab = json.load(f)
    merges = read_merges(mt)
    return clip_tokenizer_json(vocab, merges), vocab, merges, pad


# ---------------------------------------------------------------- weights, export, check

def text_config_from_hf(config_path):
    with open(config_path) as f:
        cfg = json.load(f)
    t = cfg.get("text_config")
    if t is None:
        raise ValueError(f"{config_path}: no text_config (a CLIPVisionModel checkpoint has no text tower)")
    c = TextConfig(vocab_size=t.get("vocab_size", 49408), hidden_size=t.get("hidden_size", 512),
                   intermediate_size=t.get("intermediate_size", 2048), num_hidden_layers=t.get("num_hidden_layers", 12),
                   num_attention_heads=t.get("num_attention_heads", 8),
                   max_position_embeddings=t.get("max_position_embeddings", 77),
                   layer_norm_eps=t.get("layer_norm_eps", 1e-5), hidden_act=t.get("hidden_act", "quick_gelu"),
                   eos_token_id=t.get("eos_token_id", 2)).validate()
    return c, cfg.get("projection_dim", 512)


def text_state_dict(raw, source):
    sd = {k: v.float() for k, v in raw.items()
          if (k.startswith("text_model.") and not k.endswith("position_ids")) or k == "text_projection.weight"}
    if "text_projection.weight" not in sd:
        raise ValueError(f"{source}: no text_projection.weight (not a full CLIPModel checkpoint)")
    if "logit_scale" not in raw:
        raise ValueError(f"{source}: no logit_scale")
    return sd, float(raw["logit_scale"].float().exp())


def build(config, projection_dim, eos_token_id, weights=None, seed=0):
    torch.manual_seed(seed)
    model = ClipTextFeatures(config, projection_dim, eos_token_id)
    if weights is None:
        ecv.randomise(model, seed)
    else:
        missing, unexpected = model.load_state_dict(weights, strict=False)
        if missing or unexpected:
            raise ValueError(f"weights do not fit the text config: missing {missing[:5]}..., unexpected {unexpected[:5]}...")
    return model.eval()


def export(model, output):
    with torch.no_grad():
        scripted = torch.jit.script(model)
    tmp = output + ".tmp"
    scripted.save(tmp)
    os.replace(tmp, output)
    return output


def random_ids(config, eos_token_id, bos_token_id, n, seed):
    """n rows of length max_position_embeddings: bos, random ids, eos at a random place, eos padding after it."""
    g = torch.Generator().manual_seed(seed)
    L = config.max_position_embeddings
    top = min(bos_token_id, eos_token_id)
    ids = torch.randint(0, top, (n, L), generator=g)
    ids[:, 0] = bos_token_id
    for r in range(n):
        end = int(torch.randint(2, L, (1,), generator=g))
        ids[r, end:] = eos_token_id
    return ids


def check(model, config, output, eos_token_id, bos_token_id, seed=0):
    """Exported output must equal eager output on random token ids (max abs diff < 1e-5)."""
    ids = random_ids(config, eos_token_id, bos_token_id, 3, seed + 1)
    loaded = torch.jit.load(output, map_location="cpu").eval()
    with torch.inference_mode():
        eager, exported = model(ids), loaded(ids)
    diff = (eager - exported).abs().max().item()
    print(f"check: text tower eager vs exported TorchScript, output {tuple(exported.shape)}, max abs diff {diff:.3e}")
    if not diff < 1e-5:
        raise SystemExit(f"check FAILED for {output}")
    return diff


def update_manifest(bundle_dir, text_file, tokenizer_file, config, projection_dim, logit_scale, vocab, pad_token, provenance):
    """Writes manifest.json's 'clip' section; the backbone must already have been exported with --joint-space."""
    path = os.path.join(bundle_dir, "manifest.json")
    if not os.path.isfile(path):
        raise SystemExit(f"{path}: missing: export the vision tower first (tools/export_clip_vision.py --bundle ...)")
    with open(path) as f:
        m = json.load(f)
    backbone = torch.jit.load(os.path.join(bundle_dir, m["backbone"]["file"]), map_location="cpu")
    if not hasattr(backbone, ecv.IMAGE_FEATURES_METHOD):
        raise SystemExit(f"{bundle_dir}: backbone has no {ecv.IMAGE_FEATURES_METHOD} method: re-export it with "
                         f"tools/export_clip_vision.py --joint-space yes")
    eos, bos = vocab[EOS], vocab[BOS]
    m["clip"] = {
        "imageFeatures": ecv.IMAGE_FEATURES_METHOD,
        "projectionDim": projection_dim,
        "logitScale": logit_scale,
        "text": {"file": os.path.basename(text_file), "contextLength": config.max_position_embeddings,
                 "embeddingDim": projection_dim},
        "tokenizer": {"file": os.path.basename(tokenizer_file), "bosTokenId": bos, "eosTokenId": eos,
                      "padTokenId": vocab.get(pad_token, eos) if pad_token else eos},
    }
    prov = (m.get("provenance") or "").strip()
    m["provenance"] = (prov + " " if prov else "") + provenance
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(m, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)
    return path


def write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf-dir", required=True, help="Hugging Face CLIPModel folder: config.json, weights, tokenizer files")
    ap.add_argument("--bundle", required=True, help="bundle folder (backbone exported with --joint-space)")
    ap.add_argument("--check", action="store_true", help="verify exported == eager output (max abs diff < 1e-5)")
    a = ap.parse_args(argv)

    config, projection_dim = text_config_from_hf(os.path.join(a.hf_dir, "config.json"))
    weights_file = ecv.hf_weights_file(a.hf_dir)
    sd, logit_scale = text_state_dict(ecv.load_raw(weights_file), weights_file)
    tok_json, vocab, merges, pad = tokenizer_from_hf(a.hf_dir)
    if config.eos_token_id == 2 and vocab[EOS] != max(vocab.values()):
        raise SystemExit(f"{a.hf_dir}: legacy eos_token_id 2 pools at argmax(ids), but {EOS} is not the highest id")
    model = build(config, projection_dim, vocab[EOS], sd)
    os.makedirs(a.bundle, exist_ok=True)
    out = export(model, os.path.join(a.bundle, "text.pt"))
    print(f"wrote {out} ({os.path.getsize(out) / 1e6:.1f} MB): {asdict(config)}, projection {projection_dim}")
    if a.check:
        check(model, config, out, vocab[EOS], vocab[BOS])
    tok = os.path.join(a.bundle, "tokenizer.json")
    if os.path.isfile(os.path.join(a.hf_dir, "tokenizer.json")):
        shutil.copyfile(os.path.join(a.hf_dir, "tokenizer.json"), tok)
    else:
        write_json(tok, tok_json)
    for name in TOKENIZER_FILES[1:]:  # keep the checkpoint's other tokenizer files beside it
        if os.path.isfile(os.path.join(a.hf_dir, name)):
            shutil.copyfile(os.path.join(a.hf_dir, name), os.path.join(a.bundle, name))
    prov = (f"Text tower, tokenizer and logit scale ({logit_scale:.4g}) from {os.path.abspath(a.hf_dir)}, exported by "
            f"tools/export_clip_text.py.")
    print(f"updated {update_manifest(a.bundle, out, tok, config, projection_dim, logit_scale, vocab, pad, prov)}")


if __name__ == "__main__":
    main()
