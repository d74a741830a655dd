package org.geopigeon.engine.captions;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellSet;

/**
 * Writes several captions for every geocell from facts this project ships (PIGEON's synthetic captions,
 * Haas et al. CVPR 2024 §3, adapted to open data): the cell's name, admin-1 and country (geocell properties,
 * Natural Earth), the largest towns inside it or, for a cell without one, the nearest towns within
 * {@link Options#nearbyTownKm} of its centroid (GeoNames), the continent, the hemisphere of its centroid and the
 * side of the road traffic keeps to. Wording: {@link CaptionTemplates}. Deterministic: the same cell and data
 * always give the same captions in the same order. Immutable and thread-safe.
 *
 * <p>Cells whose {@code country} is not a known code (the demo's regional groups such as "Central America")
 * use that name as the country, and take continent and driving side from the towns inside the cell when they
 * all agree; otherwise those captions are left out rather than guessed.
 */
public final class GeocellCaptioner {

    private static final Pattern CODE = Pattern.compile("[A-Z]{2,3}|unknown");

    /**
     * @param townsPerCell towns named per cell (largest first), 0 for none
     * @param nearbyTownKm for a cell with no town inside: how far from its centroid to look (great-circle km)
     */
    public record Options(int townsPerCell, double nearbyTownKm) {
        public Options {
            if (townsPerCell < 0) {
                throw new IllegalArgumentException("townsPerCell must be >= 0, got " + townsPerCell);
            }
            if (!(nearbyTownKm >= 0) || Double.isInfinite(nearbyTownKm)) {
                throw new IllegalArgumentException("nearbyTownKm must be a finite number >= 0, got " + nearbyTownKm);
            }
        }

        /** 3 towns; 50 km search radius for cells without a town. */
        public static Options defaults() {
            return new Options(3, 50.0);
        }
    }

    /** The facts behind one cell's captions: placeholder values and the towns named. */
    record Facts(Map<String, String> values, List<Town> towns) {
    }

    private final CaptionData data;
    private final Options options;

    public GeocellCaptioner(CaptionData data, Options options) {
        this.data = Objects.requireNonNull(data, "data");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The facts and templates captions are written from. */
    public CaptionData data() {
        return data;
    }

    /** How many captions and towns per cell, and the nearby-town radius in km. */
    public Options options() {
        return options;
    }

    /** Captions of one cell, at least one (the country or continent caption) for any cell with a known place. */
    public List<String> captions(Geocell cell) {
        Facts f = facts(cell);
        return data.templates().render(f.values(), townMentions(f.towns(), f.values().get("country")));
    }

    /** Captions of every cell, in class order. */
    public List<List<String>> captions(GeocellSet cells) {
        List<List<String>> out = new ArrayList<>(cells.size());
        for (Geocell c : cells.cells()) {
            out.add(captions(c));
        }
        return out;
    }

    Facts facts(Geocell cell) {
        Optional<CountryFacts> country = data.countries().byCode(cell.country());
        String countryName = country.map(CountryFacts::nameInSentence).orElse(regionName(cell.country()));
        List<Town> inside = data.towns().inside(cell.geometry(), Integer.MAX_VALUE);
        List<Town> named = inside.isEmpty()
                ? data.towns().nearest(cell.centroid(), options.nearbyTownKm(), options.townsPerCell())
                : inside.subList(0, Math.min(options.townsPerCell(), inside.size()));

        Map<String, String> v = new HashMap<>();
        v.put("country", countryName);
        v.put("admin1", distinct(cell.admin1(), countryName, country));
        String place = distinct(cell.name(), countryName, country);
        if (!place.equalsIgnoreCase(cell.admin1().strip())) {
            v.put("place", place);
        }
        v.put("hemisphere", cell.centroid().lat() >= 0 ? "northern" : "southern");
        if (country.isPresent()) {
            v.put("continent", country.get().continent());
            v.put("side", country.get().drives().word());
        } else {
            agreed(inside, CountryFacts::continent).ifPresent(c -> v.put("continent", c));
            agreed(inside, f -> f.drives().word()).ifPresent(s -> v.put("side", s));
        }
        return new Facts(Map.copyOf(v), List.copyOf(named));
    }

    List<Map.Entry<String, String>> townMentions(List<Town> towns, String fallbackCountry) {
        List<Map.Entry<String, String>> out = new ArrayList<>(towns.size());
        for (Town t : towns) {
            String country = data.countries().byAlpha2(t.country()).map(CountryFacts::nameInSentence).orElse(fallbackCountry);
            out.add(new SimpleImmutableEntry<>(t.name(), country == null ? "" : country));
        }
        return out;
    }

    /** A fact shared by the countries of all given towns, if there are towns and they agree. */
    private Optional<String> agreed(List<Town> towns, java.util.function.Function<CountryFacts, String> fact) {
        Set<String> seen = new LinkedHashSet<>();
        for (Town t : towns) {
            Optional<CountryFacts> f = data.countries().byAlpha2(t.country());
            if (f.isEmpty()) {
                return Optional.empty();
            }
            seen.add(fact.apply(f.get()));
        }
        return seen.size() == 1 ? Optional.of(seen.iterator().next()) : Optional.empty();
    }

    /** A country property that is not a known code: a region name ("Central America"), or nothing for a bare code. */
    private static String regionName(String country) {
        String c = country == null ? "" : country.strip();
        return CODE.matcher(c).matches() ? "" : c;
    }

    /** The name, unless it merely repeats the country (by display name or code). */
    private static String distinct(String name, String countryName, Optional<CountryFacts> country) {
        String n = name == null ? "" : name.strip();
        String lower = n.toLowerCase(Locale.ROOT);
        if (lower.equals(countryName.toLowerCase(Locale.ROOT))
                || country.map(f -> lower.equals(f.name().toLowerCase(Locale.ROOT))
                        || lower.equals(f.alpha3().toLowerCase(Locale.ROOT))).orElse(false)) {
            return "";
        }
        return n;
    }
}
