#!/usr/bin/python3
"""Writes the synthetic sample photos in sample-data/photos/ (deterministic).

They are procedurally drawn scenes, not real photographs: the repository may not carry
third-party photos, and the demo model is untrained anyway. One JPEG carries EXIF GPS
(so the CLI's exif_gps output can be seen), one carries EXIF orientation 6 (rotated), one
both (a phone portrait: GPS west of Greenwich and rotated), one is WebP, and four views form a
panorama for `locate --panorama`.

Run: /usr/bin/python3 tools/make_sample_photos.py
"""
import math
import os
import random

from PIL import Image, ImageDraw, ImageFilter

OUT = os.path.join(os.path.dirname(__file__), "..", "sample-data", "photos")


def scene(w, h, seed, sky=(110, 160, 220), ground=(90, 130, 70), buildings=True):
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    horizon = int(h * rnd.uniform(0.45, 0.6))
    for y in range(horizon):  # sky gradient
        t = y / max(1, horizon)
        d.line([(0, y), (w, y)], fill=tuple(int(c * (1 - 0.35 * t) + 255 * 0.35 * t) for c in sky))
    for y in range(horizon, h):
        t = (y - horizon) / max(1, h - horizon)
        d.line([(0, y), (w, y)], fill=tuple(int(c * (0.8 + 0.4 * t)) for c in ground))
    if buildings:
        x = 0
        while x < w:
            bw = rnd.randint(w // 12, w // 5)
            bh = rnd.randint(h // 8, h // 2)
            col = tuple(rnd.randint(120, 230) for _ in range(3))
            d.rectangle([x, horizon - bh, x + bw, horizon], fill=col, outline=(60, 60, 60))
            for wy in range(horizon - bh + 8, horizon - 10, 18):
                for wx in range(x + 6, x + bw - 8, 16):
                    d.rectangle([wx, wy, wx + 7, wy + 9], fill=(50, 70, 90))
            x += bw + rnd.randint(0, w // 30)
    d.polygon([(w * 0.4, h), (w * 0.48, horizon), (w * 0.52, horizon), (w * 0.6, h)], fill=(70, 70, 75))
    for _ in range(6):  # trees
        tx, ty = rnd.randint(0, w), rnd.randint(horizon, h)
        r = rnd.randint(h // 30, h // 12)
        d.ellipse([tx - r, ty - 2 * r, tx + r, ty], fill=(30, 90 + rnd.randint(0, 60), 40))
    return img.filter(ImageFilter.GaussianBlur(0.6))


def gps_exif(lat, lon):
    def dms(v):
        v = abs(v)
        deg = int(v)
        minutes = int((v - deg) * 60)
        seconds = round(((v - deg) * 60 - minutes) * 60, 4)
        return (float(deg), float(minutes), float(seconds))

    exif = Image.Exif()
    exif[0x010F] = "GeoPigeon synthetic"  # Make
    exif[0x0110] = "make_sample_photos.py"  # Model
    gps = {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
    exif[0x8825] = gps
    return exif


def main():
    os.makedirs(OUT, exist_ok=True)
    # Landscape street scene with EXIF GPS: Place de la Concorde, Paris (48.8656 N, 2.3212 E).
    scene(1024, 683, 1).save(os.path.join(OUT, "street_with_gps.jpg"), quality=85,
                              exif=gps_exif(48.8656, 2.3212).tobytes())
    # Countryside, PNG, no metadata.
    scene(800, 600, 2, sky=(150, 185, 230), ground=(160, 150, 80), buildings=False).save(
        os.path.join(OUT, "countryside.png"), optimize=True)
    # Portrait stored sideways with EXIF orientation 6 (viewers rotate it 90 degrees clockwise).
    upright = scene(600, 900, 3)
    exif = Image.Exif()
    exif[0x0112] = 6
    upright.transpose(Image.ROTATE_90).save(os.path.join(OUT, "portrait_orientation6.jpg"), quality=85,
                                             exif=exif.tobytes())
    # A phone portrait: stored sideways (orientation 6) with GPS west of Greenwich (Lisbon, 38.7077 N, 9.1365 W).
    exif = gps_exif(38.7077, -9.1365)
    exif[0x0112] = 6
    scene(480, 640, 4).transpose(Image.ROTATE_90).save(os.path.join(OUT, "portrait_gps_orientation6.jpg"),
                                                        quality=85, exif=exif.tobytes())
    # WebP (lossy), no metadata.
    scene(640, 427, 5, sky=(170, 190, 215)).save(os.path.join(OUT, "harbour.webp"), quality=80, method=4)
    # Four views 90 degrees apart for --panorama.
    for i, heading in enumerate((0, 90, 180, 270)):
        scene(640, 480, 10 + i).save(os.path.join(OUT, "panorama_%03d.jpg" % heading), quality=80)


if __name__ == "__main__":
    main()
