#!/usr/bin/python3
"""Writes the decoder's own ingest cases: small files of the real-world kinds that broke parity with Pillow
(issue 8), with the values Pillow gives, for engine/src/test/java/.../image/IngestCasesTest.

Run with Debian's interpreter (Pillow 9.4 + numpy):  /usr/bin/python3 tools/make_ingest_cases.py

Each file is a synthetic scene (tools/make_preprocess_golden.py's scene()) saved by Pillow, with metadata built
from the specifications in tools/ingest_fixtures.py. Expected values (engine/src/test/resources/ingest/expected.csv,
same first columns as shared/data/ingest/expected.csv):

  pixel_sha256   SHA-256 of width, height (big-endian int32) and the RGB bytes of
                 ImageOps.exif_transpose(Image.open(f)).convert("RGB"): what CLIPImageProcessor is fed
  width, height  after orientation; orientation: the EXIF (or, for PNG, XMP tiff:Orientation) value Pillow uses
  gps_*          the position the file carries and where it is (exif block, or xmp packet only); gps_alt in metres
  icc_profile    the embedded profile's description as LittleCMS (ImageCms) reads it, empty when none or unusable
  expect         accept, or reject when Pillow refuses the file (then reason is the decoder's expected Reason)

Kinds (issue 8): i = ICC-tagged files (profile must be ignored), m = broken metadata that must not reject the
image (and truncated images that must), x = GPS only in XMP, r = EXIF in PNG text chunks / eXIf, w = WebP,
o = other real-world kinds (Motorola EXIF with camera fields, antimeridian).
"""
import csv
import hashlib
import io
import os
import struct
import sys
import zlib

from PIL import Image, ImageCms, ImageOps, PngImagePlugin

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ingest_fixtures as fx  # noqa: E402
from make_preprocess_golden import scene  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "resources", "ingest")

P3 = fx.rgb_profile("Display P3")
LINEAR = fx.rgb_profile("linear sRGB")
ADOBE_BIG = fx.rgb_profile("Adobe RGB (1998)", pad_to=70000)  # two APP2 segments
GREY = fx.grey_profile()
CMYK = fx.cmyk_profile()


def base(w=160, h=120, seed=11, noise=4.0):
    return scene(w, h, seed, noise=noise, shapes=10)


def jpeg_bytes(image, **kw):
    buf = io.BytesIO()
    image.save(buf, "JPEG", **kw)
    return buf.getvalue()


def png_bytes(image, pnginfo=None, **kw):
    buf = io.BytesIO()
    image.save(buf, "PNG", pnginfo=pnginfo, **kw)
    return buf.getvalue()


def webp_bytes(image, **kw):
    buf = io.BytesIO()
    image.save(buf, "WEBP", **kw)
    return buf.getvalue()


def itxt_raw(key, text, compressed):
    """An iTXt chunk written by hand (Pillow's add_itxt would do, but this also covers compressed packets)."""
    body = text.encode("utf-8")
    if compressed:
        body = zlib.compress(body)
    return fx.png_chunk(b"iTXt", key.encode("latin-1") + b"\0" + bytes([1 if compressed else 0, 0]) + b"\0\0" + body)


def pillow_values(path):
    """What Pillow gives: (size, hash, orientation, icc description) or raises when Pillow refuses the file."""
    with Image.open(path) as im:
        exif = im.getexif()
        orientation = exif.get(0x0112, 1)
        icc = im.info.get("icc_profile")
        upright = ImageOps.exif_transpose(im).convert("RGB")
    digest = hashlib.sha256(struct.pack(">ii", *upright.size) + upright.tobytes()).hexdigest()
    description = ""
    if icc:
        try:
            description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip()
        except (OSError, ImageCms.PyCMSError):
            description = ""
    return upright.size, digest, orientation, description


CASES = []


def case(name, data, note, gps=None, source="", alt="", expect="accept", reason=""):
    CASES.append((name, data, note, gps, source, alt, expect, reason))


def build():
    scene_rgb = base()
    exif_cam = dict(make="GeoPigeonCam", model="GP-1", lens="GP 4.2mm f/1.8", software="GeoPigeon tests 1.0",
                    taken="2023:07:14 18:05:09", offset="+02:00")

    # ---- i: ICC profiles are ignored, as Pillow ignores them
    case("i01_display_p3.jpg", jpeg_bytes(scene_rgb, quality=90, icc_profile=P3),
         "YCbCr 4:2:0 tagged Display P3 (phones): the profile is not applied")
    case("i02_linear_rgb_444.jpg", jpeg_bytes(scene_rgb, quality=95, subsampling=0, icc_profile=LINEAR),
         "4:4:4 tagged with a linear-RGB profile (gamma 1.0): not applied")
    case("i03_adobe_rgb_two_segments.jpg", jpeg_bytes(scene_rgb, quality=85, subsampling=1, icc_profile=ADOBE_BIG),
         "4:2:2, a 70 kB Adobe RGB profile split over two APP2 segments: not applied")
    case("i04_grey_gamma1.jpg", jpeg_bytes(scene_rgb.convert("L"), quality=90, icc_profile=GREY),
         "greyscale JPEG with a gamma 1.0 grey profile: not applied")
    cmyk = scene_rgb.convert("CMYK")
    cmyk = Image.merge("CMYK", [cmyk.getchannel(i).point(lambda v, i=i: min(255, v + 40 * (i == 3) + 10 * i))
                                for i in range(4)])  # some black ink everywhere: exercises K in the conversion
    case("i05_cmyk_with_profile.jpg", jpeg_bytes(cmyk, quality=92, icc_profile=CMYK),
         "Adobe CMYK with black ink and an embedded CMYK press profile: Pillow's plain CMYK->RGB, profile ignored")
    case("i06_cmyk_no_profile.jpg", jpeg_bytes(cmyk, quality=92),
         "Adobe CMYK with black ink, no profile: Pillow's plain CMYK->RGB")
    case("i07_display_p3_orientation6.jpg",
         jpeg_bytes(scene_rgb, quality=90, icc_profile=P3, exif=b"Exif\0\0" + fx.exif_tiff(orientation=6)),
         "Display P3 profile and EXIF orientation 6: rotated, profile not applied")
    case("i08_display_p3_progressive.jpg", jpeg_bytes(scene_rgb, quality=88, progressive=True, icc_profile=P3),
         "progressive JPEG tagged Display P3: not applied")
    case("i09_png_iccp_display_p3.png", png_bytes(base(noise=0), icc_profile=P3),
         "PNG with an iCCP Display P3 profile: not applied")
    case("i10_webp_lossy_iccp.webp", webp_bytes(scene_rgb, quality=85, icc_profile=P3),
         "lossy WebP with an ICCP chunk: not applied")

    # ---- m: broken metadata is ignored; missing pixel data is not
    plain = jpeg_bytes(scene_rgb, quality=90)
    case("m01_icc_incomplete_sequence.jpg", fx.jpeg_insert(plain, fx.jpeg_icc(P3[:300], 1, 2)),
         "ICC segment 1 of 2, the second missing: metadata problem, image decodes")
    case("m02_icc_cut_short.jpg", fx.jpeg_insert(plain, fx.jpeg_icc(P3[:100])),
         "ICC profile cut to 100 of its declared bytes: metadata problem, image decodes")
    case("m03_icc_sequence_zero.jpg", fx.jpeg_insert(plain, fx.jpeg_icc(P3, 0, 0)),
         "ICC segment numbered 0 of 0: metadata problem, image decodes")
    gps_tiff = fx.exif_tiff(orientation=1, lat=41.3851, lon=2.1734)
    case("m05_exif_gps_ifd_cut.jpg", fx.jpeg_insert(plain, fx.jpeg_exif(gps_tiff[:len(gps_tiff) - 30])),
         "EXIF whose GPS IFD runs past the end of its segment: metadata problem, image decodes")
    png_plain = png_bytes(base(noise=0))
    broken_iccp = b"Broken\0\0" + zlib.compress(P3)[:60]
    case("m06_png_iccp_cut.png", fx.png_insert(png_plain, fx.png_chunk(b"iCCP", broken_iccp)),
         "PNG iCCP chunk whose zlib stream is cut short (CRC valid): metadata problem, image decodes")
    p3_jpeg = jpeg_bytes(scene_rgb, quality=90, icc_profile=P3)
    case("m07_truncated_with_icc.jpg", p3_jpeg[:int(len(p3_jpeg) * 0.6)],
         "ICC-tagged JPEG cut in its scan data: truly truncated, refused", expect="reject", reason="TRUNCATED")
    case("m08_truncated.png", png_plain[:len(png_plain) // 2],
         "PNG cut in its IDAT data: truly truncated, refused", expect="reject", reason="TRUNCATED")

    # ---- x: GPS only in XMP
    def xmp(lat, lon, form="attribute", **more):
        props = {"exif:GPSLatitude": lat, "exif:GPSLongitude": lon}
        props.update({"exif:" + k: v for k, v in more.items()})
        return fx.xmp_packet(props, form)

    case("x01_xmp_dms_attributes.jpg",
         fx.jpeg_insert(plain, fx.jpeg_xmp(xmp("48,51,29.6N", "2,17,40.2E"))),
         "XMP only, attribute form, DDD,MM,SSk (Paris)", gps=(48 + 51 / 60 + 29.6 / 3600, 2 + 17 / 60 + 40.2 / 3600),
         source="xmp")
    case("x02_xmp_ddmm_elements_south_west.jpg",
         fx.jpeg_insert(plain, fx.jpeg_xmp(xmp("22,57.1140S", "43,12.6300W", form="element",
                                               GPSAltitude="7100/10", GPSAltitudeRef="0",
                                               GPSTimeStamp="2023-04-05T06:07:08Z"))),
         "XMP only, element form, DDD,MM.mmk south/west, with altitude and time (Rio)",
         gps=(-(22 + 57.114 / 60), -(43 + 12.63 / 60)), source="xmp", alt="710.0")
    case("x03_xmp_decimal_with_refs.jpg",
         fx.jpeg_insert(plain, fx.jpeg_xmp(xmp("33.8568", "151.2153", form="element",
                                               GPSLatitudeRef="S", GPSLongitudeRef="E"))),
         "XMP only, plain decimals with separate GPSLatitudeRef/GPSLongitudeRef (Sydney)",
         gps=(-33.8568, 151.2153), source="xmp")
    case("x04_png_itxt_xmp.png",
         fx.png_insert(png_plain, itxt_raw("XML:com.adobe.xmp", xmp("33,55.5360S", "18,25.4220E"), False)),
         "PNG iTXt XML:com.adobe.xmp, DDD,MM.mmk (Cape Town)", gps=(-(33 + 55.536 / 60), 18 + 25.422 / 60),
         source="xmp")
    case("x05_png_itxt_xmp_compressed.png",
         fx.png_insert(png_plain, itxt_raw("XML:com.adobe.xmp", xmp("64,8.8200N", "21,56.3400W"), True)),
         "PNG compressed iTXt XML:com.adobe.xmp (Reykjavik)", gps=(64 + 8.82 / 60, -(21 + 56.34 / 60)),
         source="xmp")
    both = jpeg_bytes(scene_rgb, quality=90, exif=b"Exif\0\0" + fx.exif_tiff(lat=35.6762, lon=139.6503))
    case("x06_exif_and_xmp_disagree.jpg", fx.jpeg_insert(both, fx.jpeg_xmp(xmp("1,0.0000N", "1,0.0000E"))),
         "EXIF GPS block and a different XMP position: the EXIF block wins",
         gps=(fx.dms_decimal(35.6762), fx.dms_decimal(139.6503)), source="exif")
    rotated = jpeg_bytes(scene_rgb, quality=90, exif=b"Exif\0\0" + fx.exif_tiff(orientation=6, make="XmpPhone"))
    case("x07_exif_without_gps_xmp_gps_orientation6.jpg",
         fx.jpeg_insert(rotated, fx.jpeg_xmp(xmp("40,44.1000N", "73,59.1000W"))),
         "EXIF (orientation 6, no GPS block) plus XMP GPS (New York): rotated, position from XMP",
         gps=(40 + 44.1 / 60, -(73 + 59.1 / 60)), source="xmp")
    case("x08_webp_xmp_chunk.webp",
         webp_bytes(scene_rgb, quality=85, xmp=xmp("55,45.1200N", "37,37.0800E").encode("utf-8")),
         "lossy WebP whose XMP chunk alone has the position (Moscow)", gps=(55 + 45.12 / 60, 37 + 37.08 / 60),
         source="xmp")
    case("x09_xmp_zero_zero.jpg", fx.jpeg_insert(plain, fx.jpeg_xmp(xmp("0,0.0000N", "0,0.0000E"))),
         "XMP position 0,0 (what apps write without a fix): no position")

    # ---- r: EXIF in PNG text chunks and eXIf
    def raw_profile_png(tiff, chunk, prefix=True):
        info = PngImagePlugin.PngInfo()
        text = fx.raw_profile_text(tiff, prefix_exif=prefix)
        if chunk == "tEXt":
            info.add_text("Raw profile type exif", text)
        elif chunk == "zTXt":
            info.add_text("Raw profile type exif", text, zip=True)
        else:
            info.add_itxt("Raw profile type exif", text, zip=True)
        return png_bytes(base(noise=0, seed=13), pnginfo=info)

    case("r01_raw_profile_text_motorola_orientation8.png",
         raw_profile_png(fx.exif_tiff(orientation=8, lat=-34.6037, lon=-58.3816, endian=">"), "tEXt"),
         "tEXt Raw profile type exif, big-endian, orientation 8 and GPS south/west (Buenos Aires)",
         gps=(fx.dms_decimal(-34.6037), fx.dms_decimal(-58.3816)), source="exif")
    case("r02_raw_profile_ztxt_no_exif_prefix.png",
         raw_profile_png(fx.exif_tiff(orientation=3, lat=60.1699, lon=24.9384), "zTXt", prefix=False),
         "zTXt Raw profile type exif without the Exif\\0\\0 prefix, orientation 3 (Helsinki)",
         gps=(fx.dms_decimal(60.1699), fx.dms_decimal(24.9384)), source="exif")
    case("r03_raw_profile_itxt.png",
         raw_profile_png(fx.exif_tiff(orientation=6, lat=1.3521, lon=103.8198), "iTXt"),
         "compressed iTXt Raw profile type exif, orientation 6 (Singapore)",
         gps=(fx.dms_decimal(1.3521), fx.dms_decimal(103.8198)), source="exif")
    case("r04_png_exif_chunk.png",
         png_bytes(base(noise=0, seed=13), exif=fx.exif_tiff(orientation=5, lat=19.4326, lon=-99.1332)),
         "standard PNG eXIf chunk, orientation 5 (Mexico City)",
         gps=(fx.dms_decimal(19.4326), fx.dms_decimal(-99.1332)), source="exif")
    info = PngImagePlugin.PngInfo()
    info.add_text("Raw profile type exif", fx.raw_profile_text(fx.exif_tiff(orientation=6)), zip=True)
    case("r05_exif_chunk_wins_over_raw_profile.png",
         png_bytes(base(noise=0, seed=13), pnginfo=info, exif=fx.exif_tiff(orientation=1)),
         "eXIf (orientation 1) and a raw-profile chunk (orientation 6): Pillow uses eXIf, no rotation")
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", fx.xmp_packet({"tiff:Orientation": "8"}))
    case("r06_png_xmp_orientation.png", png_bytes(base(noise=0, seed=13), pnginfo=info),
         "PNG without EXIF whose XMP says tiff:Orientation 8: Pillow rotates it")

    # ---- w: WebP as libwebp decodes it
    case("w01_lossy_odd_size.webp", webp_bytes(base(161, 97, seed=14), quality=75),
         "lossy WebP, odd width and height (chroma edge handling)")
    rgba = base(128, 96, seed=15).convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize((128, 96)))
    case("w02_lossy_alpha.webp", webp_bytes(rgba, quality=80),
         "lossy WebP with an alpha channel (VP8X + ALPH): colour kept, alpha dropped")
    case("w03_lossy_orientation6.webp",
         webp_bytes(scene_rgb, quality=80, exif=b"Exif\0\0" + fx.exif_tiff(orientation=6)),
         "lossy WebP with an EXIF chunk, orientation 6")
    case("w04_lossless_alpha.webp", webp_bytes(rgba, lossless=True),
         "lossless WebP with alpha")
    case("w05_lossy_low_quality.webp", webp_bytes(base(200, 150, seed=16, noise=10), quality=30),
         "lossy WebP at quality 30 (strong loop filter)")

    # ---- o: other real-world kinds
    moto = fx.exif_tiff(endian=">", lat=-33.4489, lon=-70.6693, alt=-12.5,
                        gps_time=("2023:07:14", (16, 5, 9)), **exif_cam)
    case("o01_motorola_camera_fields.jpg", jpeg_bytes(scene_rgb, quality=90, exif=b"Exif\0\0" + moto),
         "big-endian EXIF with make, model, lens, software, DateTimeOriginal+offset, GPS below sea level",
         gps=(fx.dms_decimal(-33.4489), fx.dms_decimal(-70.6693)), source="exif", alt="-12.5")
    case("o02_antimeridian_east.jpg",
         jpeg_bytes(scene_rgb, quality=90, exif=b"Exif\0\0" + fx.exif_tiff(lat=-16.1, lon=179.99)),
         "GPS just east of the antimeridian", gps=(fx.dms_decimal(-16.1), fx.dms_decimal(179.99)), source="exif")


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    build()
    rows = []
    for name, data, note, gps, source, alt, expect, reason in CASES:
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(data)
        try:
            (w, h), digest, orientation, icc = pillow_values(path)
            got = "accept"
        except (OSError, SyntaxError, ValueError) as e:
            w = h = orientation = ""
            digest = icc = ""
            got = "reject"
            print("  Pillow refuses %s: %s" % (name, e))
        if got != expect:
            raise SystemExit("%s: Pillow says %s, the case expects %s" % (name, got, expect))
        lat, lon = ("%.6f" % gps[0], "%.6f" % gps[1]) if gps else ("", "")
        rows.append([name, expect, w, h, digest, lat, lon, source, orientation, alt, icc, reason, note])
        print("%-48s %6d bytes %s %sx%s %s" % (name, len(data), expect, w, h, icc))
    with open(os.path.join(OUT, "expected.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["file", "expect", "width", "height", "pixel_sha256", "gps_lat", "gps_lon", "gps_source",
                      "orientation", "gps_alt", "icc_profile", "reason", "note"])
        out.writerows(rows)


if __name__ == "__main__":
    main()
