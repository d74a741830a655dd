"""Builders for the metadata that real photos carry, for the synthetic test images of the decoder.

Used by tools/make_ingest_cases.py and tools/make_preprocess_golden.py (run with Debian's /usr/bin/python3:
Pillow + numpy only). Everything is written from the specifications, nothing is copied from real files:

- ICC profiles: ICC.1:2001-04 (v2) matrix/TRC display profiles, a grey TRC profile and a lut16 CMYK printer
  profile. Only the structure matters for the tests (LittleCMS must accept them); the colourants are the
  published D50-adapted primaries of Display P3, linear sRGB and Adobe RGB (1998).
- EXIF: a TIFF 6.0 structure (IFD0, Exif IFD, GPS IFD) in either byte order, as EXIF 2.32 section 4.6 lays out.
- XMP: an x:xmpmeta packet with exif:GPS* properties in the attribute or the element form (XMP Specification
  Part 2, 1.2.7.4 GPSCoordinate: "DDD,MM,SSk" or "DDD,MM.mmk").
- JPEG segments are inserted after the existing APPn segments (ISO/IEC 10918-1 B.2.4).
"""
import struct
import zlib

# ---------------------------------------------------------------- ICC profiles


def _s15(v):
    return struct.pack(">i", int(round(v * 65536)))


def _xyz(x, y, z):
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def _desc(text):
    a = text.encode("ascii") + b"\0"
    return (b"desc\0\0\0\0" + struct.pack(">I", len(a)) + a + struct.pack(">II", 0, 0)
            + struct.pack(">HB", 0, 0) + b"\0" * 67)


def _text(text):
    return b"text\0\0\0\0" + text.encode("ascii") + b"\0"


def _curve(gamma):
    if gamma == 1.0:
        return b"curv\0\0\0\0" + struct.pack(">I", 0)  # count 0: identity
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, int(round(gamma * 256)))


def _profile(device_class, colour_space, pcs, tags):
    """tags: list of (signature, bytes); returns the whole profile with header and tag table."""
    count = len(tags)
    offset = 128 + 4 + 12 * count
    table = struct.pack(">I", count)
    data = b""
    for sig, body in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table += sig.encode("ascii") + struct.pack(">II", offset + len(data), len(body))
        data += body
    while len(data) % 4:
        data += b"\0"
    size = 128 + len(table) + len(data)
    header = (struct.pack(">I", size) + b"none" + struct.pack(">I", 0x02100000) + device_class.encode("ascii")
              + colour_space.encode("ascii") + pcs.encode("ascii") + struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
              + b"acsp" + b"APPL" + struct.pack(">I", 0) + b"none" + b"\0" * 4 + b"\0" * 8
              + struct.pack(">I", 0) + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"none" + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + table + data


# D50-adapted colourants (ICC.1 Annex D chromatic adaptation), as the public profiles publish them.
PRIMARIES = {
    "Display P3": ((0.5151, 0.2412, -0.0011), (0.2920, 0.6922, 0.0419), (0.1571, 0.0666, 0.7841), 2.2),
    "linear sRGB": ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141), 1.0),
    "Adobe RGB (1998)": ((0.6097, 0.3111, 0.0195), (0.2053, 0.6257, 0.0609), (0.1492, 0.0632, 0.7446), 2.2),
}


def rgb_profile(name, description=None, pad_to=0):
    """A v2 display profile: matrix/TRC with the named primaries. pad_to adds a private tag so the profile
    exceeds one JPEG APP2 segment (65519 bytes of profile data), as large vendor profiles do."""
    r, g, b, gamma = PRIMARIES[name]
    tags = [("desc", _desc(description or name + " (GeoPigeon test)")), ("cprt", _text("No copyright, test profile")),
            ("wtpt", _xyz(0.9642, 1.0, 0.8249)), ("rXYZ", _xyz(*r)), ("gXYZ", _xyz(*g)), ("bXYZ", _xyz(*b)),
            ("rTRC", _curve(gamma)), ("gTRC", _curve(gamma)), ("bTRC", _curve(gamma))]
    if pad_to:
        tags.append(("zzzz", b"zzzz\0\0\0\0" + b"\0" * pad_to))
    return _profile("mntr", "RGB ", "XYZ ", tags)


def grey_profile(gamma=1.0, description="Grey gamma 1.0 (GeoPigeon test)"):
    return _profile("mntr", "GRAY", "XYZ ", [("desc", _desc(description)), ("cprt", _text("No copyright, test profile")),
                                             ("wtpt", _xyz(0.9642, 1.0, 0.8249)), ("kTRC", _curve(gamma))])


def _lab16(L, a, b):
    """ICC v2 (legacy) 16-bit Lab encoding of lut16Type: L 0..100 -> 0..0xFF00, a/b -128..127.99 -> 0..0xFFFF."""
    def enc_ab(v):
        return max(0, min(0xFFFF, int(round((v + 128.0) * 256.0))))
    return struct.pack(">HHH", max(0, min(0xFF00, int(round(L * 652.8)))), enc_ab(a), enc_ab(b))


def _srgb_to_lab(r, g, b):
    def lin(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    rl, gl, bl = lin(r), lin(g), lin(b)
    x = 0.4361 * rl + 0.3851 * gl + 0.1431 * bl
    y = 0.2225 * rl + 0.7169 * gl + 0.0606 * bl
    z = 0.0139 * rl + 0.0971 * gl + 0.7141 * bl

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    fx, fy, fz = f(x / 0.9642), f(y), f(z / 0.8249)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def cmyk_profile(description="Coated CMYK (GeoPigeon test)"):
    """A v2 output profile with lut16 A2B0 (CMYK -> Lab, 2-point grid: a press with deliberately dull inks, so
    applying it visibly changes colours) and B2A0 (Lab -> CMYK, a rough inverse)."""
    def mft2(n_in, n_out, clut_entries):
        head = b"mft2\0\0\0\0" + struct.pack(">BBBB", n_in, n_out, 2, 0)
        matrix = b"".join(_s15(1.0 if i % 4 == 0 else 0.0) for i in range(9))
        tables = struct.pack(">HH", 2, 2)
        linear = struct.pack(">HH", 0, 0xFFFF)
        return head + matrix + tables + linear * n_in + b"".join(clut_entries) + linear * n_out

    a2b = []
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    r = (1 - 0.8 * c) * (1 - 0.85 * k)
                    g = (1 - 0.8 * m) * (1 - 0.85 * k)
                    b = (1 - 0.75 * y) * (1 - 0.85 * k)
                    a2b.append(_lab16(*_srgb_to_lab(r, g, b)))
    b2a = []
    for L in (0, 1):
        for a in (0, 1):
            for b in (0, 1):
                k = 1 - L
                b2a.append(struct.pack(">HHHH", int(a * 0x7FFF), int((1 - a) * 0x7FFF), int(b * 0x7FFF), int(k * 0xFFFF)))
    tags = [("desc", _desc(description)), ("cprt", _text("No copyright, test profile")),
            ("wtpt", _xyz(0.9642, 1.0, 0.8249)), ("A2B0", mft2(4, 3, a2b)), ("B2A0", mft2(3, 4, b2a))]
    return _profile("prtr", "CMYK", "Lab ", tags)


# ---------------------------------------------------------------- EXIF (TIFF structure)

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 1, 2, 3, 4, 5, 7
_SIZES = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1}


def _value_bytes(e, typ, value):
    if typ in (ASCII, UNDEFINED):
        return value if isinstance(value, bytes) else value.encode("ascii") + b"\0"
    if typ == BYTE:
        return bytes(value)
    if typ == SHORT:
        return b"".join(struct.pack(e + "H", v) for v in value)
    if typ == LONG:
        return b"".join(struct.pack(e + "I", v) for v in value)
    if typ == RATIONAL:
        return b"".join(struct.pack(e + "II", n, d) for n, d in value)
    raise ValueError(typ)


def _ifd_size(entries):
    size = 2 + 12 * len(entries) + 4
    for tag, typ, value in entries:
        n = len(_value_bytes("<", typ, value))
        if n > 4:
            size += n + (n & 1)
    return size


def _ifd(e, entries, start):
    """Serialises one IFD placed at offset start (from the TIFF header); next-IFD pointer 0."""
    entries = sorted(entries, key=lambda t: t[0])
    data_at = start + 2 + 12 * len(entries) + 4
    head = struct.pack(e + "H", len(entries))
    data = b""
    for tag, typ, value in entries:
        raw = _value_bytes(e, typ, value)
        count = len(raw) // _SIZES[typ]
        if len(raw) <= 4:
            field = raw + b"\0" * (4 - len(raw))
        else:
            field = struct.pack(e + "I", data_at + len(data))
            data += raw + (b"\0" if len(raw) & 1 else b"")
        head += struct.pack(e + "HHI", tag, typ, count) + field
    return head + struct.pack(e + "I", 0) + data


def dms(value):
    """Decimal degrees (sign dropped) -> three EXIF rationals degrees, minutes, seconds/10000."""
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60 * 10000)
    return [(d, 1), (m, 1), (s, 10000)]


def dms_decimal(value):
    """The decimal degrees that dms(value) stores, with the sign of value."""
    (d, _), (m, _), (s, den) = dms(value)
    v = d + m / 60 + s / den / 3600
    return -v if value < 0 else v


def exif_tiff(orientation=None, make=None, model=None, software=None, lens=None, taken=None, offset=None,
              lat=None, lon=None, alt=None, gps_time=None, endian="<"):
    """TIFF bytes (no "Exif" prefix). taken: 'YYYY:MM:DD HH:MM:SS'; offset: '+HH:MM'; gps_time: (date 'YYYY:MM:DD',
    (h, m, s))."""
    e = endian
    ifd0 = []
    if make:
        ifd0.append((0x010F, ASCII, make))
    if model:
        ifd0.append((0x0110, ASCII, model))
    if orientation is not None:
        ifd0.append((0x0112, SHORT, [orientation]))
    if software:
        ifd0.append((0x0131, ASCII, software))
    sub = []
    if taken:
        sub.append((0x9003, ASCII, taken))
    if offset:
        sub.append((0x9011, ASCII, offset))
    if lens:
        sub.append((0xA434, ASCII, lens))
    gps = []
    if lat is not None:
        gps += [(0x0000, BYTE, [2, 3, 0, 0]), (0x0001, ASCII, "N" if lat >= 0 else "S"), (0x0002, RATIONAL, dms(lat)),
                (0x0003, ASCII, "E" if lon >= 0 else "W"), (0x0004, RATIONAL, dms(lon))]
        if alt is not None:
            gps += [(0x0005, BYTE, [0 if alt >= 0 else 1]), (0x0006, RATIONAL, [(int(round(abs(alt) * 10)), 10)])]
        if gps_time:
            date, (h, m, s) = gps_time
            gps += [(0x0007, RATIONAL, [(h, 1), (m, 1), (s, 1)]), (0x001D, ASCII, date)]
    # pointers are LONGs whose values depend on the layout: reserve them, then fill in
    if sub:
        ifd0.append((0x8769, LONG, [0]))
    if gps:
        ifd0.append((0x8825, LONG, [0]))
    at0 = 8
    at_sub = at0 + _ifd_size(ifd0)
    at_gps = at_sub + (_ifd_size(sub) if sub else 0)
    ifd0 = [(t, ty, [at_sub] if t == 0x8769 else [at_gps] if t == 0x8825 else v) for t, ty, v in ifd0]
    head = (b"II*\0" if e == "<" else b"MM\0*") + struct.pack(e + "I", 8)
    out = head + _ifd(e, ifd0, at0)
    if sub:
        out += _ifd(e, sub, at_sub)
    if gps:
        out += _ifd(e, gps, at_gps)
    return out


def raw_profile_text(tiff, prefix_exif=True):
    """The text of an ImageMagick/exiftool "Raw profile type exif" PNG chunk: newline, type, length, hex lines."""
    data = (b"Exif\0\0" if prefix_exif else b"") + tiff
    hexed = data.hex()
    lines = [hexed[i:i + 72] for i in range(0, len(hexed), 72)]
    return "\nexif\n%8d\n%s\n" % (len(data), "\n".join(lines))


# ---------------------------------------------------------------- XMP

def xmp_packet(props, form="attribute"):
    """props: dict of 'prefix:Name' -> string value (prefixes exif, tiff, xmp, aux)."""
    ns = {"exif": "http://ns.adobe.com/exif/1.0/", "tiff": "http://ns.adobe.com/tiff/1.0/",
          "xmp": "http://ns.adobe.com/xap/1.0/", "aux": "http://ns.adobe.com/exif/1.0/aux/"}
    used = sorted({k.split(":")[0] for k in props})
    decl = " ".join('xmlns:%s="%s"' % (p, ns[p]) for p in used)
    if form == "attribute":
        attrs = " ".join('%s="%s"' % (k, v) for k, v in props.items())
        body = '<rdf:Description rdf:about="" %s %s/>' % (decl, attrs)
    else:
        elems = "".join("<%s>%s</%s>" % (k, v, k) for k, v in props.items())
        body = '<rdf:Description rdf:about="" %s>%s</rdf:Description>' % (decl, elems)
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            + body + '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


# ---------------------------------------------------------------- JPEG segments

def jpeg_segment(marker, payload):
    assert len(payload) + 2 <= 0xFFFF
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_insert(jpeg, *segments):
    """Inserts whole segments after SOI and the APPn segments already present."""
    assert jpeg[:2] == b"\xff\xd8"
    i = 2
    while jpeg[i] == 0xFF and 0xE0 <= jpeg[i + 1] <= 0xEF:
        i += 2 + struct.unpack(">H", jpeg[i + 2:i + 4])[0]
    return jpeg[:i] + b"".join(segments) + jpeg[i:]


def jpeg_xmp(packet):
    return jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + packet.encode("utf-8"))


def jpeg_exif(tiff):
    return jpeg_segment(0xE1, b"Exif\0\0" + tiff)


def jpeg_icc(data, seq=1, count=1):
    return jpeg_segment(0xE2, b"ICC_PROFILE\0" + bytes([seq, count]) + data)


# ---------------------------------------------------------------- PNG chunks

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_insert(png, *chunks):
    """Inserts whole chunks right after IHDR."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4
    return png[:end] + b"".join(chunks) + png[end:]
