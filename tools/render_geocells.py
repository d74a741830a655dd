#!/usr/bin/python3
"""Draws a geocell GeoJSON as a PNG map (equirectangular), each cell in its own colour.

  /usr/bin/python3 tools/render_geocells.py cells.geojson out.png [--width 1600] [--bbox minlon,minlat,maxlon,maxlat]

Used for the README picture of the semantic geocells; needs only Pillow.
"""
import argparse
import json
import random

from PIL import Image, ImageDraw


def rings(geometry):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"][:1]
    elif geometry["type"] == "MultiPolygon":
        for poly in geometry["coordinates"]:
            yield poly[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cells")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--bbox", default="-180,-60,180,85")
    a = ap.parse_args()
    x0, y0, x1, y1 = (float(v) for v in a.bbox.split(","))
    w = a.width
    h = int(w * (y1 - y0) / (x1 - x0))
    img = Image.new("RGB", (w, h), (245, 248, 252))
    d = ImageDraw.Draw(img)
    rnd = random.Random(1)
    with open(a.cells) as f:
        features = json.load(f)["features"]

    def px(c):
        return ((c[0] - x0) / (x1 - x0) * w, (y1 - c[1]) / (y1 - y0) * h)

    for feat in features:
        colour = tuple(rnd.randint(90, 230) for _ in range(3))
        for ring in rings(feat["geometry"]):
            pts = [px(c) for c in ring]
            if len(pts) >= 3:
                d.polygon(pts, fill=colour, outline=(60, 60, 60))
    d.text((8, h - 18), "%d geocells" % len(features), fill=(0, 0, 0))
    img.save(a.out, optimize=True)


if __name__ == "__main__":
    main()
