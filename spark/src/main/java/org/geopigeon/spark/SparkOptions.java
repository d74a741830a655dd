package org.geopigeon.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.geopigeon.engine.bundle.BundleLocator;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.service.ImageRules;
import picocli.CommandLine.Option;

/**
 * Options both batch commands share (a picocli mixin): where Spark runs, which model, how inputs are read.
 *
 * <p>Why not the CLI's mixins ({@code org.geopigeon.app.BundleOption}, {@code PrecisionOption}): they live in the
 * {@code app} module, which this module must not depend on ({@code ./geopigeon batch} runs on its own class path:
 * Spark's, without the CLI's Javalin/Jetty and SLF4J binding), and picocli cannot move down into {@code service},
 * whose jar ships in the GeoServer zip. The meanings differ too: {@code --precision} here defaults to {@code auto}
 * decided per executor (each row says which ran), where the CLI's falls back to this JVM's
 * {@code geopigeon.precision}; {@code --bundle} may be shipped to the executors ({@code --bundle-on-shared-fs}).
 */
final class SparkOptions {

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: spark-submit's,"
            + " else local[*])")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting, e.g."
            + " spark.sql.files.maxPartitionBytes=64m (repeatable)")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--bundle", paramLabel = "DIR", description = "model bundle folder (default: $GEOPIGEON_BUNDLE,"
            + " else sample-data/demo-bundle)")
    String bundle;

    @Option(names = "--bundle-on-shared-fs", description = "every node sees the bundle at the same path: do not ship"
            + " it to the executors (it is shipped with SparkContext.addFile unless the master is local)")
    boolean bundleOnSharedFs;

    @Option(names = "--precision", paramLabel = "P", description = "backbone arithmetic, as for locate: auto, fp32,"
            + " bf16, fp16 or int8 (default: ${DEFAULT-VALUE}: bf16 where an executor's CPU or GPU runs it natively and"
            + " the bundle has the variant, else fp32; every row says which precision ran)")
    String precision = "auto";

    @Option(names = "--recursive", description = "also read files in sub-folders of the input folders")
    boolean recursive;

    @Option(names = "--max-bytes", paramLabel = "N", description = "files larger than this are not read (TOO_LARGE);"
            + " default ${DEFAULT-VALUE}, the service's limit")
    long maxBytes = ImageRules.DEFAULT_MAX_BYTES;

    /** Read from the raw arguments before parsing by {@link BatchLogging} (the log is set up before Spark starts). */
    @Option(names = BatchLogging.VERBOSE, description = "print the log of the service and its libraries (details of"
            + " errors) on stderr instead of ~/.geopigeon/logs/batch.log ($GEOPIGEON_LOG_FILE), as every command")
    boolean verbose;

    Path bundleDir() {
        return BundleLocator.resolve(bundle);
    }

    /** Ship the bundle unless it is on a shared file system or everything runs in this JVM. */
    boolean shipBundle(boolean localMaster) {
        return !bundleOnSharedFs && !localMaster;
    }

    /** @throws IllegalArgumentException naming the option */
    void validate() {
        try {
            precision = PrecisionChoice.parse(precision).id();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision " + precision + " is not supported: " + e.getMessage());
        }
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--max-bytes must be 1.." + (Integer.MAX_VALUE - 16) + ", got " + maxBytes);
        }
    }
}
