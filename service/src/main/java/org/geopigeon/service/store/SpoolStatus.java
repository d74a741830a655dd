package org.geopigeon.service.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The local audit spool as {@code geopigeon audit verify} reports it.
 *
 * @param folder   the spool folder of this database
 * @param rows     rows in the spool
 * @param notInLog rows not yet in the audit log, or null when the database could not be asked
 * @param oldest   when the oldest row not yet in the log (or, when unknown, in the spool) was spooled; null when none
 * @param problems lines that could not be read (damaged or incomplete), named by file and line
 */
public record SpoolStatus(Path folder, int rows, Integer notInLog, Instant oldest, List<String> problems) {

    public SpoolStatus {
        problems = List.copyOf(problems);
    }

    /** True when every spooled row is in the log and nothing is damaged. */
    public boolean clear() {
        return notInLog != null && notInLog == 0 && problems.isEmpty();
    }
}
