package org.geopigeon.app.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.geopigeon.app.serve.auth.ApiTokens;
import org.geopigeon.app.serve.auth.AuthMode;
import org.geopigeon.app.serve.auth.Role;

/**
 * Everything {@code geopigeon serve} can be told (docs/service.md, "Configuration").
 *
 * @param bind              listen address
 * @param port              TCP port (0: any free port)
 * @param authMode          tokens (default) or none on loopback
 * @param trustProxyUser    take the principal from a trusted proxy's {@code X-Remote-User}
 * @param proxyRole         role of proxy users whose proxy sends no {@code X-Remote-Role}
 * @param publicUrl         the URL clients use (behind a proxy), for links; null: from the Host header
 * @param maxImageBytes     image data per request, in bytes (all views together, after base64 decoding)
 * @param maxPixels         pixels per image (checked from the header before decoding)
 * @param maxConcurrent     geolocations computed at once (inference slots)
 * @param busyWait          how long a geolocation waits for a slot before 503 BUSY
 * @param storeDefault      store predictions when a request does not say
 * @param maxQueued         geolocations running or waiting at once; beyond: 503 BUSY at once
 * @param asyncQueue        asynchronous jobs waiting beyond the running ones
 * @param threads           HTTP worker threads
 * @param readTimeout       idle time allowed while reading a request (no byte for this long: closed)
 * @param headerTimeout     time allowed for a request's line and headers
 * @param minDataRate       slowest accepted upload, bytes per second (averaged over the upload)
 * @param maxBufferedBytes  memory for request bodies being received or processed at once
 * @param maxDrainBytes     most bytes of a refused body read and discarded so the client sees the answer
 * @param jobRetention      how long finished jobs and their results are kept
 * @param allowedHrefHosts  hosts inputs may be fetched from by reference (empty: references refused)
 * @param hrefTimeout       connect and read timeout of such fetches
 * @param echoProcess       offer the {@code echo} conformance process
 * @param basemapUrl        XYZ tile URL template for the viewer's background ({z}/{x}/{y}), or null: offline outlines
 * @param basemapAttribution attribution shown with the tiles, or null
 * @param multipartCacheDir where Jetty would spill multipart parts larger than the in-memory limit; the limit is
 *                          the upload limit, so nothing is ever written there (tests watch it)
 * @param tokenCacheTtl     how long a valid token is remembered (a revocation takes effect within it)
 */
public record ServerSettings(String bind, int port, AuthMode authMode, boolean trustProxyUser, Role proxyRole,
                             String publicUrl, long maxImageBytes, long maxPixels, int maxConcurrent,
                             Duration busyWait, boolean storeDefault, int maxQueued, int asyncQueue, int threads,
                             Duration readTimeout, Duration headerTimeout, long minDataRate, long maxBufferedBytes,
                             long maxDrainBytes, Duration jobRetention, Set<String> allowedHrefHosts,
                             Duration hrefTimeout, boolean echoProcess, String basemapUrl, String basemapAttribution,
                             Path multipartCacheDir, Duration tokenCacheTtl) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_IMAGE_BYTES = 25L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 80_000_000L;
    /** Room in an upload body for the JSON or multipart envelope and the other inputs. */
    public static final long ENVELOPE_BYTES = 1024 * 1024;

    public ServerSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(authMode, "authMode");
        Objects.requireNonNull(proxyRole, "proxyRole");
        allowedHrefHosts = Set.copyOf(allowedHrefHosts);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxImageBytes < 1024) {
            throw new IllegalArgumentException("the image size limit must be at least 1 KiB, got " + maxImageBytes);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        if (maxQueued < maxConcurrent) {
            throw new IllegalArgumentException("maxQueued (" + maxQueued + ") must be at least maxConcurrent ("
                    + maxConcurrent + ")");
        }
        if (threads < maxQueued + 8) {
            throw new IllegalArgumentException("threads (" + threads + ") must exceed maxQueued (" + maxQueued
                    + ") by 8, so viewer, job and health requests keep flowing while geolocations wait");
        }
        if (asyncQueue < 0) {
            throw new IllegalArgumentException("asyncQueue must not be negative, got " + asyncQueue);
        }
        if (minDataRate < 0) {
            throw new IllegalArgumentException("minDataRate must not be negative, got " + minDataRate);
        }
        if (maxBufferedBytes < maxUploadBody(maxImageBytes)) {
            throw new IllegalArgumentException("the upload memory (" + (maxBufferedBytes >> 20) + " MiB) must hold at"
                    + " least one upload of " + (maxUploadBody(maxImageBytes) >> 20) + " MiB");
        }
        if (basemapUrl != null && !basemapUrl.matches("https?://.*\\{z}.*\\{x}.*\\{y}.*")) {
            throw new IllegalArgumentException("the basemap URL must be an http(s) XYZ template with {z}, {x} and {y},"
                    + " got '" + basemapUrl + "'");
        }
    }

    /**
     * The largest upload body: base64 in JSON makes images 4/3 larger, plus {@link #ENVELOPE_BYTES} for the
     * rest of the request. 25 MiB of images allow a 34.3 MiB body.
     */
    public static long maxUploadBody(long maxImageBytes) {
        return (maxImageBytes * 4 + 2) / 3 + ENVELOPE_BYTES;
    }

    /** The largest request body for this image limit, in bytes ({@link #maxUploadBody(long)}). */
    public long maxUploadBody() {
        return maxUploadBody(maxImageBytes);
    }

    /** Local defaults (docs/service.md): loopback, tokens required, 25 MiB images, 2 inference slots. */
    public static ServerSettings defaults() {
        long image = DEFAULT_MAX_IMAGE_BYTES;
        return new ServerSettings(DEFAULT_BIND, DEFAULT_PORT, AuthMode.REQUIRED, false, Role.ANALYST, null, image,
                DEFAULT_MAX_PIXELS, 2, Duration.ofSeconds(30), true, 32, 8, 64, Duration.ofSeconds(10),
                Duration.ofSeconds(10), 16 * 1024, defaultBuffered(image), 1024L * 1024 * 1024,
                Duration.ofHours(24), Set.of(), Duration.ofSeconds(20), false, null, null,
                Path.of(System.getProperty("java.io.tmpdir")), ApiTokens.CACHE_TTL);
    }

    /** 20 uploads at the limit, but at most a third of the Java heap (and never less than one upload). */
    static long defaultBuffered(long maxImageBytes) {
        long one = maxUploadBody(maxImageBytes);
        return Math.max(one, Math.min(20 * one, Runtime.getRuntime().maxMemory() / 3));
    }

    /** The same settings on another port (0: any free one). */
    public ServerSettings withPort(int p) {
        return toBuilder().port(p).build();
    }

    /** A builder starting from these settings; {@link Builder#build()} checks the result again. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few settings of an existing record. */
    public static final class Builder {
        private String bind;
        private int port;
        private AuthMode authMode;
        private boolean trustProxyUser;
        private Role proxyRole;
        private String publicUrl;
        private long maxImageBytes;
        private long maxPixels;
        private int maxConcurrent;
        private Duration busyWait;
        private boolean storeDefault;
        private int maxQueued;
        private int asyncQueue;
        private int threads;
        private Duration readTimeout;
        private Duration headerTimeout;
        private long minDataRate;
        private long maxBufferedBytes;
        private long maxDrainBytes;
        private Duration jobRetention;
        private Set<String> allowedHrefHosts;
        private Duration hrefTimeout;
        private boolean echoProcess;
        private String basemapUrl;
        private String basemapAttribution;
        private Path multipartCacheDir;
        private Duration tokenCacheTtl;

        private Builder(ServerSettings s) {
            bind = s.bind;
            port = s.port;
            authMode = s.authMode;
            trustProxyUser = s.trustProxyUser;
            proxyRole = s.proxyRole;
            publicUrl = s.publicUrl;
            maxImageBytes = s.maxImageBytes;
            maxPixels = s.maxPixels;
            maxConcurrent = s.maxConcurrent;
            busyWait = s.busyWait;
            storeDefault = s.storeDefault;
            maxQueued = s.maxQueued;
            asyncQueue = s.asyncQueue;
            threads = s.threads;
            readTimeout = s.readTimeout;
            headerTimeout = s.headerTimeout;
            minDataRate = s.minDataRate;
            maxBufferedBytes = s.maxBufferedBytes;
            maxDrainBytes = s.maxDrainBytes;
            jobRetention = s.jobRetention;
            allowedHrefHosts = s.allowedHrefHosts;
            hrefTimeout = s.hrefTimeout;
            echoProcess = s.echoProcess;
            basemapUrl = s.basemapUrl;
            basemapAttribution = s.basemapAttribution;
            multipartCacheDir = s.multipartCacheDir;
            tokenCacheTtl = s.tokenCacheTtl;
        }

        /** The listen address, e.g. {@code 127.0.0.1} or {@code 0.0.0.0} (non-null). */
        public Builder bind(String v) { bind = v; return this; }
        /** The TCP port, 0-65535 (0: any free port). */
        public Builder port(int v) { port = v; return this; }
        /** Tokens required, or none on loopback ({@link AuthMode}). */
        public Builder authMode(AuthMode v) { authMode = v; return this; }
        /** Whether to take the principal from a trusted proxy's {@code X-Remote-User}. */
        public Builder trustProxyUser(boolean v) { trustProxyUser = v; return this; }
        /** The role of proxy users whose proxy sends no {@code X-Remote-Role} (non-null). */
        public Builder proxyRole(Role v) { proxyRole = v; return this; }
        /** The URL clients reach the service at, for links; null: from the Host header. */
        public Builder publicUrl(String v) { publicUrl = v; return this; }
        /** Also resets the upload memory to its default for this limit (set it after, to change it). */
        public Builder maxImageBytes(long v) {
            maxImageBytes = v;
            maxBufferedBytes = defaultBuffered(v);
            return this;
        }
        /** Pixels per image, checked from the header before decoding. */
        public Builder maxPixels(long v) { maxPixels = v; return this; }
        /** Geolocations computed at once (inference slots), at least 1. */
        public Builder maxConcurrent(int v) { maxConcurrent = v; return this; }
        /** How long a geolocation waits for a slot before 503 BUSY. */
        public Builder busyWait(Duration v) { busyWait = v; return this; }
        /** Whether predictions are stored when a request does not say. */
        public Builder storeDefault(boolean v) { storeDefault = v; return this; }
        /** Geolocations running or waiting at once (at least {@code maxConcurrent}); beyond: 503 BUSY. */
        public Builder maxQueued(int v) { maxQueued = v; return this; }
        /** Asynchronous jobs waiting beyond the running ones, at least 0. */
        public Builder asyncQueue(int v) { asyncQueue = v; return this; }
        /** HTTP worker threads; must exceed {@code maxQueued} by 8. */
        public Builder threads(int v) { threads = v; return this; }
        /** Idle time allowed while reading a request (no byte for this long: closed). */
        public Builder readTimeout(Duration v) { readTimeout = v; return this; }
        /** Time allowed for a request's line and headers. */
        public Builder headerTimeout(Duration v) { headerTimeout = v; return this; }
        /** The slowest accepted upload, in bytes per second averaged over the upload (0: no minimum). */
        public Builder minDataRate(long v) { minDataRate = v; return this; }
        /** Memory for request bodies in flight, in bytes ({@link org.geopigeon.app.serve.http.UploadBudget}). */
        public Builder maxBufferedBytes(long v) { maxBufferedBytes = v; return this; }
        /** Most bytes of a refused body read and discarded so the client sees the answer. */
        public Builder maxDrainBytes(long v) { maxDrainBytes = v; return this; }
        /** How long finished jobs and their results are kept (audit rows stay). */
        public Builder jobRetention(Duration v) { jobRetention = v; return this; }
        /** Hosts inputs may be fetched from by reference ({@code *.example.org} allows subdomains); empty: none. */
        public Builder allowedHrefHosts(Set<String> v) { allowedHrefHosts = v; return this; }
        /** Connect and read timeout of fetches by reference. */
        public Builder hrefTimeout(Duration v) { hrefTimeout = v; return this; }
        /** Whether to offer the {@code echo} conformance process. */
        public Builder echoProcess(boolean v) { echoProcess = v; return this; }
        /**
         * The viewer's background: an XYZ tile URL template ({z}/{x}/{y}) and its attribution; null url: offline
         * outlines only.
         */
        public Builder basemap(String url, String attribution) { basemapUrl = url; basemapAttribution = attribution; return this; }
        /** Where Jetty would spill large multipart parts (never used: the in-memory limit is the upload limit). */
        public Builder multipartCacheDir(Path v) { multipartCacheDir = v; return this; }
        /** How long a valid token is remembered; a revocation takes effect within it. */
        public Builder tokenCacheTtl(Duration v) { tokenCacheTtl = v; return this; }

        /** @throws IllegalArgumentException naming the setting that is out of range */
        public ServerSettings build() {
            return new ServerSettings(bind, port, authMode, trustProxyUser, proxyRole, publicUrl, maxImageBytes,
                    maxPixels, maxConcurrent, busyWait, storeDefault, maxQueued, asyncQueue, threads, readTimeout,
                    headerTimeout, minDataRate, maxBufferedBytes, maxDrainBytes, jobRetention, allowedHrefHosts,
                    hrefTimeout, echoProcess, basemapUrl, basemapAttribution, multipartCacheDir, tokenCacheTtl);
        }
    }
}
