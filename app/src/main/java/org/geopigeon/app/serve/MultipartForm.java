package org.geopigeon.app.serve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code multipart/form-data} body (RFC 7578). The body is already in memory and size-checked,
 * so parts are slices of it; at most {@value #MAX_PARTS} parts are accepted.
 */
record MultipartForm(List<Part> parts) {

    static final int MAX_PARTS = 32;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    /**
     * One form field or file.
     *
     * @param name        the field name
     * @param filename    the file name sent by the browser, or null for a text field
     * @param contentType the part's Content-Type, or null
     * @param data        the raw bytes
     */
    record Part(String name, String filename, String contentType, byte[] data) {

        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        boolean isFile() {
            return filename != null;
        }
    }

    MultipartForm {
        parts = List.copyOf(parts);
    }

    List<Part> all(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).toList();
    }

    /** The text of the first field called {@code name}, or null. */
    String text(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst().map(Part::text).orElse(null);
    }

    /** The boundary parameter of a multipart Content-Type, or null when this is not multipart/form-data. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length()).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70) {
                    throw malformed("boundary must be 1 to 70 characters, got '" + b + "'");
                }
                return b;
            }
        }
        throw malformed("Content-Type multipart/form-data has no boundary parameter");
    }

    /** @throws ApiException 400 naming what is wrong with the body */
    static MultipartForm parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw malformed("the body does not contain the boundary '" + boundary + "' (empty or not multipart)");
        }
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        pos += delimiter.length;
        while (true) {
            if (startsWith(body, pos, new byte[] {'-', '-'})) {
                return new MultipartForm(parts); // closing delimiter
            }
            if (!startsWith(body, pos, CRLF)) {
                throw malformed("a boundary line is not followed by CRLF at byte " + pos);
            }
            int headersStart = pos + 2;
            int headersEnd = indexOf(body, HEADER_END, headersStart);
            if (headersEnd < 0) {
                throw malformed("part " + (parts.size() + 1) + " has no end of headers (blank line)");
            }
            int dataStart = headersEnd + HEADER_END.length;
            int dataEnd = indexOf(body, next, dataStart);
            if (dataEnd < 0) {
                throw malformed("part " + (parts.size() + 1) + " is not closed by a boundary: the body is truncated");
            }
            if (parts.size() == MAX_PARTS) {
                throw malformed("more than " + MAX_PARTS + " parts");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            byte[] data = java.util.Arrays.copyOfRange(body, dataStart, dataEnd);
            parts.add(part(headers, data, parts.size() + 1));
            pos = dataEnd + next.length;
        }
    }

    private static Part part(String headers, byte[] data, int number) {
        String name = null;
        String filename = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("content-disposition")) {
                name = parameter(value, "name");
                filename = parameter(value, "filename");
            } else if (key.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null) {
            throw malformed("part " + number + " has no Content-Disposition name");
        }
        return new Part(name, filename, contentType, data);
    }

    /** A (possibly quoted) parameter of a Content-Disposition value; browsers escape quotes as %22. */
    private static String parameter(String disposition, String key) {
        for (String param : splitParams(disposition)) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase(key)) {
                String v = param.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
                }
                return v;
            }
        }
        return null;
    }

    /** Splits on ';' outside quotes (a file name may contain ';'). */
    private static List<String> splitParams(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static boolean startsWith(byte[] a, int at, byte[] prefix) {
        if (at + prefix.length > a.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] a, byte[] key, int from) {
        byte first = key[0];
        for (int i = Math.max(0, from), last = a.length - key.length; i <= last; i++) {
            if (a[i] == first && startsWith(a, i, key)) {
                return i;
            }
        }
        return -1;
    }

    private static ApiException malformed(String problem) {
        return new ApiException(400, "INVALID_MULTIPART", "malformed multipart/form-data body: " + problem);
    }
}
