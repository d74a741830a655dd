package org.geopigeon.engine.captions;

import java.time.Month;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellIndex;

/**
 * Captions for one geotagged training photo (caption pretraining): the facts of the geocell it falls in
 * ({@link GeocellCaptioner}), but with the towns nearest to the photo itself (within the captioner's
 * {@code nearbyTownKm}; else the cell's towns), the hemisphere of the photo, and, when the capture date is
 * known, the month and the meteorological {@link Season} at that latitude. Deterministic; thread-safe.
 */
public final class PhotoCaptioner {

    /** Towns named per photo. */
    public static final int TOWNS_PER_PHOTO = 2;

    private final GeocellCaptioner cells;
    private final GeocellIndex index;

    public PhotoCaptioner(GeocellCaptioner cells, GeocellIndex index) {
        this.cells = Objects.requireNonNull(cells, "cells");
        this.index = Objects.requireNonNull(index, "index");
    }

    /**
     * @param where photo position
     * @param month capture month, or null when unknown
     * @return captions, in template order
     */
    public List<String> captions(LatLon where, Month month) {
        Geocell cell = index.cells().get(index.locate(where));
        GeocellCaptioner.Facts f = cells.facts(cell);
        Map<String, String> v = new HashMap<>(f.values());
        v.put("hemisphere", where.lat() >= 0 ? "northern" : "southern");
        if (month != null) {
            v.put("month", month.getDisplayName(TextStyle.FULL, Locale.ENGLISH));
            Season.of(month, where.lat()).ifPresent(s -> v.put("season", s.word()));
        }
        List<Town> near = cells.data().towns().nearest(where, cells.options().nearbyTownKm(), TOWNS_PER_PHOTO);
        List<Town> towns = near.isEmpty() ? f.towns() : near;
        return cells.data().templates().render(v, cells.townMentions(towns, v.get("country")));
    }
}
