package org.geopigeon.engine.captions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The caption fact files' format: UTF-8, one header line, tab-separated fields, no quoting (names never contain
 * tabs). Written by tools/make_caption_data.py; too simple to need a CSV library.
 */
final class Tsv {

    private Tsv() {
    }

    /** Data rows (header checked and dropped); each row has exactly {@code header.size()} fields. */
    static List<List<String>> rows(String source, String text, List<String> header) throws IOException {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !Arrays.asList(lines[0].split("\t", -1)).equals(header)) {
            throw new IOException(source + ": expected header " + String.join(",", header) + ", got '"
                    + (lines.length == 0 ? "" : lines[0]) + "'");
        }
        List<List<String>> out = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] f = lines[i].split("\t", -1);
            if (f.length != header.size()) {
                throw new IOException(source + ": line " + (i + 1) + " has " + f.length + " fields, expected " + header.size());
            }
            out.add(List.of(f));
        }
        return out;
    }
}
