#!/usr/bin/python3
"""Times a TorchScript backbone in Python torch: the reference for DJL's throughput.

Loads the same file DJL loads (torch.jit.load), runs it under inference_mode with the given
intra-op thread count, and prints images/second for each batch size. With --json the last
line is a JSON object that org.geopigeon.engine.bench.BackboneBenchmark parses.

  /usr/bin/python3 tools/bench_python_backbone.py --backbone /tmp/geopigeon-bench/vitl14_336.pt --threads 2
"""
import argparse
import json
import time

import torch


def bench(module, batch, size, warmup, iters):
    x = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(batch))
    with torch.inference_mode():
        for _ in range(warmup):
            module(x)
        times = []
        for _ in range(iters):
            t0 = time.perf_counter()
            y = module(x)
            times.append(time.perf_counter() - t0)
    assert y.shape[0] == batch and y.dim() == 2, f"unexpected output shape {tuple(y.shape)}"
    total = sum(times)
    return {"batch": batch, "iters": iters, "seconds": total, "images_per_s": batch * iters / total,
            "ms_per_batch_min": 1000 * min(times)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backbone", required=True)
    ap.add_argument("--size", type=int, default=336)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--batches", default="1,8", help="comma-separated batch sizes")
    ap.add_argument("--warmup", default="3,1", help="warm-up iterations per batch size")
    ap.add_argument("--iters", default="5,2", help="timed iterations per batch size")
    ap.add_argument("--graph-optimizer", choices=["true", "false"], default="true",
                    help="TorchScript profiling executor optimisation (DJL: ai.djl.pytorch.graph_optimizer)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)  # as DJL is configured by GeoPigeon
    t0 = time.perf_counter()
    module = torch.jit.load(a.backbone, map_location="cpu").eval()
    load_s = time.perf_counter() - t0
    torch._C._set_graph_executor_optimize(a.graph_optimizer == "true")

    batches = [int(b) for b in a.batches.split(",")]
    warm = [int(w) for w in a.warmup.split(",")]
    iters = [int(i) for i in a.iters.split(",")]
    results = [bench(module, b, a.size, warm[min(i, len(warm) - 1)], iters[min(i, len(iters) - 1)])
               for i, b in enumerate(batches)]
    report = {"runtime": "python torch " + torch.__version__, "threads": torch.get_num_threads(),
              "graph_optimizer": a.graph_optimizer == "true", "load_s": load_s, "results": results}
    for r in results:
        print(f"python batch {r['batch']}: {r['images_per_s']:.3f} images/s ({r['iters']} timed, "
              f"best {r['ms_per_batch_min']:.0f} ms/batch)")
    if a.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
