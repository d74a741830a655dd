#!/usr/bin/env bash
# One-step import of a Hugging Face CLIP checkpoint (StreetCLIP, openai/clip-vit-large-patch14-336, ...)
# into a GeoPigeon model bundle: writes BUNDLE/backbone.pt (TorchScript, verified against the eager
# model) and creates or updates BUNDLE/manifest.json's backbone section, then writes the bf16 and int8
# precision variants (BUNDLE/backbone.bf16.pt, backbone.int8.pt; tools/export_precision_variants.py).
#
#   tools/import_backbone.sh HF_MODEL_DIR BUNDLE_DIR
#
# HF_MODEL_DIR holds config.json and model.safetensors or pytorch_model.bin (preprocessor_config.json
# is used when present). Needs Debian's python3-torch (/usr/bin/python3); no transformers package.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 HF_MODEL_DIR BUNDLE_DIR" >&2
  exit 2
fi
"${PYTHON:-/usr/bin/python3}" "$(dirname "$0")/export_clip_vision.py" --hf-dir "$1" --bundle "$2" --check
exec "${PYTHON:-/usr/bin/python3}" "$(dirname "$0")/export_precision_variants.py" --bundle "$2" --precisions bf16,int8
