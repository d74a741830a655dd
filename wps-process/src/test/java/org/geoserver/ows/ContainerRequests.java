package org.geoserver.ows;

import java.lang.reflect.Proxy;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;

/**
 * Servlet requests as GeoServer sees them behind a container or security filter: wrapped in a class that is not
 * public, so its methods can only be called through the servlet interface.
 */
public final class ContainerRequests {

    private ContainerRequests() {
    }

    public static HttpServletRequest wrapped(String remoteAddress, Map<String, String> headers) {
        HttpServletRequest inner = (HttpServletRequest) Proxy.newProxyInstance(ContainerRequests.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> remoteAddress;
                    case "getHeader" -> headers.get((String) args[0]);
                    default -> null;
                });
        return new Wrapped(inner);
    }

    /** Like a container's request facade: not public. */
    private static final class Wrapped extends HttpServletRequestWrapper {
        Wrapped(HttpServletRequest inner) {
            super(inner);
        }

        @Override
        public String getRemoteAddr() {
            return super.getRemoteAddr();
        }

        @Override
        public String getHeader(String name) {
            return super.getHeader(name);
        }
    }
}
