package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body into memory, refusing bodies over a size limit before buffering them. */
final class BodyReader {

    private final long maxBytes;

    BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** @throws ApiException 413 when the declared or actual length exceeds the limit */
    byte[] read(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                long n = Long.parseLong(declared.trim());
                if (n > maxBytes) {
                    throw tooLarge(n + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "INVALID_REQUEST", "Content-Length is not a number: '" + declared + "'");
            }
        }
        // Chunked uploads have no declared length: count while reading.
        try (InputStream in = exchange.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge("more than " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private ApiException tooLarge(String size) {
        return new ApiException(413, "TOO_LARGE", "request body is " + size + "; the limit is " + maxBytes
                + " bytes (" + (maxBytes / (1024 * 1024)) + " MiB, see --max-upload-mb)");
    }
}
