package org.geopigeon.engine.captions;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caption templates of {@code sample-data/captions/templates.txt}: one {@code id<TAB>text} per line with
 * {@code {placeholder}}s (the file documents them). A template yields a caption only when every placeholder
 * has a value; templates with {@code {town}} yield one caption per town. Captions are NFC-normalised with
 * runs of white space collapsed, so equal facts always give byte-equal captions. Immutable, thread-safe.
 */
public final class CaptionTemplates {

    /** Placeholders a template may use. */
    public static final Set<String> PLACEHOLDERS = Set.of("place", "admin1", "country", "town", "town_country",
            "continent", "hemisphere", "side", "season", "month");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z0-9_]+)}");

    /** One template: its id and text. */
    public record Template(String id, String text, Set<String> placeholders) {
        public Template {
            placeholders = Set.copyOf(placeholders);
        }
    }

    private final List<Template> templates;

    public CaptionTemplates(List<Template> templates) {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("no caption templates");
        }
        this.templates = List.copyOf(templates);
    }

    /**
     * Parses the template file.
     *
     * @throws IOException naming the source and line of a line without a tab, a duplicate id or an unknown placeholder
     */
    public static CaptionTemplates parse(String source, String text) throws IOException {
        List<Template> out = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0 || line.substring(tab + 1).isBlank()) {
                throw new IOException(source + ": line " + (i + 1) + ": expected 'id<TAB>template', got '" + line + "'");
            }
            String id = line.substring(0, tab).strip();
            String body = line.substring(tab + 1).strip();
            if (!ids.add(id)) {
                throw new IOException(source + ": line " + (i + 1) + ": template id '" + id + "' appears twice");
            }
            Set<String> used = new LinkedHashSet<>();
            Matcher m = PLACEHOLDER.matcher(body);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw new IOException(source + ": line " + (i + 1) + ": unknown placeholder {" + m.group(1)
                            + "}; known: " + new java.util.TreeSet<>(PLACEHOLDERS));
                }
                used.add(m.group(1));
            }
            out.add(new Template(id, body, used));
        }
        if (out.isEmpty()) {
            throw new IOException(source + ": no templates");
        }
        return new CaptionTemplates(out);
    }

    /** The templates in file order (immutable); each has an id and a text with {@code {placeholders}}. */
    public List<Template> templates() {
        return templates;
    }

    /**
     * Renders every template whose placeholders all have non-blank values.
     *
     * @param values placeholder values except {@code town} and {@code town_country}
     * @param towns  towns for {@code {town}} templates, each as {@code {town, town_country}}; may be empty
     * @return captions in template order (town templates once per town, towns in the given order), no duplicates
     */
    public List<String> render(Map<String, String> values, List<Map.Entry<String, String>> towns) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (Template t : templates) {
            if (t.placeholders().contains("town")) {
                for (Map.Entry<String, String> town : towns) {
                    java.util.HashMap<String, String> v = new java.util.HashMap<>(values);
                    v.put("town", town.getKey());
                    v.put("town_country", town.getValue());
                    fill(t, v, out);
                }
            } else {
                fill(t, values, out);
            }
        }
        return List.copyOf(out);
    }

    private static void fill(Template t, Map<String, String> values, Set<String> out) {
        for (String p : t.placeholders()) {
            String v = values.get(p);
            if (v == null || v.isBlank()) {
                return;
            }
        }
        Matcher m = PLACEHOLDER.matcher(t.text());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1)).strip()));
        }
        m.appendTail(sb);
        out.add(clean(sb.toString()));
    }

    /** NFC, white space runs to one space, trimmed. */
    static String clean(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFC).replaceAll("\\s+", " ").strip();
    }
}
