#!/usr/bin/env bash
# Closing numbers of the standalone service (docs/service.md, "Measured numbers"): requests/s and latency of
# synchronous geolocate executions at 1, 4 and 16 clients with micro-batching off and then on (same JVM, bundle
# and database), and memory with 16 concurrent 25 MB uploads.
# Starts the service in-process with the demo bundle on a throwaway PostGIS (like the tests).
#   tools/bench_service.sh [SECONDS_PER_LEVEL [MICRO_BATCH [WAIT_MS]]] [--no-uploads]   (defaults 20, 8, 5)
# Environment: GEOPIGEON_TARGET (Maven output folder, default target), JAVA_OPTS (default -Xmx3g).
set -euo pipefail
cd "$(dirname "$0")/.."
T="${GEOPIGEON_TARGET:-target}"
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -q -B -ntp "-Dgeopigeon.target=$T" -pl app -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test "-Dmdep.outputFile=$CP_FILE" >/dev/null
export DJL_OFFLINE=true
cd app # the test helpers find the demo bundle and the styles relative to the module
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
java ${JAVA_OPTS:--Xmx3g} -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$T/test-classes:$T/classes:$(cat "$CP_FILE")" org.geopigeon.app.serve.ServiceBenchmark "$@"
