package org.geopigeon.engine.captions;

import java.time.Month;
import java.util.Locale;
import java.util.Optional;

/**
 * Meteorological seasons (December-February, March-May, June-August, September-November), flipped in
 * the southern hemisphere. Within the tropics (|latitude| below 23.44°, the Tropic of Cancer/Capricorn)
 * the four seasons do not describe the climate, so {@link #of} gives none there.
 */
public enum Season {
    WINTER, SPRING, SUMMER, AUTUMN;

    /** Latitude of the tropics of Cancer and Capricorn, degrees. */
    public static final double TROPIC_DEG = 23.44;

    /**
     * @param month    month of the capture date
     * @param latitude where the photo was taken, degrees north
     * @return the season, or empty inside the tropics
     */
    public static Optional<Season> of(Month month, double latitude) {
        if (Math.abs(latitude) < TROPIC_DEG) {
            return Optional.empty();
        }
        int m = month.getValue();
        Season north = m == 12 || m <= 2 ? WINTER : m <= 5 ? SPRING : m <= 8 ? SUMMER : AUTUMN;
        return Optional.of(latitude >= 0 ? north : north.opposite());
    }

    /** The season half a year away. */
    public Season opposite() {
        return values()[(ordinal() + 2) % 4];
    }

    /** "winter", "spring", "summer", "autumn". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
