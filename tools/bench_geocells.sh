#!/usr/bin/env bash
# Geocell benchmark: semantic geocells (MIN 30 / MAX 60, sample-data admin-1) vs GeoEstimation S2 cells,
# oracle error on a 10% hold-out of ../shared/data/points/geoclip_coordinates_100k.csv.
# Usage: tools/bench_geocells.sh [output.geojson]      (env TARGET: build folder name, default target-bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${TARGET:-target-bench}"
cd "$ROOT"
mvn -q -B -o -Dgeopigeon.target="$TARGET" -pl engine compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/engine/$TARGET/bench.classpath" -Dmdep.includeScope=compile
exec java -Xmx2g -cp "engine/$TARGET/classes:$(cat "engine/$TARGET/bench.classpath")" \
  org.geopigeon.engine.bench.GeocellBenchmark "$ROOT" "$@"
