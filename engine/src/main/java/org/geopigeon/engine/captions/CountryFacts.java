package org.geopigeon.engine.captions;

import java.util.Objects;

/**
 * Facts about one country used in captions (a row of {@code sample-data/captions/countries.tsv}).
 *
 * @param alpha3    ISO 3166-1 alpha-3 code, or Natural Earth's own code for units without one (e.g. "KOS")
 * @param alpha2    ISO 3166-1 alpha-2 code, empty for units without one
 * @param name      English short name, e.g. "Netherlands"
 * @param article   "the" when English puts it before the name ("the Netherlands"), else empty
 * @param continent continent name, e.g. "Europe" (countries-list)
 * @param drives    side of the road traffic keeps to
 */
public record CountryFacts(String alpha3, String alpha2, String name, String article, String continent,
                           DrivingSide drives) {

    public CountryFacts {
        Objects.requireNonNull(alpha3, "alpha3");
        alpha2 = alpha2 == null ? "" : alpha2;
        Objects.requireNonNull(name, "name");
        article = article == null ? "" : article;
        continent = continent == null ? "" : continent;
        Objects.requireNonNull(drives, "drives");
    }

    /** The name as it reads inside a sentence: "the Netherlands", "France". */
    public String nameInSentence() {
        return article.isEmpty() ? name : article + " " + name;
    }

    /** Which side of the road traffic keeps to. */
    public enum DrivingSide {
        LEFT, RIGHT;

        /** "left" or "right", as used in captions. */
        public String word() {
            return this == LEFT ? "left" : "right";
        }
    }
}
