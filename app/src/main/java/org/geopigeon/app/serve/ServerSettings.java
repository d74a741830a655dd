package org.geopigeon.app.serve;

import java.time.Duration;

/**
 * How the HTTP service runs.
 *
 * @param bind            address to listen on (127.0.0.1 by default: put a reverse proxy with authentication in front)
 * @param port            TCP port, 0 for any free one
 * @param trustProxyUser  take the principal from X-Remote-User (only behind a proxy that sets it and strips clients')
 * @param maxUploadBytes  largest request body accepted (413 above)
 * @param maxPixels       largest image accepted, width x height as its header declares (413 above)
 * @param maxConcurrent   inferences at once (decoded pixels in flight are bounded by the service's budget)
 * @param busyWait        how long a request waits for a free slot before 503 BUSY
 * @param storeDefault    store predictions when the request does not say
 * @param threads         HTTP worker threads (health and viewer requests keep flowing while uploads run)
 */
public record ServerSettings(String bind, int port, boolean trustProxyUser, long maxUploadBytes, long maxPixels,
                             int maxConcurrent, Duration busyWait, boolean storeDefault, int threads) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 80_000_000L;

    public ServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive, got " + maxUploadBytes);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        if (threads < maxConcurrent + 1) {
            throw new IllegalArgumentException("threads must exceed maxConcurrent (" + maxConcurrent
                    + ") so the viewer and health checks stay responsive, got " + threads);
        }
    }

    /** Local defaults: 127.0.0.1:8080, 25 MiB uploads, 80 MP images, 2 at once, 30 s busy wait, store on. */
    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_BIND, DEFAULT_PORT, false, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_PIXELS, 2,
                Duration.ofSeconds(30), true, 8);
    }

    public ServerSettings withPort(int p) {
        return new ServerSettings(bind, p, trustProxyUser, maxUploadBytes, maxPixels, maxConcurrent, busyWait,
                storeDefault, threads);
    }

    public ServerSettings withTrustProxyUser(boolean trust) {
        return new ServerSettings(bind, port, trust, maxUploadBytes, maxPixels, maxConcurrent, busyWait, storeDefault,
                threads);
    }

    public ServerSettings withMaxUploadBytes(long bytes) {
        return new ServerSettings(bind, port, trustProxyUser, bytes, maxPixels, maxConcurrent, busyWait, storeDefault,
                threads);
    }
}
