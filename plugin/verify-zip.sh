#!/usr/bin/env bash
# Checks the GeoServer extension zip: our jars, DJL with its native CPU libtorch, Flyway and the
# image libraries are in; nothing GeoServer already ships (GeoTools, JTS, PostgreSQL driver,
# Jackson, SLF4J, JNA) is; no jar carries an org.geoserver class or a benchmark (org/geopigeon/bench,
# org/geopigeon/engine/bench); the process factory named in
# META-INF/services is Java 11 bytecode (class-file version <= 55), so on a Java 11 GeoServer it
# fails alone instead of hiding every WPS process; every jar is named in README-INSTALL.txt.
# Usage: plugin/verify-zip.sh plugin/target/geopigeon-geoserver-plugin-VERSION.zip
set -euo pipefail
zip="${1:?usage: $0 path/to/geopigeon-geoserver-plugin-VERSION.zip}"
[[ -f "$zip" ]] || { echo "verify-zip: $zip does not exist" >&2; exit 1; }

entries=$(unzip -Z1 "$zip")
# top-level jars only: that is what goes into WEB-INF/lib
jars=$(grep -E '^[^/]+\.jar$' <<<"$entries" || true)
fail=0

require() {   # $1: extended regex on entry names, $2: what it is
  if ! grep -qE "$1" <<<"$entries"; then echo "verify-zip: MISSING $2 (/$1/)" >&2; fail=1; fi
}
forbid() {    # $1: extended regex on top-level jar names, $2: why
  local hits
  hits=$(grep -E "$1" <<<"$jars" || true)
  if [[ -n "$hits" ]]; then echo "verify-zip: FORBIDDEN ($2): $(tr '\n' ' ' <<<"$hits")" >&2; fail=1; fi
}

require '^geopigeon-engine-[^/]+\.jar$'             'GeoPigeon engine jar'
require '^geopigeon-wps-process-[^/]+\.jar$'        'GeoPigeon WPS process jar'
require '^geopigeon-service-[^/]+\.jar$'             'GeoPigeon service jar'
require '^djl-api-[^/]+\.jar$'                      'DJL api'
require '^pytorch-engine-[^/]+\.jar$'               'DJL PyTorch engine'
require '^pytorch-jni-[^/]+\.jar$'                  'DJL PyTorch JNI'
require '^pytorch-native-cpu-[^/]+-linux-x86_64\.jar$' 'libtorch CPU natives (linux-x86_64)'
require '^flyway-core-[^/]+\.jar$'                  'Flyway core'
require '^flyway-database-postgresql-[^/]+\.jar$'   'Flyway PostgreSQL support'
require '^metadata-extractor-[^/]+\.jar$'           'metadata-extractor (EXIF)'
require '^xmpcore-[^/]+\.jar$'                      'xmpcore'
require '^imageio-jpeg-[^/]+\.jar$'                 'TwelveMonkeys JPEG'
require '^README-INSTALL\.txt$'                     'install notes'
for sld in predicted_cells predicted_points geocells exif_vs_estimate; do
  require "^geopigeon-data/styles/geopigeon_${sld}\.sld$" "style geopigeon_${sld}.sld"
done
require '^geopigeon-data/sql/V1__[^/]+\.sql$'       'SQL migrations'
require '^geopigeon-data/demo-bundle/manifest\.json$' 'demo bundle'
# Every document README-INSTALL.txt points to is in the zip.
for doc in geoserver postgis ethics configuration bundle-format; do
  require "^geopigeon-data/docs/${doc}\.md$" "docs/${doc}.md"
done

forbid '^(gt-|geotools-wrapper)'   'GeoTools is in GeoServer'
forbid '^jts-'                     'JTS is in GeoServer'
forbid '^postgresql-[0-9]'         'GeoServer ships the PostgreSQL JDBC driver'
forbid '^jackson-'                 'GeoServer ships Jackson'
forbid '^slf4j-'                   'GeoServer ships SLF4J and its logging backend'
forbid '^(junit|opentest4j|apiguardian)' 'test libraries'
forbid '^gs-'                      'GeoServer jars'
forbid '^jna-'                     'GeoServer 2.27 ships JNA (5.16.0 / 5.17.0); a second copy loads in unspecified order'
forbid '^geopigeon-geoserver-stubs' 'the RawData stand-in is compile-only'
forbid '^geopigeon-(bench|app)-'  'benchmarks, experiments and the CLI are not part of the extension'

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# No org.geoserver class in any shipped jar: GeoServer's own classes must be the only ones.
while IFS= read -r jar; do
  [[ -n "$jar" ]] || continue
  unzip -q -o "$zip" "$jar" -d "$tmp/jars"
  if unzip -Z1 "$tmp/jars/$jar" 2>/dev/null | grep -q '^org/geoserver/'; then
    echo "verify-zip: FORBIDDEN (org.geoserver classes belong to GeoServer): $jar contains" \
      "$(unzip -Z1 "$tmp/jars/$jar" | grep '^org/geoserver/' | head -3 | tr '\n' ' ')" >&2
    fail=1
  fi
  # What ships is what runs: benchmarks, experiments and sample-data builders live in the bench module.
  if unzip -Z1 "$tmp/jars/$jar" 2>/dev/null | grep -qE '^org/geopigeon/(engine/)?bench/'; then
    echo "verify-zip: FORBIDDEN (benchmarks and experiments are not shipped): $jar contains" \
      "$(unzip -Z1 "$tmp/jars/$jar" | grep -E '^org/geopigeon/(engine/)?bench/' | head -3 | tr '\n' ' ')" >&2
    fail=1
  fi
  [[ "$jar" == geopigeon-wps-process-* ]] || rm -f "$tmp/jars/$jar"
done <<<"$jars"

# The process must be registered, or GeoServer's WPS will not list geopigeon:Geolocate.
major=""
wps_jar=$(grep -E '^geopigeon-wps-process-[^/]+\.jar$' <<<"$jars" | head -1 || true)
if [[ -n "$wps_jar" ]]; then
  if ! unzip -p "$tmp/jars/$wps_jar" META-INF/services/org.geotools.process.ProcessFactory 2>/dev/null \
      | grep -q 'org.geopigeon.wps.GeoPigeonProcessFactory'; then
    echo "verify-zip: $wps_jar does not register org.geopigeon.wps.GeoPigeonProcessFactory" >&2; fail=1
  fi
  # Class-file major version: bytes 7-8, big-endian (55 = Java 11, 61 = Java 17).
  major=$(unzip -p "$tmp/jars/$wps_jar" org/geopigeon/wps/GeoPigeonProcessFactory.class 2>/dev/null \
    | od -An -tu1 -j6 -N2 | awk '{ print $1 * 256 + $2 }')
  if [[ -z "$major" ]]; then
    echo "verify-zip: $wps_jar has no org/geopigeon/wps/GeoPigeonProcessFactory.class" >&2; fail=1
  elif (( major > 55 )); then
    echo "verify-zip: GeoPigeonProcessFactory is class-file version $major (> 55, Java 11): on a Java 11" \
      "GeoServer it would hide every WPS process" >&2; fail=1
  fi
fi

# Every jar an administrator copies is named in the install notes (their jar table), by artifact name.
notes=$(unzip -p "$zip" README-INSTALL.txt 2>/dev/null || true)
while IFS= read -r jar; do
  [[ -n "$jar" ]] || continue
  artifact=$(sed -E 's/-[0-9][^/]*\.jar$//' <<<"$jar")
  if ! grep -qF -- "$artifact" <<<"$notes"; then
    echo "verify-zip: $jar ($artifact) is not named in README-INSTALL.txt's jar table" >&2; fail=1
  fi
done <<<"$jars"

# Every file of the zip the notes point to (geopigeon-data/docs/postgis.md, .../tools/publish_geoserver.sh, ...) is in it.
while IFS= read -r ref; do
  [[ -n "$ref" ]] || continue
  if ! grep -qxF -- "$ref" <<<"$entries"; then
    echo "verify-zip: README-INSTALL.txt points to $ref, which is not in the zip" >&2; fail=1
  fi
done < <(grep -oE 'geopigeon-data/[A-Za-z0-9_./-]*[A-Za-z0-9_]\.[a-z]+' <<<"$notes" | sort -u)

# ... and found by the notes' duplicate check (the `ls ... | grep -E '...'` line), so an older copy of any of them
# already in WEB-INF/lib shows up.
dup_re=$(grep -E "ls .*WEB-INF/lib \| grep -E '" <<<"$notes" | sed -E "s/.*grep -E '([^']*)'.*/\1/" | head -1)
if [[ -z "$dup_re" ]]; then
  echo "verify-zip: README-INSTALL.txt has no duplicate-jar check (ls WEB-INF/lib | grep -E '...')" >&2; fail=1
else
  unlisted=$(grep -vE "$dup_re" <<<"$jars" || true)
  if [[ -n "$unlisted" ]]; then
    echo "verify-zip: README-INSTALL.txt's duplicate-jar check misses: $(tr '\n' ' ' <<<"$unlisted")" >&2; fail=1
  fi
fi

if (( fail )); then exit 1; fi
size=$(stat -c %s "$zip")
echo "verify-zip: OK $(basename "$zip"): $(wc -l <<<"$jars") jars, $(( size / 1024 / 1024 )) MiB," \
  "no org.geoserver classes, no JNA, process factory class-file version $major"
