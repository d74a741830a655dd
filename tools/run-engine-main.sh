#!/usr/bin/env bash
# Compiles the engine and runs one of its main classes (benchmarks, experiments) with its runtime classpath.
#   tools/run-engine-main.sh [-Xmx..] CLASS [ARGS...]      e.g. tools/run-engine-main.sh -Xmx2g org.geopigeon.engine.bench.GeocellBenchmark .
# Environment: GEOPIGEON_TARGET (Maven output folder, default target).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${GEOPIGEON_TARGET:-target}"
cd "$ROOT"
JVM_OPTS=()
while [[ $# -gt 0 && "$1" == -* ]]; do JVM_OPTS+=("$1"); shift; done
[[ $# -ge 1 ]] || { echo "usage: $0 [JVM options] CLASS [ARGS...]" >&2; exit 2; }
CP_FILE="$ROOT/engine/$TARGET/runtime.classpath"
mvn -q -B -Dgeopigeon.target="$TARGET" -pl engine compile dependency:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime
exec java "${JVM_OPTS[@]}" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
    -cp "engine/$TARGET/classes:$(cat "$CP_FILE")" "$@"
