/**
 * Batch front end on Apache Spark 4.0 (provided by the cluster; {@code ./geopigeon batch} runs it on its own class
 * path, never the CLI's or the GeoServer zip's). {@code BatchLocateJob}: files under a Hadoop path or glob
 * ({@code ImageFiles}, Spark's {@code binaryFile} source) -> {@code PartitionLocator} per partition (micro-batched
 * {@code Geolocator.locateBatch}) -> GeoParquet rows ({@code GeoParquetOutput}, Point {@code geometry}, EPSG:4326), every
 * file with its audit row written per batch before results are released, idempotent through {@code IdempotencyKey}
 * ({@code org.geopigeon.service.store.AuditBatch}). {@code GalleryJob} embeds photos into a training gallery for
 * {@code geopigeon train --gallery}. {@code ExecutorModels} is the one model holder per executor JVM, closed by
 * {@code GeoPigeonSparkPlugin}.
 *
 * <p>Dependencies: this package -> {@code service} -> {@code engine}. Output columns, audit design and scaling:
 * docs/spark.md.
 */
package org.geopigeon.spark;
