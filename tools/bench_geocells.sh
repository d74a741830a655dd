#!/usr/bin/env bash
# Geocell benchmark: semantic geocells (MIN 30 / MAX 60, sample-data admin-1) vs GeoEstimation S2 cells,
# oracle error on a 10% hold-out of ../shared/data/points/geoclip_coordinates_100k.csv.
# Usage: tools/bench_geocells.sh [output.geojson]      (env GEOPIGEON_TARGET: Maven output folder)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
exec "$ROOT/tools/run-bench-main.sh" -Xmx2g org.geopigeon.bench.GeocellBenchmark "$ROOT" "$@"
