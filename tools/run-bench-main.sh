#!/usr/bin/env bash
# Compiles the bench module (and what it depends on) and runs one of its main classes with its runtime class path:
# benchmarks, experiments and the sample-data builders. None of them ships: the bench module is in no jar the
# CLI, the GeoServer zip or the Spark job loads.
#   tools/run-bench-main.sh [-Xmx..] CLASS [ARGS...]   e.g. tools/run-bench-main.sh -Xmx2g org.geopigeon.bench.GeocellBenchmark .
# Environment: GEOPIGEON_TARGET (Maven output folder, default target).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="${GEOPIGEON_TARGET:-target}"
cd "$ROOT"
JVM_OPTS=()
while [[ $# -gt 0 && "$1" == -* ]]; do JVM_OPTS+=("$1"); shift; done
[[ $# -ge 1 ]] || { echo "usage: $0 [JVM options] CLASS [ARGS...]" >&2; exit 2; }
CP_FILE="$ROOT/bench/$TARGET/runtime.classpath"
# The reactor resolves engine/service/app to their target/classes folders: nothing is installed into ~/.m2.
# test-compile, not compile: app's test scope needs the engine and service test classes, which the reactor only
# resolves once they are compiled (with compile alone Maven looks for the test jars in ~/.m2 and fails).
mvn -q -B -Dgeopigeon.target="$TARGET" -pl bench -am test-compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime
exec java "${JVM_OPTS[@]}" -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
    -cp "bench/$TARGET/classes:$(cat "$CP_FILE")" "$@"
