#!/usr/bin/env bash
# One-step import of a Hugging Face CLIP checkpoint (StreetCLIP, openai/clip-vit-large-patch14-336, ...)
# into a GeoPigeon model bundle: writes BUNDLE/backbone.pt (TorchScript, verified against the eager
# model) and creates or updates BUNDLE/manifest.json's backbone section, then writes the bf16 and int8
# precision variants (BUNDLE/backbone.bf16.pt, backbone.int8.pt; tools/export_precision_variants.py).
# A full CLIPModel checkpoint also gets its joint space: backbone.pt's get_image_features method,
# BUNDLE/text.pt (text tower), the tokenizer files and the manifest's 'clip' section (logit scale), for
# `geopigeon zeroshot` and `geopigeon pretrain`.
#
#   tools/import_backbone.sh HF_MODEL_DIR BUNDLE_DIR
#
# HF_MODEL_DIR holds config.json and model.safetensors or pytorch_model.bin (preprocessor_config.json
# and the tokenizer files are used when present). Needs Debian's python3-torch (/usr/bin/python3); no transformers package.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 HF_MODEL_DIR BUNDLE_DIR" >&2
  exit 2
fi
PY="${PYTHON:-/usr/bin/python3}"
TOOLS="$(dirname "$0")"
"$PY" "$TOOLS/export_clip_vision.py" --hf-dir "$1" --bundle "$2" --check
"$PY" "$TOOLS/export_precision_variants.py" --bundle "$2" --precisions bf16,int8
# export_clip_vision adds get_image_features exactly when the checkpoint has a visual projection (a full CLIPModel).
if "$PY" -c "import sys, torch; sys.exit(0 if hasattr(torch.jit.load(sys.argv[1], map_location='cpu'), 'get_image_features') else 1)" "$2/backbone.pt"; then
  exec "$PY" "$TOOLS/export_clip_text.py" --hf-dir "$1" --bundle "$2" --check
fi
echo "note: $1 is a vision-only checkpoint (no visual projection): no text tower imported" >&2
