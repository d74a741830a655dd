package org.geopigeon.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.GpsFix;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.image.PixelHash;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.service.ImageProblem;
import org.geopigeon.service.ImageRefusal;
import org.geopigeon.service.ImageRules;
import org.geopigeon.service.store.AuditBatch;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task of a batch locate job: for each partition of {@code (path, length, content)} rows it takes
 * batches of the bundle's {@code batchSize} files, decodes them ({@link ImageDecoder}, as the CLI),
 * hashes the pixels ({@link PixelHash}), locates the decodable ones together with
 * {@link Geolocator#locateBatch} (one bad image is retried alone so it cannot fail the others), writes the
 * batch's audit rows in one transaction ({@link AuditBatch}, idempotent per image), and only then hands
 * the batch's output rows to Spark: no audit row, no result. A file that cannot be read or decoded
 * becomes a row with its error code and reason, never a task failure; a database failure fails the task
 * (Spark retries it, and rows already audited are not written twice).
 *
 * <p>Memory: one batch of decoded images at a time.
 */
public final class PartitionLocator implements MapPartitionsFunction<Row, Row> {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLocator.class);

    /** Error code of images the model could not locate (the others are {@link ImageProblem} names). */
    public static final String INFERENCE_FAILED = "INFERENCE_FAILED";

    private final BatchSettings settings;
    private final JobCounters counters;

    /**
     * @param settings shipped to every task with this function
     * @param counters accumulators the tasks add to
     */
    public PartitionLocator(BatchSettings settings, JobCounters counters) {
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) throws BundleException {
        ExecutorModels.Loaded model = ExecutorModels.get(settings.bundle().resolve(), settings.precision());
        return new Batches(input, model);
    }

    /** Pulls one batch of input rows at a time and yields its audited output rows. */
    private final class Batches implements Iterator<Row> {
        private final Iterator<Row> input;
        private final ExecutorModels.Loaded model;
        private final Geolocator geolocator;
        private final ImageRules rules;
        private final ImageDecoder decoder;
        private final AuditBatch audit;
        private final LocateOptions options;
        private final int batchSize;
        private final int partition;
        private final int attempt;
        private final long started = System.nanoTime();
        private Iterator<Row> ready = Collections.emptyIterator();
        private int batches;
        private long images;
        private long failed;
        private long reused;
        private boolean finished;

        Batches(Iterator<Row> input, ExecutorModels.Loaded model) {
            this.input = input;
            this.model = model;
            this.geolocator = model.geolocator();
            this.rules = new ImageRules(ImageRules.DEFAULT_MIN_SIDE, settings.maxPixels(), settings.maxBytes());
            this.decoder = rules.decoder();
            this.audit = new AuditBatch(settings.jdbc().dataSource());
            this.options = new LocateOptions(settings.topK(), settings.refine());
            this.batchSize = geolocator.manifest().defaults().batchSize();
            TaskContext tc = TaskContext.get();
            this.partition = tc == null ? 0 : tc.partitionId();
            this.attempt = tc == null ? 0 : tc.attemptNumber();
        }

        @Override
        public boolean hasNext() {
            while (!ready.hasNext()) {
                if (!input.hasNext()) {
                    finish();
                    return false;
                }
                List<Row> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && input.hasNext()) {
                    batch.add(input.next());
                }
                ready = process(batch).iterator();
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.next();
        }

        private void finish() {
            if (finished) {
                return;
            }
            finished = true;
            // Touch the counters so an empty partition also reports in, for the driver's "n/N partitions".
            counters.images().add(0);
            counters.failed().add(0);
            double s = (System.nanoTime() - started) / 1e9;
            LOG.info(String.format(Locale.ROOT, "partition %d (attempt %d): %d images, %d failed, %d audit rows"
                    + " already written by an earlier attempt, %.1f s, %.2f images/s", partition, attempt, images, failed,
                    reused, s, images / Math.max(s, 1e-9)));
        }

        private List<Row> process(List<Row> batch) {
            List<ImageResult> results = locate(batch);
            List<AuditBatch.Item> items = new ArrayList<>(results.size());
            for (ImageResult r : results) {
                items.add(new AuditBatch.Item(IdempotencyKey.of(settings.jobId(), r.path(), r.contentSha256()),
                        auditEntry(r), settings.store() != null ? r.prediction() : null,
                        r.located() ? r.prediction().topCells().size() : 1));
            }
            List<AuditBatch.Recorded> recorded = audit.record(items,
                    settings.store() == null ? null : settings.store().registered());
            settings.hook().afterAuditedBatch(partition, attempt, batches++, results.size());

            List<Row> rows = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                ImageResult r = results.get(i);
                AuditBatch.Recorded a = recorded.get(i);
                rows.add(LocateRows.row(r, settings.jobId(), a.auditId(), a.predictionId()));
                images++;
                counters.images().add(1);
                if (!r.located()) {
                    failed++;
                    counters.failed().add(1);
                }
                if (a.alreadyRecorded()) {
                    reused++;
                    counters.auditRowsReused().add(1);
                }
            }
            return rows;
        }

        private AuditEntry auditEntry(ImageResult r) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("interface", "spark");
            params.put("job", settings.jobId());
            if (settings.submittedBy() != null && !settings.submittedBy().equals(settings.principal())) {
                params.put("submittedBy", settings.submittedBy());
            }
            params.put("precision", model.precision()); // what ran on this executor (auto resolved)
            if (!settings.precision().equals(model.precision())) {
                params.put("precision_requested", settings.precision());
            }
            params.put("topK", r.located() ? r.prediction().topCells().size() : settings.topK() != null
                    ? settings.topK() : geolocator.manifest().defaults().topK());
            params.put("views", 1);
            params.put("panorama", false);
            params.put("store", settings.store() != null);
            if (settings.refine() != null) {
                params.put("refine", settings.refine());
            }
            params.put("media_types", List.of("none")); // files have no declared media type
            if (r.auditCode() == ErrorCode.INVALID_IMAGE) {
                params.put("image_problem", r.errorCode()); // as the service records a refused image
            }
            AuditEntry e = AuditEntry.accepted(settings.principal(), settings.clientAddress(), settings.purpose(),
                    r.pixelSha256() == null ? List.of() : List.of(r.pixelSha256()), params, model.bundle().name());
            return r.located() ? e : e.refused(r.auditCode());
        }

        /** Decodes and locates one batch; one result per input row, in order. */
        private List<ImageResult> locate(List<Row> batch) {
            List<Decoded> decoded = new ArrayList<>(batch.size());
            for (Row row : batch) {
                decoded.add(decode(row));
            }
            List<Decoded> usable = decoded.stream().filter(d -> d.image != null).toList();
            List<Prediction> predictions = locateTogether(usable);
            List<ImageResult> out = new ArrayList<>(batch.size());
            int next = 0;
            for (Decoded d : decoded) {
                if (d.image == null) {
                    out.add(d.failure);
                    continue;
                }
                Prediction p;
                String problem = null;
                if (predictions != null) {
                    p = predictions.get(next++);
                } else {
                    try {
                        p = geolocator.locate(List.of(d.image.rgb()), options, StageListener.NONE);
                    } catch (RuntimeException e) {
                        p = null;
                        problem = "inference failed: " + (e.getMessage() == null ? "no detail" : e.getMessage());
                    }
                }
                d.image = null; // drop the pixels as soon as they are used
                out.add(p == null
                        ? d.result(null, INFERENCE_FAILED, problem, ErrorCode.INFERENCE_FAILED)
                        : d.result(p.withGps(d.exifGps, d.gpsSource).withTimings(p.timings().withDecodeMs(d.decodeMs)), null,
                                null, null));
            }
            return out;
        }

        /** One pass for the whole batch; null when it failed, so each image is retried alone. */
        private List<Prediction> locateTogether(List<Decoded> usable) {
            if (usable.size() <= 1) {
                return null;
            }
            try {
                return geolocator.locateBatch(usable.stream().map(d -> List.of(d.image.rgb())).toList(), options,
                        StageListener.NONE);
            } catch (RuntimeException e) {
                return null;
            }
        }

        /**
         * The service's rules in the service's order ({@link ImageRules}): size, format and header dimensions
         * before any decoding, then the engine's decoder.
         */
        private Decoded decode(Row row) {
            Decoded d = new Decoded(row.getString(0), row.getLong(1));
            if (row.isNullAt(2)) {
                d.failure = d.length > settings.maxBytes()
                        ? d.refused(ImageProblem.TOO_LARGE, "is " + d.length + " bytes, more than the limit of "
                                + settings.maxBytes() + " bytes (not read)")
                        : d.refused(ImageProblem.UNREADABLE, "cannot be read (gone or unreadable since it was listed)");
                return d;
            }
            byte[] content = (byte[]) row.get(2);
            d.contentSha256 = IdempotencyKey.contentSha256(content);
            if (content.length == 0) {
                d.failure = d.refused(ImageProblem.EMPTY, "is empty (0 bytes)");
                return d;
            }
            long t0 = System.nanoTime();
            DecodedImage img;
            try {
                rules.checkHeader(content, null, d.path);
                img = decoder.decode(content, d.path);
            } catch (ImageRefusal r) {
                d.failure = d.refused(r.problem(), r.detail());
                return d;
            } catch (ImageRejectedException e) {
                d.failure = d.refused(ImageProblem.of(e.reason()), problem(e));
                return d;
            } catch (RuntimeException e) {
                // A decoder bug on hostile input is still this image's problem, not the job's.
                d.failure = d.refused(ImageProblem.CORRUPT, "cannot be decoded ("
                        + (e.getMessage() == null ? "no detail" : e.getMessage()) + ")");
                return d;
            }
            d.decodeMs = (System.nanoTime() - t0) / 1e6; // as the service reports it: decoding only, not hashing
            d.width = img.width();
            d.height = img.height();
            d.format = img.format();
            d.exifGps = img.exifGps();
            d.gpsSource = img.exifGps() == null || img.metadata().gps() == null ? null : img.metadata().gps().source();
            d.pixelSha256 = PixelHash.sha256(img.rgb());
            d.image = img;
            return d;
        }

        /** One input file on its way through the batch (mutable, task-local). */
        private final class Decoded {
            final String path;
            final long length;
            String contentSha256;
            String pixelSha256;
            Integer width;
            Integer height;
            String format;
            LatLon exifGps;
            GpsFix.Source gpsSource;
            double decodeMs;
            DecodedImage image;
            ImageResult failure;

            Decoded(String path, long length) {
                this.path = path;
                this.length = length;
            }

            ImageResult result(Prediction p, String code, String reason, ErrorCode auditCode) {
                return new ImageResult(path, length, contentSha256, pixelSha256, width, height, format, exifGps,
                        gpsSource, p, code, reason, auditCode, model.bundle().name(), model.bundle().manifest().trained(),
                        model.precision());
            }

            /** Refused as the service refuses an image: INVALID_IMAGE in the audit log. */
            ImageResult refused(ImageProblem problem, String reason) {
                return result(null, problem.name(), reason, ErrorCode.INVALID_IMAGE);
            }
        }
    }

    /** The decoder's problem without its "image 'x' rejected (REASON): " prefix: the row names the file. */
    static String problem(ImageRejectedException e) {
        String prefix = "image '" + e.source() + "' rejected (" + e.reason() + "): ";
        String m = e.getMessage();
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
    }
}
