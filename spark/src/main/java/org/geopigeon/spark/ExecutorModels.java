package org.geopigeon.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.predict.Geolocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models loaded in this JVM, one per bundle folder and precision, loaded on first use and shared by
 * every task the JVM runs.
 *
 * <p>Why JVM-wide state: Spark runs many tasks, one after another and several at once, in each executor
 * JVM and gives them no shared object to hang a model on; loading the model per task would cost
 * seconds and the model's memory for every partition. So this is the one static holder of the batch
 * module. Its owner is {@link GeoPigeonSparkPlugin}: the plugin's executor side calls {@link #closeAll()}
 * when the executor shuts down (in local mode when the SparkContext stops), which frees libtorch's
 * native memory. Loading is once per key even when tasks ask at the same time; a failed load is not
 * remembered, so a retried task tries again.
 */
public final class ExecutorModels {

    /**
     * A loaded bundle and the engine's geolocator over it (the same classes the CLI uses).
     *
     * @param precision the precision its backbone runs in ({@code fp32}, {@code bf16}, ...: what {@code auto} resolved
     *                  to on this executor), recorded in every row and audit row
     */
    public record Loaded(ModelBundle bundle, Geolocator geolocator, String precision) {
    }

    private record Key(Path dir, String precision) {
    }

    /** One lazily loaded model; its monitor makes concurrent first requests wait for a single load. */
    private static final class Slot {
        private Loaded loaded;

        synchronized Loaded get(Key key) throws BundleException {
            if (loaded == null) {
                long t0 = System.nanoTime();
                ModelBundle b = ModelBundle.load(key.dir(), PrecisionChoice.parse(key.precision()));
                loaded = new Loaded(b, new Geolocator(b), b.backbone().precision().id());
                LOADS.incrementAndGet();
                LOG.info("loaded model '{}' from {} in {} ({}) in {} ms", b.name(), key.dir(),
                        b.backbone().precision(), b.precisionReason(), (System.nanoTime() - t0) / 1_000_000);
            }
            return loaded;
        }

        synchronized void close() {
            if (loaded != null) {
                loaded.bundle().close();
                loaded = null;
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final ConcurrentHashMap<Key, Slot> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {
    }

    /**
     * The model of {@code dir}, loading it on the first call in this JVM.
     *
     * @param precision the precision asked for: auto, fp32, bf16, fp16 or int8 (part of the key: one JVM may serve
     *                  two); {@link Loaded#precision()} says what it resolved to
     * @throws BundleException when the bundle cannot be loaded (the task fails; Spark retries it)
     */
    public static Loaded get(Path dir, String precision) throws BundleException {
        Key key = new Key(dir.toAbsolutePath().normalize(), precision);
        return MODELS.computeIfAbsent(key, k -> new Slot()).get(key);
    }

    /** Closes every loaded model (executor shutdown). Later {@link #get} calls load again. */
    public static void closeAll() {
        List<Slot> slots = new ArrayList<>(MODELS.values());
        MODELS.clear();
        for (Slot s : slots) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("could not close a model: {}", e.toString());
            }
        }
    }

    /** Models loaded by this JVM since it started (tests check it is one per bundle, not one per task). */
    public static int loadCount() {
        return LOADS.get();
    }
}
