/**
 * Spark-side benchmarks that print figures and assert nothing: {@code AuditInsertBenchmark}, the rate at which the
 * hash-chained audit log takes rows, which bounds batch throughput (docs/spark.md).
 */
package org.geopigeon.spark.bench;
