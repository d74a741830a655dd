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

    /** The value stored in {@code audit_log.outcome}: {@code accepted}, {@code refused} or {@code failed}. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The outcome of a stored value, in any case.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static Outcome fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
