package org.geopigeon.wps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.geoserver.ows.ContainerRequests;
import org.geoserver.ows.Dispatcher;
import org.geoserver.ows.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client address is read through the servlet interface, whatever class the container wraps it in. */
class CallerInfoTest {

    @AfterEach
    void clear() {
        Dispatcher.REQUEST.remove();
    }

    private static HttpServletRequest wrapped(String remote, Map<String, String> headers) {
        return ContainerRequests.wrapped(remote, headers);
    }

    @Test
    void theAddressOfAWrappedRequestIsFoundThroughTheServletInterface() {
        HttpServletRequest http = wrapped("198.51.100.4", Map.of());
        assertThrows(IllegalAccessException.class, () -> http.getClass().getMethod("getRemoteAddr").invoke(http),
                "calling through the runtime class fails, as the address lookup used to");

        Dispatcher.REQUEST.set(new Request(http));
        assertEquals("198.51.100.4", CallerInfo.clientAddress());
        assertEquals("198.51.100.4", CallerInfo.current().clientAddress());
    }

    @Test
    void forwardedForIsRecordedBesideTheSocketAddressNotInsteadOfIt() {
        Dispatcher.REQUEST.set(new Request(wrapped("10.0.0.2", Map.of("X-Forwarded-For", "203.0.113.9"))));
        assertEquals("10.0.0.2 (X-Forwarded-For: 203.0.113.9)", CallerInfo.clientAddress());
    }

    @Test
    void outsideAGeoServerRequestTheAddressIsUnknownAndTheCallerAnonymous() {
        assertNull(CallerInfo.clientAddress());
        Dispatcher.REQUEST.set(new Request("not a servlet request"));
        assertNull(CallerInfo.clientAddress());
        assertEquals("anonymous", CallerInfo.principal(), "no Spring Security here");
    }
}
