#!/usr/bin/env python3
"""Geolocate a photo with GeoServer's geopigeon:Geolocate through OWSLib (Debian: python3-owslib).

    python3 geolocate_owslib.py https://gs.example.org/geoserver/ows photo.jpg "why you need it" [user pass]

The photo goes as raw complex data: the file's own bytes, base64-encoded inline, with the mime type its content
has (JPEG, PNG or WebP; a wrong declared type is refused). GeoServer decodes the base64; GeoPigeon reads the file
itself, so EXIF orientation is applied and the photo's GPS position comes back as exif_lat/exif_lon.
The run is asynchronous: GeoServer keeps a temporary copy of the photo in its WPS resource directory until the
execution ends (see docs/geoserver.md, "Ethics: where the photo goes").
"""
import base64
import sys

from owslib.wps import ASYNC, ComplexDataInput, WebProcessingService, monitorExecution


def mime_type(data):
    """The media type of the bytes themselves, never of the file name."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    sys.exit("%s is not a JPEG, PNG or WebP file" % photo)


url, photo, purpose = sys.argv[1:4]
auth = dict(username=sys.argv[4], password=sys.argv[5]) if len(sys.argv) > 5 else {}
wps = WebProcessingService(url, version="1.0.0", skip_caps=True, **auth)

with open(photo, "rb") as f:
    data = f.read()
image = ComplexDataInput(base64.b64encode(data).decode("ascii"), mimeType=mime_type(data), encoding="base64")

execution = wps.execute(
    "geopigeon:Geolocate",
    inputs=[("image", image), ("purpose", purpose), ("topK", "5")],
    output=[("cells", False, "application/json"), ("location", False, "application/json"),
            ("predictionId", False)],
    mode=ASYNC)                        # storeExecuteResponse=true, status=true: poll, never time out a proxy
monitorExecution(execution, sleepSecs=2)
if not execution.isSucceded():
    sys.exit("; ".join(e.text for e in execution.errors) or execution.status)
for output in execution.processOutputs:
    print(output.identifier, output.data)
