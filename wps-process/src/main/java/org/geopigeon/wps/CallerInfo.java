package org.geopigeon.wps;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.geopigeon.service.RequestContext;

/**
 * Who is calling, read by reflection from GeoServer's thread-locals when running inside GeoServer
 * (Spring Security's SecurityContextHolder, GeoServer's Dispatcher.REQUEST), so this module needs no
 * GeoServer or Spring dependency. Outside GeoServer: "anonymous", unknown address.
 */
final class CallerInfo {

    private CallerInfo() {
    }

    static RequestContext current() {
        return new RequestContext(principal(), clientAddress());
    }

    static String principal() {
        try {
            Object context = invokeStatic("org.springframework.security.core.context.SecurityContextHolder", "getContext");
            Object auth = context == null ? null : invoke(context, "getAuthentication");
            Object name = auth == null ? null : invoke(auth, "getName");
            return name == null ? "anonymous" : name.toString();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "anonymous";
        }
    }

    static String clientAddress() {
        try {
            Class<?> dispatcher = load("org.geoserver.ows.Dispatcher");
            Field f = dispatcher.getField("REQUEST");
            Object request = ((ThreadLocal<?>) f.get(null)).get();
            Object http = request == null ? null : invoke(request, "getHttpRequest");
            if (http == null) {
                return null;
            }
            Object forwarded = http.getClass().getMethod("getHeader", String.class).invoke(http, "X-Forwarded-For");
            Object remote = invoke(http, "getRemoteAddr");
            // Record both: X-Forwarded-For is client-controlled unless a trusted proxy sets it.
            return forwarded == null ? String.valueOf(remote) : remote + " (X-Forwarded-For: " + forwarded + ")";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static Class<?> load(String name) throws ClassNotFoundException {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, tccl != null ? tccl : CallerInfo.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Class.forName(name, false, CallerInfo.class.getClassLoader());
        }
    }

    private static Object invokeStatic(String className, String method) throws ReflectiveOperationException {
        Method m = load(className).getMethod(method);
        return m.invoke(null);
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        return target.getClass().getMethod(method).invoke(target);
    }
}
