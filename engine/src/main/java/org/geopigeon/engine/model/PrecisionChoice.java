package org.geopigeon.engine.model;

import java.util.Locale;
import java.util.Optional;

/**
 * What the user asks for: a fixed {@link Precision} or {@link #AUTO}, which {@link PrecisionResolver}
 * turns into bf16 where the hardware runs it natively and fp32 elsewhere.
 *
 * <p>Set per load (CLI {@code --precision}, {@code ModelBundle.load(dir, choice)}), or process-wide with
 * the system property {@code geopigeon.precision} or the environment variable {@code GEOPIGEON_PRECISION}
 * (read by {@link #configured()}; the property wins).
 */
public enum PrecisionChoice {
    AUTO(null), FP32(Precision.FP32), BF16(Precision.BF16), FP16(Precision.FP16), INT8(Precision.INT8);

    /** System property naming the default choice. */
    public static final String PROPERTY = "geopigeon.precision";
    /** Environment variable naming the default choice (the property wins). */
    public static final String ENVIRONMENT = "GEOPIGEON_PRECISION";

    private final Precision fixed;

    PrecisionChoice(Precision fixed) {
        this.fixed = fixed;
    }

    /** The fixed precision, or empty for {@link #AUTO}. */
    public Optional<Precision> fixed() {
        return Optional.ofNullable(fixed);
    }

    /** {@code auto}, {@code fp32}, ... as typed on the command line. */
    public String id() {
        return fixed == null ? "auto" : fixed.id();
    }

    /** The fixed choice of one precision (never {@link #AUTO}). */
    public static PrecisionChoice of(Precision p) {
        return valueOf(p.name());
    }

    /**
     * Parses {@code auto}, {@code fp32}, {@code bf16}, {@code fp16} or {@code int8} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static PrecisionChoice parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        try {
            return of(Precision.parse(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + text + "': expected auto, " + Precision.ids());
        }
    }

    /**
     * The process-wide default: {@code -Dgeopigeon.precision}, else {@code $GEOPIGEON_PRECISION}, else AUTO.
     *
     * @throws IllegalArgumentException when the setting holds an unknown value (naming the setting)
     */
    public static PrecisionChoice configured() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return parseSetting(p, "system property " + PROPERTY);
        }
        String e = System.getenv(ENVIRONMENT);
        if (e != null && !e.isBlank()) {
            return parseSetting(e, "environment variable " + ENVIRONMENT);
        }
        return AUTO;
    }

    private static PrecisionChoice parseSetting(String value, String where) {
        try {
            return parse(value);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ": " + ex.getMessage());
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
