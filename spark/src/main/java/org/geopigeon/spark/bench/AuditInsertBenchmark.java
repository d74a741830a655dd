package org.geopigeon.spark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.geopigeon.service.store.AuditBatch;
import org.geopigeon.service.store.AuditEntry;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.Migrations;

/**
 * Measures how fast the hash-chained audit log takes rows, the bound on batch throughput: every insert
 * takes the chain's advisory lock until its transaction commits, so writers queue on one lock. Prints
 * rows/s for one row per transaction ({@link AuditLog#record}, the CLI and service path) and for batches
 * ({@link AuditBatch#record}, the Spark path) with 1 and several concurrent writers. Asserts nothing.
 *
 * <p>{@code java ... AuditInsertBenchmark JDBC_URL [rows] [batch] [writers]}; writes rows to that database.
 */
public final class AuditInsertBenchmark {

    private AuditInsertBenchmark() {
    }

    /** {@code JDBC_URL [rows] [batch] [writers]}; prints rows/s per writer pattern. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: AuditInsertBenchmark JDBC_URL [rows=2000] [batch=8] [writers=4]");
            System.exit(2);
        }
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int writers = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        DataSource ds = Migrations.dataSource(args[0], null, null);
        Migrations.apply(ds);
        AuditLog log = new AuditLog(ds);
        String job = "bench-" + UUID.randomUUID();

        long t0 = System.nanoTime();
        int single = Math.max(1, rows / 4);
        for (int i = 0; i < single; i++) {
            log.record(entry(job, i));
        }
        report("one row per transaction (CLI, service), 1 writer", single, t0);

        for (int w : new int[] {1, writers}) {
            for (int b : new int[] {batch, batch * 8}) {
                t0 = System.nanoTime();
                run(ds, job + "-" + w + "-" + b, rows, b, w);
                report(String.format(Locale.ROOT, "batches of %d (Spark tasks), %d writer%s", b, w, w == 1 ? "" : "s"),
                        rows, t0);
            }
        }
        var status = log.verify();
        System.out.printf(Locale.ROOT, "chain verified: %s (%d rows)%n", status.intact() ? "intact" : "BROKEN",
                status.rowsChecked());
    }

    private static void run(DataSource ds, String job, int rows, int batch, int writers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w;
                done.add(pool.submit(() -> {
                    AuditBatch writer = new AuditBatch(ds);
                    List<AuditBatch.Item> items = new ArrayList<>();
                    for (int i = first; i < rows; i += writers) {
                        items.add(new AuditBatch.Item(UUID.nameUUIDFromBytes((job + "/" + i).getBytes(
                                java.nio.charset.StandardCharsets.UTF_8)), entry(job, i), null, 5));
                        if (items.size() == batch) {
                            writer.record(items, null);
                            items.clear();
                        }
                    }
                    if (!items.isEmpty()) {
                        writer.record(items, null);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static AuditEntry entry(String job, int i) {
        return AuditEntry.accepted("bench", "127.0.0.1", "audit insert benchmark",
                List.of(String.format(Locale.ROOT, "%064x", i)), Map.of("interface", "spark", "job", job, "topK", 5),
                "bench-model");
    }

    private static void report(String what, int rows, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "audit insert: %-52s %6d rows in %6.2f s = %8.0f rows/s%n", what, rows, s,
                rows / s);
    }
}
