#!/usr/bin/python3
"""Writes the full-size benchmark backbone: CLIP ViT-L/14 at 336 px with RANDOM weights, as TorchScript
(~1.2 GB), its precision variants (FILE.bf16.pt ~0.6 GB, FILE.int8.pt ~0.3 GB; tools/export_precision_variants.py)
and a matrix-product probe (matmul_probe.pt next to it) that lets the Java benchmark measure libtorch's
bf16 and fp32 GEMM rate through DJL. Same architecture and compute as StreetCLIP / PIGEOTTO's encoder,
so timings transfer. Written outside the repository (default /tmp/geopigeon-bench/); never commit it.

  /usr/bin/python3 tools/make_bench_backbone.py [--output FILE] [--precisions bf16,int8] [--force]
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_clip_vision as ecv  # noqa: E402
import export_precision_variants as epv  # noqa: E402


class MatmulProbe(nn.Module):
    """forward(a [n,n], b [n,n], reps [1], bf16 [1]) -> [1]: x <- x @ b, reps times from x = a, in bfloat16 when
    bf16 > 0 (DJL 0.36 cannot create bfloat16 arrays itself, so the cast happens in here, once, before the loop).
    Each product feeds the next, so no graph optimisation can merge or drop them; scale b by 1/sqrt(n) to keep
    the values in range."""

    def forward(self, a: torch.Tensor, b: torch.Tensor, reps: torch.Tensor, bf16: torch.Tensor) -> torch.Tensor:
        x = a
        y = b
        if bool(bf16[0] > 0):
            x = a.to(torch.bfloat16)
            y = b.to(torch.bfloat16)
        for _ in range(int(reps[0].item())):
            x = torch.mm(x, y)
        return x[0, 0:1].float()


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # export_precision_variants needs it for reproducible TorchScript files; set it before any work.
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", default="/tmp/geopigeon-bench/vitl14_336.pt")
    ap.add_argument("--preset", default="vit-l-14-336", choices=sorted(ecv.PRESETS))
    ap.add_argument("--precisions", default="bf16,int8", help="variants to write next to it ('' for none)")
    ap.add_argument("--force", action="store_true", help="rebuild even when the files exist")
    a = ap.parse_args()
    if os.path.isfile(a.output) and not a.force:
        print(f"{a.output} exists ({os.path.getsize(a.output) / 1e9:.2f} GB); --force rebuilds it")
    else:
        ecv.main(["--preset", a.preset, "--random-weights", "--seed", "0", "--output", a.output])
    if a.precisions:
        args = ["--backbone", a.output, "--precisions", a.precisions] + (["--force"] if a.force else [])
        epv.main(args)
    probe = os.path.join(os.path.dirname(os.path.abspath(a.output)), "matmul_probe.pt")
    if a.force or not os.path.isfile(probe):
        torch.jit.script(MatmulProbe()).save(probe)
        print(f"wrote {probe}")


if __name__ == "__main__":
    main()
