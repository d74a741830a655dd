#!/usr/bin/env bash
# Publishes the GeoPigeon PostGIS views as GeoServer layers with the GeoPigeon SLD styles, through
# GeoServer's REST API (curl only). Safe to run again: existing objects are updated, not duplicated.
#
#   GEOSERVER_PASSWORD=... PG_HOST=db PG_DATABASE=gis PG_USER=geoserver_ro PG_PASSWORD=... \
#     tools/publish_geoserver.sh
#
# Creates: workspace geopigeon; PostGIS store geopigeon_postgis (schema geopigeon); layers
# predicted_cells, predicted_points, geocells; styles geopigeon_* (workspace styles) set as the
# layers' defaults, geopigeon_exif_vs_estimate as an extra style of predicted_points.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: publish_geoserver.sh [--dry-run] [--help]
Environment (defaults in brackets):
  GEOSERVER_URL       [http://localhost:8080/geoserver]
  GEOSERVER_USER      [admin]
  GEOSERVER_PASSWORD  (required)
  WORKSPACE           [geopigeon]
  STORE               [geopigeon_postgis]
  PG_HOST [localhost]  PG_PORT [5432]  PG_DATABASE (required)  PG_SCHEMA [geopigeon]
  PG_USER (required)   PG_PASSWORD (required)
  STYLES_DIR          [<this script>/../styles]
--dry-run prints the requests instead of sending them.
USAGE
}

DRY_RUN=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) DRY_RUN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "publish_geoserver.sh: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

GEOSERVER_URL="${GEOSERVER_URL:-http://localhost:8080/geoserver}"
GEOSERVER_URL="${GEOSERVER_URL%/}"
GEOSERVER_USER="${GEOSERVER_USER:-admin}"
WORKSPACE="${WORKSPACE:-geopigeon}"
STORE="${STORE:-geopigeon_postgis}"
PG_HOST="${PG_HOST:-localhost}"
PG_PORT="${PG_PORT:-5432}"
PG_SCHEMA="${PG_SCHEMA:-geopigeon}"
STYLES_DIR="${STYLES_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/styles}"

missing=()
for v in GEOSERVER_PASSWORD PG_DATABASE PG_USER PG_PASSWORD; do
  [[ -n "${!v:-}" ]] || missing+=("$v")
done
if (( ${#missing[@]} )); then
  echo "publish_geoserver.sh: set ${missing[*]} (see --help)" >&2; exit 2
fi
[[ -d "$STYLES_DIR" ]] || { echo "publish_geoserver.sh: styles folder $STYLES_DIR not found (set STYLES_DIR)" >&2; exit 2; }

REST="$GEOSERVER_URL/rest"

# JSON string escaping for values we put into request bodies (quotes and backslashes).
json() { local s="${1//\\/\\\\}"; printf '"%s"' "${s//\"/\\\"}"; }

# request METHOD PATH [CONTENT_TYPE BODY_OR_@FILE] -> prints the HTTP status; fails on 5xx/401/403
request() {
  local method="$1" path="$2" type="${3:-}" body="${4:-}"
  if (( DRY_RUN )); then
    echo "$method $REST$path${type:+ ($type)}" >&2
    case "$method" in GET) echo 404 ;; *) echo 200 ;; esac
    return
  fi
  local args=(-sS -o /tmp/publish_geoserver.$$ -w '%{http_code}' -u "$GEOSERVER_USER:$GEOSERVER_PASSWORD" -X "$method")
  if [[ -n "$type" ]]; then args+=(-H "Content-Type: $type" --data-binary "$body"); fi
  local code
  code=$(curl "${args[@]}" "$REST$path") || { echo "publish_geoserver.sh: cannot reach $REST" >&2; exit 1; }
  if [[ "$code" == 401 || "$code" == 403 || "$code" -ge 500 ]]; then
    echo "publish_geoserver.sh: $method $path -> HTTP $code: $(head -c 500 /tmp/publish_geoserver.$$)" >&2
    rm -f /tmp/publish_geoserver.$$; exit 1
  fi
  rm -f /tmp/publish_geoserver.$$
  echo "$code"
}

exists() { [[ "$(request GET "$1")" == 200 ]]; }

# create_or_update COLLECTION_PATH ITEM_PATH TYPE BODY: POST to the collection, or PUT to the item
create_or_update() {
  local code
  if exists "$2"; then code=$(request PUT "$2" "$3" "$4"); else code=$(request POST "$1" "$3" "$4"); fi
  [[ "$code" =~ ^20[01]$ ]] || { echo "publish_geoserver.sh: $2 -> HTTP $code" >&2; exit 1; }
}

echo "workspace $WORKSPACE"
if ! exists "/workspaces/$WORKSPACE.json"; then
  code=$(request POST /workspaces application/json "{\"workspace\":{\"name\":$(json "$WORKSPACE")}}")
  [[ "$code" == 201 || "$code" == 200 ]] || { echo "publish_geoserver.sh: workspace -> HTTP $code" >&2; exit 1; }
fi

echo "PostGIS store $STORE ($PG_HOST:$PG_PORT/$PG_DATABASE, schema $PG_SCHEMA)"
entry() { printf '{"@key":%s,"$":%s}' "$(json "$1")" "$(json "$2")"; }
store_body=$(cat <<JSON
{"dataStore":{"name":$(json "$STORE"),"type":"PostGIS","enabled":true,
 "description":"GeoPigeon predictions and geocells",
 "connectionParameters":{"entry":[
   $(entry dbtype postgis), $(entry host "$PG_HOST"), $(entry port "$PG_PORT"),
   $(entry database "$PG_DATABASE"), $(entry schema "$PG_SCHEMA"),
   $(entry user "$PG_USER"), $(entry passwd "$PG_PASSWORD"),
   $(entry "Expose primary keys" true), $(entry "Loose bbox" true),
   $(entry "Estimated extends" false), $(entry "max connections" 10)]}}}
JSON
)
create_or_update "/workspaces/$WORKSPACE/datastores" "/workspaces/$WORKSPACE/datastores/$STORE.json" \
  application/json "$store_body"

# The views may still be empty: declare a world extent instead of letting GeoServer compute one.
WORLD='{"minx":-180,"maxx":180,"miny":-90,"maxy":90,"crs":"EPSG:4326"}'
publish_layer() {  # NAME TITLE ABSTRACT
  local body
  body=$(cat <<JSON
{"featureType":{"name":$(json "$1"),"nativeName":$(json "$1"),"title":$(json "$2"),"abstract":$(json "$3"),
 "srs":"EPSG:4326","projectionPolicy":"FORCE_DECLARED","enabled":true,
 "nativeBoundingBox":$WORLD,"latLonBoundingBox":$WORLD}}
JSON
)
  echo "layer $WORKSPACE:$1"
  create_or_update "/workspaces/$WORKSPACE/datastores/$STORE/featuretypes" \
    "/workspaces/$WORKSPACE/datastores/$STORE/featuretypes/$1.json" application/json "$body"
}
publish_layer predicted_cells "GeoPigeon predicted cells" \
  "Geocells predicted for each geolocated photo, with the model's probability and rank (1 = most probable)."
publish_layer predicted_points "GeoPigeon point estimates" \
  "One estimated location per geolocated photo, with the model's confidence. Estimates, not evidence."
publish_layer geocells "GeoPigeon geocells" "The semantic geocells the model chooses between."

upload_style() {  # NAME
  local file="$STYLES_DIR/$1.sld"
  [[ -f "$file" ]] || { echo "publish_geoserver.sh: style file $file missing" >&2; exit 1; }
  echo "style $WORKSPACE:$1"
  local code
  if exists "/workspaces/$WORKSPACE/styles/$1.json"; then
    code=$(request PUT "/workspaces/$WORKSPACE/styles/$1" application/vnd.ogc.sld+xml "@$file")
  else
    code=$(request POST "/workspaces/$WORKSPACE/styles?name=$1" application/vnd.ogc.sld+xml "@$file")
  fi
  [[ "$code" =~ ^20[01]$ ]] || { echo "publish_geoserver.sh: style $1 -> HTTP $code" >&2; exit 1; }
}
for s in geopigeon_predicted_cells geopigeon_predicted_points geopigeon_geocells geopigeon_exif_vs_estimate; do
  upload_style "$s"
done

set_default_style() {  # LAYER STYLE
  echo "default style of $WORKSPACE:$1 = $2"
  local code
  code=$(request PUT "/workspaces/$WORKSPACE/layers/$1" application/json \
    "{\"layer\":{\"defaultStyle\":{\"name\":$(json "$2"),\"workspace\":$(json "$WORKSPACE")}}}")
  [[ "$code" == 200 ]] || { echo "publish_geoserver.sh: layer $1 -> HTTP $code" >&2; exit 1; }
}
set_default_style predicted_cells geopigeon_predicted_cells
set_default_style predicted_points geopigeon_predicted_points
set_default_style geocells geopigeon_geocells

echo "extra style of $WORKSPACE:predicted_points: geopigeon_exif_vs_estimate"
code=$(request PUT "/workspaces/$WORKSPACE/layers/predicted_points" application/json \
  "{\"layer\":{\"styles\":{\"style\":[{\"name\":\"geopigeon_exif_vs_estimate\",\"workspace\":$(json "$WORKSPACE")}]}}}")
[[ "$code" == 200 ]] || { echo "publish_geoserver.sh: styles of predicted_points -> HTTP $code" >&2; exit 1; }

echo "done: $GEOSERVER_URL/$WORKSPACE/wms?service=WMS&request=GetCapabilities"
