#!/usr/bin/python3
"""Times a TorchScript backbone in Python torch: the reference for DJL's throughput.

Loads the same file DJL loads (torch.jit.load) and runs it under inference_mode with the given intra-op
thread count, in one or more modes:

  fp32           the fp32 file as is
  bf16-autocast  the fp32 file under torch.autocast("cpu", dtype=torch.bfloat16): Python's best CPU mode
                 (matrix products in bf16, weights cast on the fly, fp32 elsewhere per autocast's op lists)
  bf16-variant   the bf16 variant file (--bf16-file, written by tools/export_precision_variants.py), to tell
                 the runtime's contribution from the variant's

and prints images/second for each batch size, plus the torch build, its BLAS library as actually loaded
(Debian's python3-torch uses the generic libblas.so.3, which is OpenBLAS only when an OpenBLAS package
such as libopenblas0-pthread is installed) and the thread count. With --json the last line is a JSON
object.

With --serve it loads the modules once and then times single passes on request, one JSON object per line
on stdin ({"mode": "bf16-autocast", "batch": 1}) answered by one on stdout ({"seconds": 1.23}):
org.geopigeon.bench.BackboneBenchmark uses this to interleave Python and DJL passes, so both see
the same machine load.

  /usr/bin/python3 tools/bench_python_backbone.py --backbone /work/tmp/vitl14_336.pt --threads 2 \\
      --modes fp32,bf16-autocast
"""
import argparse
import contextlib
import json
import os
import re
import time

import torch


def blas_libraries():
    """BLAS/LAPACK shared objects mapped into this process, resolved through the alternatives symlinks."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if "/" in line else ""
                if re.search(r"(blas|lapack|mkl)", os.path.basename(path), re.I):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def torch_config():
    show = torch.__config__.show()
    blas_info = re.search(r"BLAS_INFO=([^,\s]+)", show)
    capability = re.search(r"CPU capability usage: (\S+)", show)
    return {"torch": torch.__version__, "blas_info": blas_info.group(1) if blas_info else "?",
            "cpu_capability": capability.group(1) if capability else "?",
            "mkldnn": torch.backends.mkldnn.is_available(), "threads": torch.get_num_threads(),
            "interop_threads": torch.get_num_interop_threads()}


def matmul_rate(dtype, n=2048, reps=5):
    a = torch.randn(n, n).to(dtype)
    b = torch.randn(n, n).to(dtype)
    for _ in range(2):
        a @ b
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * n ** 3 * reps / (time.perf_counter() - t0) / 1e9


def bench(module, batch, size, warmup, iters, autocast):
    x = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(batch))
    ctx = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if autocast else contextlib.nullcontext
    with torch.inference_mode():
        for _ in range(warmup):
            with ctx():
                module(x)
        times = []
        for _ in range(iters):
            t0 = time.perf_counter()
            with ctx():
                y = module(x)
            times.append(time.perf_counter() - t0)
    assert y.shape[0] == batch and y.dim() == 2, f"unexpected output shape {tuple(y.shape)}"
    total = sum(times)
    return {"batch": batch, "iters": iters, "seconds": total, "images_per_s": batch * iters / total,
            "ms_per_batch_min": 1000 * min(times)}


def serve(modules, size):
    """Times one pass per request line until stdin closes."""
    import sys
    inputs = {}
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        mode, batch = req["mode"], int(req["batch"])
        if batch not in inputs:
            inputs[batch] = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(batch))
        module = modules[mode]
        ctx = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if mode == "bf16-autocast" else contextlib.nullcontext
        with torch.inference_mode():
            t0 = time.perf_counter()
            with ctx():
                y = module(inputs[batch])
            seconds = time.perf_counter() - t0
        assert y.shape[0] == batch and y.dim() == 2, f"unexpected output shape {tuple(y.shape)}"
        print(json.dumps({"seconds": seconds}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backbone", required=True, help="the fp32 TorchScript file")
    ap.add_argument("--bf16-file", help="the bf16 variant, for --modes bf16-variant")
    ap.add_argument("--modes", default="fp32,bf16-autocast", help="comma-separated: fp32, bf16-autocast, bf16-variant")
    ap.add_argument("--size", type=int, default=336)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--batches", default="1,8", help="comma-separated batch sizes")
    ap.add_argument("--warmup", default="3,1", help="warm-up iterations per batch size")
    ap.add_argument("--iters", default="5,2", help="timed iterations per batch size")
    ap.add_argument("--graph-optimizer", choices=["true", "false"], default="true",
                    help="TorchScript profiling executor optimisation (DJL: ai.djl.pytorch.graph_optimizer)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--serve", action="store_true", help="time single passes on request (see above)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)  # as DJL is configured by GeoPigeon
    torch._C._set_graph_executor_optimize(a.graph_optimizer == "true")
    modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    for m in modes:
        if m not in ("fp32", "bf16-autocast", "bf16-variant"):
            ap.error(f"unknown mode {m}")
    if "bf16-variant" in modes and not a.bf16_file:
        ap.error("--modes bf16-variant needs --bf16-file")
    config = torch_config()
    config["blas_libraries"] = []
    config["matmul_gflops"] = {"fp32": matmul_rate(torch.float32), "bf16": matmul_rate(torch.bfloat16)}
    config["blas_libraries"] = blas_libraries()  # after a matrix product, so the BLAS is loaded
    print(f"python: torch {config['torch']}, BLAS_INFO={config['blas_info']}, BLAS loaded: "
          f"{', '.join(config['blas_libraries']) or 'none found in /proc/self/maps'}, CPU capability "
          f"{config['cpu_capability']}, mkldnn {config['mkldnn']}, {config['threads']} intra-op threads, "
          f"graph optimizer {a.graph_optimizer}")
    print(f"python: 2048x2048 matrix product fp32 {config['matmul_gflops']['fp32']:.0f} GFLOP/s, "
          f"bf16 {config['matmul_gflops']['bf16']:.0f} GFLOP/s")

    if a.serve:
        modules = {}
        for mode in modes:
            path = a.bf16_file if mode == "bf16-variant" else a.backbone
            if path not in modules:
                modules[path] = torch.jit.load(path, map_location="cpu").eval()
            modules[mode] = modules[path]
        serve(modules, a.size)
        return

    batches = [int(b) for b in a.batches.split(",")]
    warm = [int(w) for w in a.warmup.split(",")]
    iters = [int(i) for i in a.iters.split(",")]
    results = []
    for mode in modes:
        path = a.bf16_file if mode == "bf16-variant" else a.backbone
        t0 = time.perf_counter()
        module = torch.jit.load(path, map_location="cpu").eval()
        load_s = time.perf_counter() - t0
        for i, b in enumerate(batches):
            r = bench(module, b, a.size, warm[min(i, len(warm) - 1)], iters[min(i, len(iters) - 1)],
                      autocast=mode == "bf16-autocast")
            r.update(mode=mode, load_s=load_s)
            results.append(r)
            print(f"Python {mode} batch {b}: {r['images_per_s']:.3f} images/s ({r['iters']} timed, "
                  f"best {r['ms_per_batch_min']:.0f} ms/batch)", flush=True)
        del module
    report = {"runtime": "python torch " + torch.__version__, "threads": torch.get_num_threads(),
              "graph_optimizer": a.graph_optimizer == "true", "config": config, "results": results}
    if a.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
