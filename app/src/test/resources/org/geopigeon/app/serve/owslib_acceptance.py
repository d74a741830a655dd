"""Acceptance test of geopigeon serve with a real OGC API client: OWSLib (Debian's python3-owslib).

Usage: owslib_acceptance.py BASE_URL TOKEN PHOTO
Lists and describes processes with OWSLib, then executes geolocate over plain HTTP (OWSLib 0.27 has no
execute): synchronously, and asynchronously with polling; finally sends a 200 MB body the way Python's
HTTP clients do (whole body first) and checks that the 413 arrives. Prints one line per check; exit 0 = all passed.
"""
import base64
import json
import sys
import time

import requests
from owslib.ogcapi.processes import Processes


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        sys.exit(1)


def main(base, token, photo):
    auth = {"Authorization": "Bearer " + token}
    api = Processes(base, headers=dict(auth))
    check("links" in api.response, "landing page read by OWSLib")
    conf = api.conformance()["conformsTo"]
    check("http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/core" in conf, "conformance: core")
    check(api.api()["openapi"].startswith("3.0"), "service-desc is OpenAPI 3.0")
    ids = [p["id"] for p in api.processes()["processes"]]
    check("geolocate" in ids, "process list names geolocate: %s" % ids)
    d = api.process("geolocate")
    check({"image", "purpose", "topK", "store"} <= set(d["inputs"]), "geolocate inputs: %s" % list(d["inputs"]))
    check({"cells", "location"} == set(d["outputs"]), "geolocate outputs: %s" % list(d["outputs"]))

    with open(photo, "rb") as f:
        image = base64.b64encode(f.read()).decode("ascii")
    body = {"inputs": {"image": {"value": image, "mediaType": "image/jpeg"}, "purpose": "OWSLib acceptance test",
                       "topK": 3, "store": False}, "response": "document"}
    url = base.rstrip("/") + "/processes/geolocate/execution"
    r = requests.post(url, json=body, headers=auth, timeout=120)
    check(r.status_code == 200, "sync execution: HTTP %d" % r.status_code)
    doc = r.json()
    check(len(doc["cells"]["value"]["features"]) == 3, "sync: 3 cells")
    check(doc["location"]["value"]["geometry"]["type"] == "Point", "sync: a point estimate")

    r = requests.post(url, json=body, headers=dict(auth, Prefer="respond-async"), timeout=120)
    check(r.status_code == 201 and "Location" in r.headers, "async execution: 201 + Location")
    status_url = r.headers["Location"]
    deadline = time.time() + 120
    while True:
        s = requests.get(status_url, headers=auth, timeout=30).json()
        if s["status"] not in ("accepted", "running") or time.time() > deadline:
            break
        time.sleep(0.2)
    check(s["status"] == "successful", "async: job %s" % s["status"])
    results = [l["href"] for l in s["links"] if l["rel"].endswith("/results")]
    res = requests.get(results[0], headers=auth, timeout=30).json()
    check(len(res["cells"]["value"]["features"]) == 3, "async: results fetched")

    huge = b"\0" * (200 * 1024 * 1024)
    r = requests.post(url, data=huge, headers=dict(auth, **{"Content-Type": "application/json"}), timeout=120)
    check(r.status_code == 413 and r.json()["code"] == "TOO_LARGE", "200 MB body: the 413 arrives (%d)" % r.status_code)


if __name__ == "__main__":
    main(*sys.argv[1:4])
