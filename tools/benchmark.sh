#!/usr/bin/env bash
# Backbone benchmark in one command: builds the random-weight ViT-L/14@336 TorchScript file (outside
# the repo, once), compiles the engine, and runs org.geopigeon.engine.bench.BackboneBenchmark, which
# times preprocessing and the backbone through DJL (batch 1 and 8) and the same file in Python torch.
#
#   tools/benchmark.sh [extra BackboneBenchmark options, e.g. --iters 5 --iters8 2 --threads 2]
#
# Environment: GEOPIGEON_BENCH_BACKBONE (default /tmp/geopigeon-bench/vitl14_336.pt),
#              GEOPIGEON_TARGET (Maven output folder, default target), PYTHON (default /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
BACKBONE=${GEOPIGEON_BENCH_BACKBONE:-/tmp/geopigeon-bench/vitl14_336.pt}
PYTHON=${PYTHON:-/usr/bin/python3}

"$PYTHON" tools/make_bench_backbone.py --output "$BACKBONE"
exec tools/run-engine-main.sh -Xmx2g org.geopigeon.engine.bench.BackboneBenchmark --backbone "$BACKBONE" --python "$PYTHON" "$@"
