package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import org.geopigeon.service.store.StoreException;

/**
 * Where the libraries' log goes for a command-line run. The CLI's stderr is for its own one-line messages
 * ("error: FILE: problem", progress); the log lines of the service and the libraries under it (incident ids with
 * their causes and stack traces, the database driver's and Flyway's warnings) go to a log file, and the run ends by
 * naming that file when anything was written to it. {@code --verbose} keeps them on stderr instead; {@code serve} is
 * a server and always logs to stderr.
 *
 * <p>The binding is slf4j-simple, configured by system properties that it reads when the first logger is created,
 * so {@link #configure} must run before anything logs. slf4j-simple truncates its file at start: the file holds the
 * last run's log. Set {@code GEOPIGEON_LOG_FILE} to keep runs apart.
 *
 * @param file the log file, or null when the log stays on stderr
 */
record CliLogging(Path file) {

    /** The option that keeps library log lines on stderr (declared on every command by {@link GeoPigeonCli}). */
    static final String VERBOSE = "--verbose";
    /** Commands that are servers: their log is the server log, on stderr. */
    private static final Set<String> SERVERS = Set.of("serve");
    private static final String FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";

    /**
     * Chooses the log's destination from the command line and the environment and sets slf4j-simple's properties.
     * Leaves everything as it is when the logging was configured explicitly ({@code -Dorg.slf4j.simpleLogger.logFile}).
     */
    static CliLogging configure(String[] args) {
        if (args.length > 0 && SERVERS.contains(args[0])) {
            return new CliLogging(null); // a server: incidents are "in the server log"
        }
        if (System.getProperty(FILE_PROPERTY) != null || Arrays.asList(args).contains(VERBOSE)) {
            System.setProperty(StoreException.LOG_NAME_PROPERTY, "the log above");
            return new CliLogging(null);
        }
        String env = System.getenv("GEOPIGEON_LOG_FILE");
        Path file = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".geopigeon", "logs", "cli.log");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) { // null: a file at the root, whose folder exists
                // Log lines may name principals and purposes: readable by the user only.
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // cannot write it: the log stays on stderr, where nothing is lost
            System.setProperty(StoreException.LOG_NAME_PROPERTY, "the log above");
            return new CliLogging(null);
        }
        // Incident ids in messages name this file, not a "server log" that a CLI user does not have.
        System.setProperty(StoreException.LOG_NAME_PROPERTY, file.toString());
        System.setProperty(FILE_PROPERTY, file.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        return new CliLogging(file);
    }

    /** Says where the details are when the run logged anything. */
    void finish(PrintStream err) {
        if (file == null) {
            return;
        }
        try {
            if (Files.size(file) > 0) {
                err.println("geopigeon: details of the problems above (incident ids, causes) are in " + file
                        + " (or run with " + VERBOSE + " to see them here)");
                err.flush();
            }
        } catch (IOException e) {
            // the file went away: nothing to point at
        }
    }
}
