package org.geopigeon.engine.captions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The facts and templates captions are made from: {@code countries.tsv}, {@code towns.tsv} and
 * {@code templates.txt} (sample-data/captions, shipped in the engine jar under
 * {@code org/geopigeon/engine/captions/}; sources and licences in that folder's README: GeoNames CC BY 4.0,
 * countries-list MIT).
 *
 * @param countries country names, continents and driving sides
 * @param towns     sizeable towns (population >= 20,000)
 * @param templates caption templates
 */
public record CaptionData(CountryTable countries, TownIndex towns, CaptionTemplates templates) {

    /** Classpath folder of the shipped files. */
    public static final String RESOURCE_DIR = "/org/geopigeon/engine/captions/";

    public CaptionData {
        Objects.requireNonNull(countries, "countries");
        Objects.requireNonNull(towns, "towns");
        Objects.requireNonNull(templates, "templates");
    }

    /** The shipped files, from the classpath. */
    public static CaptionData shipped() throws IOException {
        return new CaptionData(CountryTable.parse("countries.tsv", resource("countries.tsv")),
                TownIndex.parse("towns.tsv", resource("towns.tsv")),
                CaptionTemplates.parse("templates.txt", resource("templates.txt")));
    }

    /** The shipped facts with another template file (users rewording captions). */
    public static CaptionData withTemplates(Path templates) throws IOException {
        CaptionData d = shipped();
        return new CaptionData(d.countries(), d.towns(), CaptionTemplates.parse(templates.toString(),
                Files.readString(templates, StandardCharsets.UTF_8)));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CaptionData.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IOException("caption data " + name + " is missing from the engine jar (" + RESOURCE_DIR + name + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
