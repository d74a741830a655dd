#!/usr/bin/env bash
# Measures the decoded-pixel budget of the audited service: concurrent panorama requests of large JPEGs, real
# decoding, a throwaway PostGIS; prints outcomes and peak heap (service/.../DecodeMemoryBenchmark).
#   tools/bench_decode_memory.sh [JVM options] REQUESTS MEGAPIXELS_PER_VIEW BUDGET_MEGAPIXELS
#   e.g. tools/bench_decode_memory.sh -Xmx1g 6 12 120      (6 panoramas of 4 x 12 MP, 120 MP budget)
# Needs PostgreSQL 15 + PostGIS (as tools/test.sh). Environment: GEOPIGEON_TARGET (Maven output folder).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${GEOPIGEON_TARGET:-target}"
cd "$ROOT"
JVM_OPTS=()
while [[ $# -gt 0 && "$1" == -* ]]; do JVM_OPTS+=("$1"); shift; done
[[ $# -eq 3 ]] || { echo "usage: $0 [JVM options] REQUESTS MEGAPIXELS_PER_VIEW BUDGET_MEGAPIXELS" >&2; exit 2; }
CP_FILE="$ROOT/service/$TARGET/test.classpath"
mvn -q -B -Dgeopigeon.target="$TARGET" -pl service -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
exec java "${JVM_OPTS[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "service/$TARGET/test-classes:service/$TARGET/classes:$(cat "$CP_FILE")" \
    org.geopigeon.service.DecodeMemoryBenchmark "$@"
