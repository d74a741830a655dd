package org.geopigeon.spark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.geopigeon.service.store.StoreException;

/**
 * Where the service's log goes for {@code ./geopigeon batch} (local mode), as the CLI does it
 * ({@code org.geopigeon.app.CliLogging}): stderr is for the batch's own lines (banner, progress, one-line errors);
 * the service's and the database libraries' log lines (incident ids with their causes, Flyway's and the driver's
 * reports) go to a log file that the run names at the end, or to stderr with {@code --verbose}.
 *
 * <p>The routing is in {@code geopigeon-batch-log4j2.properties}, which reads the system properties set here; Log4j
 * reads its configuration when Spark first logs, so {@link #configure} runs before the session is created. On a
 * cluster (spark-submit) Spark's own log4j2.properties applies and these properties are unused.
 *
 * @param file the log file, or null when the log stays on stderr
 */
record BatchLogging(Path file) {

    /** The option that keeps the service's log on stderr (declared by {@link SparkOptions}). */
    static final String VERBOSE = "--verbose";
    /** Log4j2 property: the file that takes the service's log. */
    static final String FILE_PROPERTY = "geopigeon.batch.logFile";
    /** Log4j2 property: "true" to also print the service's log on stderr. */
    static final String CONSOLE_PROPERTY = "geopigeon.batch.logToConsole";

    /** Chooses the destination from the arguments and {@code GEOPIGEON_LOG_FILE}; sets the properties Log4j reads. */
    static BatchLogging configure(String[] args) {
        if (Arrays.asList(args).contains(VERBOSE)) {
            System.setProperty(CONSOLE_PROPERTY, "true");
            System.setProperty(StoreException.LOG_NAME_PROPERTY, "the log above");
            return new BatchLogging(null);
        }
        String env = System.getenv("GEOPIGEON_LOG_FILE");
        Path file = (env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".geopigeon", "logs", "batch.log")).toAbsolutePath();
        System.setProperty(CONSOLE_PROPERTY, "false");
        System.setProperty(FILE_PROPERTY, file.toString());
        System.setProperty(StoreException.LOG_NAME_PROPERTY, file.toString());
        return new BatchLogging(file);
    }

    /** Says where the details are when the run logged anything. */
    void finish(PrintStream err) {
        if (file == null) {
            return;
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                err.println("geopigeon: details of the problems above (incident ids, causes) are in " + file
                        + " (or run with " + VERBOSE + " to see them here)");
                err.flush();
            }
        } catch (java.io.IOException e) {
            // the file went away: nothing to point at
        }
    }
}
