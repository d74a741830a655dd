package org.geopigeon.service.store;

import java.util.Locale;

/** What happened to a request; stored lower-case in {@code geopigeon.audit_log.outcome}. */
public enum Outcome {
    /** Ran and returned a result. */
    ACCEPTED,
    /** Turned away before inference: bad input or no capacity. */
    REFUSED,
    /** Started but could not finish: model, inference or database failure, or cancelled. */
    FAILED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
