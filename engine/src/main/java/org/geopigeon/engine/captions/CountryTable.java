package org.geopigeon.engine.captions;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Country facts by code ({@code countries.tsv}: alpha3, alpha2, name, article, continent, drives).
 * Immutable and thread-safe.
 */
public final class CountryTable {

    private static final List<String> HEADER = List.of("alpha3", "alpha2", "name", "article", "continent", "drives");

    private final Map<String, CountryFacts> byAlpha3;
    private final Map<String, CountryFacts> byAlpha2;

    public CountryTable(Collection<CountryFacts> rows) {
        Map<String, CountryFacts> a3 = new LinkedHashMap<>();
        Map<String, CountryFacts> a2 = new LinkedHashMap<>();
        for (CountryFacts f : rows) {
            a3.put(f.alpha3().toUpperCase(Locale.ROOT), f);
            if (!f.alpha2().isEmpty()) {
                a2.putIfAbsent(f.alpha2().toUpperCase(Locale.ROOT), f);
            }
        }
        this.byAlpha3 = Map.copyOf(a3);
        this.byAlpha2 = Map.copyOf(a2);
    }

    /**
     * Parses the TSV text of {@code countries.tsv}.
     *
     * @param source file or resource name for error messages
     * @throws IOException naming the source and line when the header or a row is malformed
     */
    public static CountryTable parse(String source, String tsv) throws IOException {
        List<List<String>> rows = Tsv.rows(source, tsv, HEADER);
        List<CountryFacts> facts = new java.util.ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            CountryFacts.DrivingSide side;
            switch (r.get(5)) {
                case "left" -> side = CountryFacts.DrivingSide.LEFT;
                case "right" -> side = CountryFacts.DrivingSide.RIGHT;
                default -> throw new IOException(source + ": line " + (i + 2) + ": drives must be 'left' or 'right', got '"
                        + r.get(5) + "'");
            }
            if (r.get(0).isEmpty() || r.get(2).isEmpty()) {
                throw new IOException(source + ": line " + (i + 2) + ": alpha3 and name must not be empty");
            }
            facts.add(new CountryFacts(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), side));
        }
        return new CountryTable(facts);
    }

    /** By ISO 3166-1 alpha-3 (or Natural Earth) code, case-insensitive. */
    public Optional<CountryFacts> byAlpha3(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(byAlpha3.get(code.strip().toUpperCase(Locale.ROOT)));
    }

    /** By ISO 3166-1 alpha-2 code, case-insensitive. */
    public Optional<CountryFacts> byAlpha2(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(byAlpha2.get(code.strip().toUpperCase(Locale.ROOT)));
    }

    /** Alpha-3 first, then alpha-2. */
    public Optional<CountryFacts> byCode(String code) {
        return byAlpha3(code).or(() -> byAlpha2(code));
    }

    /** Number of countries in the table (rows of {@code countries.tsv}). */
    public int size() {
        return byAlpha3.size();
    }
}
