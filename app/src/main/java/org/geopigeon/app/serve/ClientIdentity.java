package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetSocketAddress;
import org.geopigeon.service.RequestContext;

/**
 * Who is asking, for the audit log. The client address is always the socket peer. The principal is
 * the {@value #USER_HEADER} header only when the operator said a trusted reverse proxy sets it
 * ({@code --trust-proxy-user}); otherwise anyone could claim any name, so it is "anonymous".
 */
final class ClientIdentity {

    static final String USER_HEADER = "X-Remote-User";
    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final int MAX_HEADER_CHARS = 256;

    private final boolean trustProxyUser;

    ClientIdentity(boolean trustProxyUser) {
        this.trustProxyUser = trustProxyUser;
    }

    RequestContext of(HttpExchange exchange) {
        String principal = trustProxyUser ? clean(exchange.getRequestHeaders().getFirst(USER_HEADER)) : null;
        InetSocketAddress peer = exchange.getRemoteAddress();
        String address = peer == null || peer.getAddress() == null ? null : peer.getAddress().getHostAddress();
        return new RequestContext(principal, address);
    }

    /** The proxy's X-Forwarded-For, recorded next to the peer address (never instead of it), or null. */
    static String forwardedFor(HttpExchange exchange) {
        return clean(exchange.getRequestHeaders().getFirst(FORWARDED_FOR));
    }

    /** Trims, drops control characters and caps the length, so a header cannot forge log lines. */
    private static String clean(String v) {
        if (v == null) {
            return null;
        }
        String s = v.replaceAll("\\p{Cntrl}", "").strip();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() > MAX_HEADER_CHARS ? s.substring(0, MAX_HEADER_CHARS) : s;
    }
}
