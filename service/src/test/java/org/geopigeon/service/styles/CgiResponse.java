package org.geopigeon.service.styles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Output of a CGI program: header lines, a blank line, then the body bytes. */
record CgiResponse(List<String> headers, byte[] body) {

    CgiResponse {
        headers = List.copyOf(headers);
    }

    static CgiResponse parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int skip = 4;
        if (end < 0) {
            end = indexOf(raw, "\n\n".getBytes(StandardCharsets.US_ASCII));
            skip = 2;
        }
        if (end < 0) {
            throw new IllegalArgumentException("CGI output has no header/body separator: "
                    + new String(raw, 0, Math.min(raw.length, 500), StandardCharsets.UTF_8));
        }
        List<String> headers = new ArrayList<>();
        for (String line : new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            if (!line.isBlank()) {
                headers.add(line.trim());
            }
        }
        return new CgiResponse(headers, Arrays.copyOfRange(raw, end + skip, raw.length));
    }

    /** Value of the Content-Type header, or "" when absent. */
    String contentType() {
        for (String h : headers) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                return h.substring("content-type:".length()).trim();
            }
        }
        return "";
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
