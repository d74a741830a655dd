#!/usr/bin/env bash
# GPU check for issue 9, about 5 minutes on a CUDA host: exports the random-weight ViT-L/14@336 backbone with
# its bf16 and fp16 variants, loads each on the GPU through DJL, times batch 1 and 8, and compares the
# embeddings with fp32 (org.geopigeon.bench.GpuCheck). Prints "GPU path unmeasured" and exits 3 when
# DJL sees no GPU.
#
#   tools/gpu_check.sh [extra BackboneBenchmark options]
#
# Needs: an NVIDIA GPU and driver; JDK 17 + Maven (offline Maven cache or network); a Python torch to write
# the TorchScript files (with CUDA, the fp16 variant is also checked in Python); and libtorch 2.7.1 for CUDA
# for DJL: PYTORCH_LIBRARY_PATH=<libtorch>/lib PYTORCH_FLAVOR=cu128 (set automatically below when the Python
# torch is 2.7.1 with CUDA 12.8), or DJL's pytorch-native-cu128 already in ~/.djl.ai.
# Environment: GEOPIGEON_GPU_CHECK_DIR (default /tmp/geopigeon-gpu-check), PYTHON (default: first of
# python3, /usr/bin/python3 that imports torch).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${GEOPIGEON_GPU_CHECK_DIR:-/tmp/geopigeon-gpu-check}
START=$(date +%s)

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L; then
  echo "gpu_check: no NVIDIA GPU or driver here: the GPU path is unmeasured"
  exit 3
fi
PY=""
for p in ${PYTHON:-} python3 /usr/bin/python3; do
  if [ -n "$p" ] && "$p" -c "import torch" 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "gpu_check: no Python with torch found (set PYTHON)" >&2; exit 4; }
"$PY" -c "import torch; print('gpu_check: python torch', torch.__version__, 'CUDA', torch.version.cuda, 'available', torch.cuda.is_available())"

if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
  TORCH_LIB=$("$PY" -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib') if torch.__version__.startswith('2.7.1') and torch.version.cuda == '12.8' else '')")
  if [ -n "$TORCH_LIB" ]; then
    export PYTORCH_LIBRARY_PATH="$TORCH_LIB" PYTORCH_FLAVOR=cu128 PYTORCH_VERSION=2.7.1
    echo "gpu_check: DJL uses the CUDA libtorch of Python's torch: $TORCH_LIB"
  elif ! ls -d "${DJL_CACHE_DIR:-$HOME/.djl.ai}"/pytorch/2.7.1-*cu* >/dev/null 2>&1; then
    echo "gpu_check: no CUDA libtorch 2.7.1 for DJL: set PYTORCH_LIBRARY_PATH=<libtorch 2.7.1 cu128>/lib and" \
         "PYTORCH_FLAVOR=cu128, or install torch==2.7.1 (CUDA 12.8) for $PY" >&2
    exit 4
  fi
fi

mkdir -p "$OUT"
timeout 180 "$PY" tools/make_bench_backbone.py --output "$OUT/vitl14_336.pt" --precisions bf16,fp16 2>&1 | grep -v -i warning || true
echo "gpu_check: files ready after $(( $(date +%s) - START )) s"
timeout $(( 300 - ($(date +%s) - START) )) tools/run-bench-main.sh -Xmx3g \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=warn \
    org.geopigeon.bench.GpuCheck --backbone "$OUT/vitl14_336.pt" "$@"
echo "gpu_check: done in $(( $(date +%s) - START )) s"
