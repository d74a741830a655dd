#!/usr/bin/env bash
# Batch throughput in one command: images/s of `geopigeon locate` (the CLI) and of the Spark job
# (`geopigeon batch`) at local[1] and local[2] on the same images, and the audit log's insert rate.
# Starts a throwaway PostgreSQL + PostGIS cluster in a temporary folder (removed at the end).
#
#   tools/bench_spark.sh [--photos DIR] [--copies N] [--bundle DIR] [--rows N]
#
# Defaults: ../shared/data/photos (else sample-data/photos), each file copied N=4 times into a temporary
# folder (so the job has enough images to spread), the demo bundle, 2000 audit rows per measurement.
# Needs postgresql-15 and postgresql-15-postgis-3 (tools/test.sh installs them).
# Environment: GEOPIGEON_TARGET (Maven output folder name), JAVA_OPTS.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TARGET="${GEOPIGEON_TARGET:-target}"
PHOTOS=""; COPIES=4; BUNDLE="$ROOT/sample-data/demo-bundle"; ROWS=2000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --photos) PHOTOS="$2"; shift 2 ;;
        --copies) COPIES="$2"; shift 2 ;;
        --bundle) BUNDLE="$2"; shift 2 ;;
        --rows) ROWS="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
if [[ -z "$PHOTOS" ]]; then
    for c in "$ROOT/../shared/data/photos" "$ROOT/../../shared/data/photos"; do
        [[ -d "$c" ]] && PHOTOS="$(cd "$c" && pwd)" && break
    done
    PHOTOS="${PHOTOS:-$ROOT/sample-data/photos}"
fi
PG=/usr/lib/postgresql/15/bin
[[ -x "$PG/initdb" && -f /usr/share/postgresql/15/extension/postgis.control ]] \
    || { echo "bench_spark: needs postgresql-15 and postgresql-15-postgis-3 (apt-get install)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/geopigeon-bench-spark.XXXXXX)"
chmod 755 "$WORK"
PGDATA="$WORK/pg"
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    as_pg "$PG/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$PGDATA"; [[ "$(id -u)" == 0 ]] && chown postgres "$WORK" "$PGDATA"
as_pg "$PG/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >/dev/null
PORT=""
for _ in $(seq 20); do
    p=$(shuf -i 20000-60000 -n 1)
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
done
[[ -n "$PORT" ]] || { echo "bench_spark: no free port" >&2; exit 1; }
as_pg "$PG/pg_ctl" -D "$PGDATA" -l "$WORK/pg.log" -w -o "-k $WORK -c listen_addresses=127.0.0.1 -p $PORT" start >/dev/null \
    || { cat "$WORK/pg.log" >&2; exit 1; }
JDBC="jdbc:postgresql://127.0.0.1:$PORT/postgres?user=postgres"

# The same images for every run: N copies of each photo.
IMAGES="$WORK/images"; mkdir -p "$IMAGES"
for ((i = 0; i < COPIES; i++)); do
    for f in "$PHOTOS"/*; do
        [[ -f "$f" ]] && cp "$f" "$IMAGES/c${i}_$(basename "$f")"
    done
done
N=$(find "$IMAGES" -type f | wc -l)
echo "bench_spark: $N files ($COPIES copies of $PHOTOS), bundle $BUNDLE, $(nproc) cores"

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.2f images/s (%d in %.1f s)", n / (b - a), n, b - a }'; }

# Build both first so build time is not measured.
./geopigeon --help >/dev/null
./geopigeon batch --help >/dev/null

t0=$(now); ./geopigeon locate --json --bundle "$BUNDLE" "$IMAGES"/* >/dev/null 2>&1 || true; t1=$(now)
echo "CLI  geopigeon locate --json          : $(rate "$N" "$t0" "$t1") end to end"

for m in 1 2; do
    t0=$(now)
    out=$(./geopigeon batch --master "local[$m]" --bundle "$BUNDLE" --input "$IMAGES" --out "$WORK/out$m" \
        --purpose "benchmark" --jdbc "$JDBC" --conf spark.ui.enabled=false 2>/dev/null || true)
    t1=$(now)
    job=$(echo "$out" | sed -n 's/.*(\([0-9.]*\) images\/s).*/\1/p' | head -1)
    echo "Spark geopigeon batch --master local[$m]: $(rate "$N" "$t0" "$t1") end to end; job itself ${job:-?} images/s"
done

# Audit log insert rate (the single hash chain) through the store's classes.
CP="$ROOT/spark/$TARGET/geopigeon-spark-0.1.0-SNAPSHOT.jar:$(cat "$ROOT/spark/$TARGET/classpath-runtime.txt"):$(cat "$ROOT/spark/$TARGET/classpath-spark.txt")"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dlog4j2.configurationFile=geopigeon-batch-log4j2.properties \
    -cp "$CP" org.geopigeon.spark.bench.AuditInsertBenchmark "$JDBC" "$ROWS" 8 4 2>/dev/null
