#!/usr/bin/env python3
"""Geolocate a photo with GeoServer's geopigeon:Geolocate through OWSLib (Debian: python3-owslib).

    python3 geolocate_owslib.py https://gs.example.org/geoserver/ows photo.jpg "why you need it" [user pass]
"""
import base64
import sys

from owslib.wps import ASYNC, ComplexDataInput, WebProcessingService, monitorExecution

url, photo, purpose = sys.argv[1:4]
auth = dict(username=sys.argv[4], password=sys.argv[5]) if len(sys.argv) > 5 else {}
wps = WebProcessingService(url, version="1.0.0", skip_caps=True, **auth)

with open(photo, "rb") as f:
    image = ComplexDataInput(base64.b64encode(f.read()).decode("ascii"),
                             mimeType="image/png" if photo.lower().endswith(".png") else "image/jpeg",
                             encoding="base64")

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
