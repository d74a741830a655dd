package org.geopigeon.app.serve.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.geopigeon.app.serve.http.ProblemException;

/**
 * Fetches inputs given by reference ({@code {"href": ...}}). A server that fetches any URL a client names
 * can be made to read internal services (server-side request forgery), so references are refused unless
 * the administrator allowed their host ({@code --allow-href-host}, empty by default). Only http and https;
 * redirects are not followed (they could lead to a host that is not allowed); the body is bounded.
 */
public final class HrefFetcher {

    private final Set<String> allowedHosts;
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param allowedHosts host names (lower case) whose URLs may be fetched; {@code *.example.org} allows the
     *                     subdomains of example.org
     * @param timeout      connect and response timeout
     */
    public HrefFetcher(Set<String> allowedHosts, Duration timeout) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Whether any host is allowed ({@code --allow-href-host}); when not, every input by reference is refused. */
    public boolean enabled() {
        return !allowedHosts.isEmpty();
    }

    /** The fetched body and its media type. */
    public record Fetched(byte[] bytes, String mediaType) {
    }

    /**
     * @param what     the input named in messages, e.g. "input 'image' (value 1)"
     * @param maxBytes largest body accepted
     * @throws ProblemException 400 HREF_NOT_ALLOWED for a host that is not allowed, 400 HREF_FAILED when the
     *                          fetch fails, 413 when the body is too large
     */
    public Fetched fetch(URI href, String what, long maxBytes) {
        checkAllowed(href, what);
        HttpRequest request = HttpRequest.newBuilder(href).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ProblemException.of(400, "HREF_FAILED", what + ": " + href + " could not be fetched: "
                    + fetchProblem(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.of(503, "CANCELLED", what + ": the fetch of " + href + " was interrupted");
        }
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            if (status / 100 != 2) {
                throw ProblemException.of(400, "HREF_FAILED", what + ": " + href + " answered HTTP " + status
                        + (status / 100 == 3 ? " (redirects are not followed)" : ""));
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw tooLarge(href, what, maxBytes);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw tooLarge(href, what, maxBytes);
            }
            return new Fetched(body, response.headers().firstValue("Content-Type").orElse(null));
        } catch (IOException e) {
            throw ProblemException.of(400, "HREF_FAILED", what + ": reading " + href + " failed: "
                    + fetchProblem(e));
        }
    }

    /** Why a fetch failed, in user terms; the HTTP client's message may name Java classes, so it is not shown. */
    static String fetchProblem(IOException e) {
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused or the host cannot be reached";
        }
        if (e instanceof java.net.UnknownHostException
                || e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
            return "the host name cannot be resolved";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "the TLS handshake failed";
        }
        return "the connection failed";
    }

    /** @throws ProblemException 400 HREF_NOT_ALLOWED */
    public void checkAllowed(URI href, String what) {
        String scheme = href.getScheme() == null ? "" : href.getScheme().toLowerCase(Locale.ROOT);
        String host = href.getHost() == null ? "" : href.getHost().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ProblemException.of(400, "HREF_NOT_ALLOWED", what + ": only http and https references can be"
                    + " fetched, not '" + scheme + "'");
        }
        if (!allowed(host)) {
            throw ProblemException.of(400, "HREF_NOT_ALLOWED", what + ": inputs by reference are "
                    + (allowedHosts.isEmpty() ? "disabled on this server" : "allowed only from "
                    + String.join(", ", allowedHosts.stream().sorted().toList())) + ", not from '" + host + "'"
                    + " (an administrator allows hosts with --allow-href-host); send the value inline instead");
        }
    }

    private boolean allowed(String host) {
        for (String a : allowedHosts) {
            if (a.equals(host) || a.startsWith("*.") && host.endsWith(a.substring(1))) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException tooLarge(URI href, String what, long maxBytes) {
        return ProblemException.of(413, "TOO_LARGE", what + ": " + href + " is larger than " + maxBytes + " bytes");
    }
}
