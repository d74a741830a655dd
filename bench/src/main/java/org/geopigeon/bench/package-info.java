/**
 * Benchmarks and experiments: mains that print figures and assert nothing, kept in their own module so they ship in
 * neither the engine jar nor the GeoServer zip (issue 13). Run them with {@code tools/run-bench-main.sh CLASS ...}:
 * {@code BackboneBenchmark} (throughput per precision, against Python), {@code MicroBatchBenchmark} (concurrent
 * clients), {@code RefinementIndexBenchmark} (PIGEOTTO-scale index: load, heap, p50/p95/p99 latency),
 * {@code GeocellBenchmark} (semantic geocells against adaptive S2), {@code SyntheticExperiment} (the training machinery
 * on synthetic embeddings) and {@code GpuCheck} ({@code tools/gpu_check.sh}). Each calls the engine's own pipelines,
 * so the numbers in README.md measure the shipped code.
 */
package org.geopigeon.bench;
