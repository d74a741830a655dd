package org.geopigeon.service;

import java.util.Locale;
import java.util.UUID;
import org.geopigeon.service.store.ErrorCode;
import org.slf4j.Logger;

/**
 * Server-side failures, split in two: the detail (exception chain, SQL state, file paths) goes to the server
 * log, the client sees only what failed and an incident id that finds the log entry. Clients never see
 * SQL, stack traces or Java class names (docs/ethics.md, "messages to clients").
 */
public final class Incidents {

    private Incidents() {
    }

    /**
     * Logs a failure at ERROR with its cause and a fresh incident id.
     *
     * @param what  what failed, in words (also suitable for the client)
     * @param cause the exception with the detail, or null
     * @return the incident id (12 hex digits) to show the client
     */
    public static String log(Logger log, ErrorCode code, String what, Throwable cause) {
        String id = newId();
        if (cause == null) {
            log.error("{} incident {}: {}", code, id, what);
        } else {
            log.error("{} incident {}: {}: {}", code, id, what, cause.toString(), cause);
        }
        return id;
    }

    /** A random 12-hex-digit id: unique enough to grep a log for, short enough to read out on the phone. */
    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }
}
