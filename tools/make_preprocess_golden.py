#!/usr/bin/python3
"""Writes the golden vectors that pin ClipPreprocessor to Hugging Face CLIPImageProcessor.

Run with Debian's interpreter (needs only Pillow + numpy):  /usr/bin/python3 tools/make_preprocess_golden.py

It re-implements CLIPImageProcessor's slow (PIL) path step by step, as in transformers'
image_transforms.py:
  convert_to_rgb   -> image.convert("RGB") when the mode is not RGB (alpha is dropped, not composited)
  resize           -> shortest edge to S, other edge int(S * long / short), PIL Image.BICUBIC (antialiased)
  center_crop      -> top = (h - S) // 2, left = (w - S) // 2
  rescale          -> uint8 * (1/255)   (the golden files hold the uint8 values, exact and compact)
  normalize        -> (x - mean) / std  (checked in Java from the uint8 values)

Source images are synthetic (seeded gradients, shapes and noise) so they can be committed; nothing is
copied from shared/. Two JPEGs carry the metadata of real phone photos (issue 8): a Display P3 ICC profile, which
Pillow ignores (so must we), and a position only in an XMP packet (tools/ingest_fixtures.py builds both).
It also writes tiny samples for the decoder tests (EXIF orientations 1..8, WebP, CMYK).

Outputs (engine/src/test/resources):
  preprocess/<name>.<ext>          source image
  preprocess/<name>.S<size>.u8     golden CHW uint8 bytes, 3*S*S, before rescale/normalise
  preprocess/golden.csv            file,size,resized_width,resized_height,golden
  image/orientation_<k>.jpg        32x16 quadrant pattern (red, green / blue, white) stored with orientation k
  image/quadrants*.{png,webp,jpg}  64x32 quadrants as PNG, lossless and lossy WebP, CMYK JPEG and grey JPEG
"""
import os

import sys

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_fixtures as fx  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "resources")
PRE = os.path.join(ROOT, "preprocess")
IMG = os.path.join(ROOT, "image")


def hf_resize_size(width, height, size):
    """transformers get_resize_output_image_size(default_to_square=False) for shortest_edge=size."""
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size, int(size * long / short)
    return (new_short, new_long) if width <= height else (new_long, new_short)  # (width, height)


def hf_clip_uint8_chw(path, size):
    image = Image.open(path)
    if image.mode != "RGB":
        image = image.convert("RGB")
    new_w, new_h = hf_resize_size(image.width, image.height, size)
    resized = image.resize((new_w, new_h), resample=Image.BICUBIC)
    array = np.asarray(resized, dtype=np.uint8)
    top = (new_h - size) // 2
    left = (new_w - size) // 2
    crop = array[top:top + size, left:left + size, :]
    assert crop.shape == (size, size, 3), crop.shape
    return np.ascontiguousarray(crop.transpose(2, 0, 1)), new_w, new_h


def scene(width, height, seed, noise=6.0, shapes=12):
    """Smooth colour gradients, random shapes and mild noise: photo-like high and low frequencies."""
    rng = np.random.RandomState(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    xn, yn = x / max(width - 1, 1), y / max(height - 1, 1)
    r = 255 * (0.5 + 0.5 * np.sin(6.0 * xn + 2.0 * yn + rng.uniform(0, 6)))
    g = 255 * (0.5 + 0.5 * np.cos(4.0 * yn - 3.0 * xn + rng.uniform(0, 6)))
    b = 255 * (0.3 + 0.7 * xn * yn)
    rgb = np.stack([r, g, b], axis=-1)
    if noise:  # only in the top third: keeps the PNGs small while still giving pixel-level detail
        band = height // 3
        rgb[:band] += rng.normal(0, noise, size=rgb[:band].shape).astype(np.float32)
    image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(shapes):
        x0, y0 = rng.randint(0, width), rng.randint(0, height)
        x1, y1 = x0 + rng.randint(2, max(3, width // 4)), y0 + rng.randint(2, max(3, height // 4))
        colour = tuple(int(c) for c in rng.randint(0, 256, size=3))
        if rng.rand() < 0.5:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            draw.ellipse([x0, y0, x1, y1], outline=colour, width=max(1, width // 200))
    # a few one-pixel lines: worst case for the ringing of the bicubic kernel
    for i in range(5):
        yy = int(rng.randint(0, height))
        draw.line([0, yy, width - 1, yy], fill=(255, 255, 255) if i % 2 else (0, 0, 0), width=1)
    return image


def alpha_scene(width, height, seed):
    rgb = np.asarray(scene(width, height, seed))
    y, x = np.mgrid[0:height, 0:width]
    alpha = (255 * (x / (width - 1))).astype(np.uint8)
    alpha[(y // 40 + x // 40) % 2 == 0] = 0  # fully transparent squares keep their (garbage) colour in PIL
    return Image.fromarray(np.dstack([rgb, alpha]).astype(np.uint8), "RGBA")


def with_xmp_gps(path):
    """Adds an XMP packet with only a position (as photo managers write it) to a saved JPEG."""
    packet = fx.xmp_packet({"exif:GPSLatitude": "45,26.4060N", "exif:GPSLongitude": "12,19.6380E"})
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(fx.jpeg_insert(data, fx.jpeg_xmp(packet)))


def images():
    """(file name, PIL image, save kwargs, list of sizes[, function applied to the saved file])."""
    return [
        ("portrait_480x640.png", scene(480, 640, 1), {}, [224]),
        ("landscape_1023x577.png", scene(1023, 577, 2), {}, [224, 336]),
        ("small_150x97.png", scene(150, 97, 3), {}, [224]),
        # large: a noisy 1081x720 scene blown up 4x with NEAREST (sharp 4-pixel blocks) so the PNG stays small
        ("large_4321x2880.png", scene(1081, 720, 4, noise=0, shapes=30).resize((4321, 2880), Image.NEAREST), {"optimize": True},
         [336, 224]),
        ("gray_800x533.png", scene(800, 533, 5).convert("L"), {}, [224]),
        ("alpha_640x480.png", alpha_scene(640, 480, 6), {}, [224]),
        ("palette_300x400.png", scene(300, 400, 7, noise=0).convert("P", palette=Image.ADAPTIVE, colors=64), {},
         [224]),
        ("square_336x336.png", scene(336, 336, 8), {}, [336, 224]),
        # JPEG decoders (PIL/libjpeg-turbo vs Java ImageIO) may differ by a level here and there
        ("photo_1200x900.jpg", scene(1200, 900, 9), {"quality": 90}, [336]),
        # ICC-tagged like an iPhone photo: the profile must not be applied (Pillow ignores it)
        ("photo_p3_800x600.jpg", scene(800, 600, 10), {"quality": 92, "icc_profile": fx.rgb_profile("Display P3")},
         [224]),
        # the position lives only in XMP: decoding and preprocessing must not care
        ("photo_xmp_gps_640x480.jpg", scene(640, 480, 11), {"quality": 90}, [224], with_xmp_gps),
    ]


def quadrants(width=32, height=16):
    """Red | green over blue | white: any flip or rotation moves the colours somewhere recognisable."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    hw, hh = width // 2, height // 2
    draw.rectangle([0, 0, hw - 1, hh - 1], fill=(255, 0, 0))
    draw.rectangle([hw, 0, width - 1, hh - 1], fill=(0, 255, 0))
    draw.rectangle([0, hh, hw - 1, height - 1], fill=(0, 0, 255))
    draw.rectangle([hw, hh, width - 1, height - 1], fill=(255, 255, 255))
    return image


def write_decoder_samples():
    stored = quadrants()
    for k in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = k
        stored.save(os.path.join(IMG, "orientation_%d.jpg" % k), quality=95, subsampling=0, exif=exif.tobytes())
    big = quadrants(64, 32)
    big.save(os.path.join(IMG, "quadrants.png"))
    big.save(os.path.join(IMG, "quadrants_lossless.webp"), lossless=True)
    big.save(os.path.join(IMG, "quadrants_lossy.webp"), quality=90)
    big.convert("CMYK").save(os.path.join(IMG, "quadrants_cmyk.jpg"), quality=95)
    big.convert("L").save(os.path.join(IMG, "quadrants_gray.jpg"), quality=95)


def main():
    os.makedirs(PRE, exist_ok=True)
    os.makedirs(IMG, exist_ok=True)
    rows = ["file,size,resized_width,resized_height,golden"]
    for name, image, kwargs, sizes, *post in images():
        path = os.path.join(PRE, name)
        image.save(path, **kwargs)
        for step in post:
            step(path)
        for size in sizes:
            chw, new_w, new_h = hf_clip_uint8_chw(path, size)
            golden = "%s.S%d.u8" % (os.path.splitext(name)[0], size)
            chw.tofile(os.path.join(PRE, golden))
            rows.append("%s,%d,%d,%d,%s" % (name, size, new_w, new_h, golden))
            print("%-26s S=%d resized %dx%d -> %s (%d bytes source)" % (name, size, new_w, new_h, golden,
                                                                       os.path.getsize(path)))
    with open(os.path.join(PRE, "golden.csv"), "w") as out:
        out.write("\n".join(rows) + "\n")
    write_decoder_samples()


if __name__ == "__main__":
    main()
