#!/usr/bin/python3
"""Writes the full-size benchmark backbone: CLIP ViT-L/14 at 336 px with RANDOM weights, as TorchScript
(~1.2 GB). Same architecture and compute as StreetCLIP / PIGEOTTO's encoder, so timings transfer.
Written outside the repository (default /tmp/geopigeon-bench/vitl14_336.pt); never commit it.

  /usr/bin/python3 tools/make_bench_backbone.py [--output FILE] [--force]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip_vision as ecv  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", default="/tmp/geopigeon-bench/vitl14_336.pt")
    ap.add_argument("--preset", default="vit-l-14-336", choices=sorted(ecv.PRESETS))
    ap.add_argument("--force", action="store_true", help="rebuild even when the file exists")
    a = ap.parse_args()
    if os.path.isfile(a.output) and not a.force:
        print(f"{a.output} exists ({os.path.getsize(a.output) / 1e9:.2f} GB); --force rebuilds it")
        return
    ecv.main(["--preset", a.preset, "--random-weights", "--seed", "0", "--output", a.output])


if __name__ == "__main__":
    main()
