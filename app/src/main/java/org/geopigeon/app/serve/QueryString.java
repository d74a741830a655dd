package org.geopigeon.app.serve;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decoded query parameters of a request URI; the first value wins when a name repeats. */
final class QueryString {

    private final Map<String, String> values;

    private QueryString(Map<String, String> values) {
        this.values = values;
    }

    static QueryString of(URI uri) {
        Map<String, String> m = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                m.putIfAbsent(name, value);
            }
        }
        return new QueryString(m);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "INVALID_QUERY", "query string has a broken %-escape in '" + s + "'");
        }
    }

    /** The value, or null when absent. */
    String get(String name) {
        return values.get(name);
    }

    /**
     * @return the integer value, {@code dflt} when absent or empty
     * @throws ApiException 400 naming the parameter when it is not an integer in [min, max]
     */
    int intValue(String name, int dflt, int min, int max) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(400, "INVALID_PARAMETER", name + " must be an integer from " + min + " to " + max
                + ", got '" + v + "'");
    }
}
