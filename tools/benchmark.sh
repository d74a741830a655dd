#!/usr/bin/env bash
# Backbone benchmark in one command (issue 9). Builds the random-weight ViT-L/14@336 TorchScript file and
# its bf16/int8 variants (outside the repo, once), checks that Python's reference has an optimised BLAS,
# compiles the bench module and runs org.geopigeon.bench.BackboneBenchmark, which prints for each
# precision and batch size 1 and 8 lines like
#     DJL bf16 batch 1: 1.234 images/s
#     Python bf16-autocast batch 1: 1.000 images/s
# then the ratios, libtorch's fp32/bf16 matrix-product rate through DJL, the accuracy guard (each
# precision's embeddings against fp32 on ../shared/data/photos) and the load average.
#
#   tools/benchmark.sh [--precision fp32|bf16|int8|all] [extra BackboneBenchmark options, e.g.
#                      --threads 2 --iters 5 --iters8 2 --no-guard --guard-limit 8 --no-python]
#
# Environment: GEOPIGEON_BENCH_BACKBONE (default /tmp/geopigeon-bench/vitl14_336.pt; ~2.2 GB with variants),
#              GEOPIGEON_TARGET (Maven output folder, default target), PYTHON (default /usr/bin/python3).
# The machine may be shared: the benchmark prints the load average; run it when the load is low and repeat.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKBONE=${GEOPIGEON_BENCH_BACKBONE:-/tmp/geopigeon-bench/vitl14_336.pt}
PYTHON=${PYTHON:-/usr/bin/python3}

# Debian's python3-torch multiplies matrices with whatever libblas.so.3 is installed; without an OpenBLAS
# package that is the generic reference BLAS (~5 GFLOP/s), which would make Python an unfair baseline.
if ! dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "install ok installed"; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "benchmark: installing libopenblas0-pthread (optimised BLAS for the Python reference)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas0-pthread >/dev/null
  else
    echo "benchmark: WARNING libopenblas0-pthread is not installed: Python's fp32 figures use the reference BLAS" \
         "and understate Python (install it: apt-get install libopenblas0-pthread)" >&2
  fi
fi
echo "benchmark: Python BLAS package: $(dpkg-query -W -f='${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo none);" \
     "libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo '?')"

"$PYTHON" tools/make_bench_backbone.py --output "$BACKBONE" --precisions bf16,int8 2>&1 | grep -v -i warning || true
[ -f "$BACKBONE" ] || { echo "benchmark: $BACKBONE was not written" >&2; exit 1; }
exec tools/run-bench-main.sh -Xmx3g org.geopigeon.bench.BackboneBenchmark --backbone "$BACKBONE" \
    --python "$PYTHON" "$@"
