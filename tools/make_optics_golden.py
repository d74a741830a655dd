#!/usr/bin/python3
"""Writes OPTICS + xi golden files for the Java parity tests (engine/src/test/resources/optics/).

Run with Debian's interpreter (scikit-learn 1.2.1):  /usr/bin/python3 tools/make_optics_golden.py
Each file holds one data set (points, or a precomputed distance matrix) and several runs with the
expected ordering, reachability, core distances, predecessors and xi labels.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.cluster import OPTICS
from sklearn.datasets import make_blobs

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "resources", "optics")


def haversine_km(lat, lon):
    p = np.radians(lat)[:, None]
    q = np.radians(lat)[None, :]
    dl = np.radians(lon)[None, :] - np.radians(lon)[:, None]
    h = np.sin((q - p) / 2) ** 2 + np.cos(p) * np.cos(q) * np.sin(dl / 2) ** 2
    d = 2 * np.arcsin(np.minimum(1.0, np.sqrt(h))) * 6371.0088
    d = (d + d.T) / 2  # exactly symmetric
    np.fill_diagonal(d, 0.0)
    return d


def run(data, settings, precomputed):
    runs = []
    for min_samples, xi, min_cluster_size in settings:
        kw = dict(min_samples=min_samples, xi=xi, min_cluster_size=min_cluster_size)
        if precomputed:
            kw["metric"] = "precomputed"
        model = OPTICS(**kw).fit(data)
        runs.append({
            "min_samples": min_samples,
            "xi": xi,
            "min_cluster_size": min_cluster_size,
            "ordering": model.ordering_.tolist(),
            "reachability": model.reachability_.tolist(),
            "core_distances": model.core_distances_.tolist(),
            "predecessor": model.predecessor_.tolist(),
            "labels": model.labels_.tolist(),
            "clusters": model.cluster_hierarchy_.tolist(),
        })
    return runs


def write(name, description, data, settings, precomputed=False):
    doc = {
        "name": name,
        "description": description,
        "sklearn": sklearn.__version__,
        "precomputed": precomputed,
        ("matrix" if precomputed else "points"): np.asarray(data).tolist(),
        "runs": run(np.asarray(data), settings, precomputed),
    }
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    labels = [len(set(r["labels"])) - (1 if -1 in r["labels"] else 0) for r in doc["runs"]]
    print(f"{path}: {len(data)} points, clusters per run {labels}", file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(7)

    # Blobs of very different density plus uniform background noise.
    b, _ = make_blobs(n_samples=[120, 60, 40], centers=[[0, 0], [6, 6], [-5, 7]],
                      cluster_std=[0.3, 1.2, 0.1], random_state=3)
    noise = rng.uniform(-10, 12, size=(30, 2))
    write("blobs", "three blobs of varied density + uniform noise", np.vstack([b, noise]),
          [(5, 0.05, None), (10, 0.05, None), (8, 0.1, 20), (20, 0.005, None), (5, 0.05, 0.1)])

    # Equally spaced points on a line with a gap: many exactly tied distances.
    line = np.array([[0.5 * i, 0.0] for i in range(40)] + [[30 + 0.25 * i, 0.0] for i in range(40)])
    write("line", "two equally spaced runs on a line (ties everywhere)", line,
          [(3, 0.05, None), (5, 0.1, None), (4, 0.3, 10)])

    # Integer grid with duplicated points: zero distances and ties.
    grid = rng.randint(0, 6, size=(60, 2)).astype(float)
    grid = np.vstack([grid, grid[:15], [[20.0, 20.0]] * 6, [[21.0, 20.0]] * 3])
    write("duplicates", "integer grid with duplicates and a far duplicate stack", grid,
          [(2, 0.05, None), (4, 0.1, None), (6, 0.05, 5)])

    # Lon/lat sample resembling photo locations around cities.
    cities = [(2.35, 48.86, 0.05, 120), (-0.13, 51.51, 0.08, 100), (13.40, 52.52, 0.1, 60),
              (12.50, 41.90, 0.04, 50), (-3.70, 40.42, 0.2, 40), (4.90, 52.37, 0.02, 30)]
    pts = [np.column_stack([rng.normal(x, s, k), rng.normal(y, s, k)]) for x, y, s, k in cities]
    pts.append(np.column_stack([rng.uniform(-9, 20, 40), rng.uniform(36, 58, 40)]))
    lonlat = np.round(np.vstack(pts), 6)
    write("lonlat_cities", "lon/lat points around six European cities + rural scatter", lonlat,
          [(9, 0.05, None), (12, 0.005, None), (30, 0.0001, None), (5, 0.05, 30)])

    # Precomputed haversine km between points of one 'cell' (refinement index use case).
    lat = np.concatenate([rng.normal(48.85, 0.02, 50), rng.normal(48.70, 0.05, 30), rng.uniform(48.3, 49.3, 15)])
    lon = np.concatenate([rng.normal(2.35, 0.03, 50), rng.normal(2.10, 0.05, 30), rng.uniform(1.8, 3.0, 15)])
    write("haversine", "precomputed haversine km matrix of one cell's points", haversine_km(lat, lon),
          [(3, 0.15, None), (10, 0.1, None), (5, 0.05, None)], precomputed=True)


if __name__ == "__main__":
    main()
