#!/usr/bin/env bash
# Synthetic training experiment (proof that head training + haversine smoothing + refinement learn):
# SYNTHETIC location-dependent embeddings over the GeoCLIP 100k photo locations, semantic geocells,
# one-hot vs haversine-smoothed heads, refinement off vs on. Prints a markdown table.
#   tools/run_synthetic_experiment.sh [--sample 100000] [--dim 64] [--epochs 12] [--out DIR] ...
# Environment: GEOPIGEON_TARGET (Maven output folder, default target).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
[[ -f ../shared/data/points/geoclip_coordinates_100k.csv ]] || { echo "missing ../shared/data/points/geoclip_coordinates_100k.csv" >&2; exit 1; }
exec "$ROOT/tools/run-bench-main.sh" -Xmx4g org.geopigeon.bench.SyntheticExperiment "$@"
