#!/usr/bin/python3
"""Decodes TopoJSON into planar longitude/latitude polygons, cut at the antimeridian.

world-atlas 2.0.2 (npm) is made with d3's geostitch: it is NOT cut at +-180. A ring that crosses the
antimeridian goes straight from e.g. 179.8 to -180 (a short step on the sphere) and Antarctica is a ring
around the South Pole. Read as planar polygons (GeoJSON, JTS, shapely, mapshaper) such a ring runs across
the whole map, which gives self-intersecting junk (Russia's north coast, Fiji). This module unwraps each
ring, closes rings around a pole through that pole, and cuts the result into pieces inside [-180, 180].

Usage (library): decode(topology, "countries") -> [(id, properties, shapely MultiPolygon)], planar(rings).
Usage (command): /usr/bin/python3 tools/antimeridian.py TOPOJSON OBJECT OUT.geojson
"""
import json
import sys

import numpy as np
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.ops import unary_union
from shapely.validation import make_valid

# A step longer than this between consecutive vertices is a crossing of the antimeridian, not a real edge.
MAX_STEP = 180.0


def decode(topology, object_name):
    """[(id or None, properties, MultiPolygon)] for the polygonal geometries of one TopoJSON object, in order."""
    if topology.get("type") != "Topology":
        raise ValueError("not a TopoJSON Topology")
    if object_name not in topology.get("objects", {}):
        raise ValueError(f"TopoJSON has no object {object_name!r} (has {sorted(topology.get('objects', {}))})")
    arcs = _arcs(topology)

    def ring(indices):
        pts = []
        for i in indices:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a.tolist() if not pts else a[1:].tolist())  # arcs share their end vertex
        return pts

    out = []
    for g in topology["objects"][object_name]["geometries"]:
        if g.get("type") == "Polygon":
            polygons = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polygons = g["arcs"]
        else:
            continue  # null geometries, points, lines
        parts = [planar([ring(r) for r in p]) for p in polygons]
        out.append((g.get("id"), g.get("properties", {}), _multi(unary_union(parts))))
    return out


def _arcs(topology):
    """Arc coordinates in degrees; with a transform the positions are quantized and delta-encoded."""
    t = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        a = np.array(arc, dtype=np.float64 if t is None else np.int64)[:, :2]
        if t is not None:
            a = np.cumsum(a, axis=0) * np.array(t["scale"]) + np.array(t["translate"])
        arcs.append(a)
    return arcs


def planar(rings):
    """One spherical polygon (first ring the exterior, then holes) as a planar MultiPolygon in [-180, 180].

    Ordinary rings keep the usual planar meaning (exterior minus holes). A ring that winds once around a pole
    bounds the region on its right (d3's winding convention, which world-atlas follows): going east it encloses
    the South Pole, going west the North Pole. That is why Antarctica at 1:50m, an exterior ring hugging the
    South Pole going west with the coast as an eastward "hole", comes out as the continent.
    """
    shell, *holes = rings
    region, _ = _region(shell)
    for h in holes:
        hole, hole_polar = _region(h)
        region = region.intersection(hole) if hole_polar else region.difference(hole)
    return _multi(region)


def _region(coords):
    """(planar region, is_polar) for one ring: its inside, or for a polar ring the side towards its pole."""
    xy = np.asarray(coords, dtype=np.float64)[:, :2]
    steps = np.diff(xy[:, 0])
    steps = np.where(steps > MAX_STEP, steps - 360.0, np.where(steps < -MAX_STEP, steps + 360.0, steps))
    x = np.concatenate([[xy[0, 0]], xy[0, 0] + np.cumsum(steps)])
    wind = x[-1] - x[0]
    polar = abs(wind) > MAX_STEP
    pts = list(zip(x, xy[:, 1]))
    if polar:
        pole = -90.0 if wind > 0 else 90.0
        pts += [(x[-1], pole), (x[0], pole)]
    if len(pts) < 4:
        return Polygon(), polar
    shape = _polygons(make_valid(Polygon(pts)))
    # The unwrapped ring lies within [x0 - 360, x0 + 360]: fold every 360-wide strip back onto [-180, 180].
    pieces = []
    for k in range(-2, 3):
        piece = shape.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
        if not piece.is_empty:
            pieces.append(translate(piece, xoff=-360 * k))
    return _polygons(unary_union(pieces)), polar


def _polygons(g):
    """Only the areal part of a geometry (intersections can leave lines and points on the cut)."""
    if isinstance(g, (Polygon, MultiPolygon)):
        return g
    areal = [p for p in getattr(g, "geoms", []) if isinstance(p, (Polygon, MultiPolygon))]
    return unary_union(areal) if areal else Polygon()


def _multi(g):
    g = _polygons(g)
    if g.is_empty:
        return MultiPolygon()
    return MultiPolygon([g]) if isinstance(g, Polygon) else g


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: antimeridian.py TOPOJSON OBJECT OUT.geojson")
    src, name, dst = argv
    with open(src) as f:
        topology = json.load(f)
    features = []
    for fid, props, geom in decode(topology, name):
        if geom.is_empty:
            continue
        feature = {"type": "Feature", "properties": props, "geometry": mapping(geom)}
        if fid is not None:
            feature["id"] = fid
        features.append(feature)
    with open(dst, "w") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f)
    print(f"{dst}: {len(features)} features from {src} object {name!r}, cut at the antimeridian")


if __name__ == "__main__":
    main(sys.argv[1:])
