package org.geopigeon.wps;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.geopigeon.service.RequestContext;

/**
 * Who is calling, read by reflection from GeoServer's thread-locals when running inside GeoServer
 * (Spring Security's SecurityContextHolder, GeoServer's Dispatcher.REQUEST), so this module needs no
 * GeoServer or Spring dependency. Outside GeoServer: "anonymous", unknown address.
 *
 * <p>Methods are resolved on the public interfaces ({@code javax.servlet.http.HttpServletRequest},
 * Spring's {@code SecurityContext} and {@code Authentication}), never on the runtime class: servlet
 * containers and security filters wrap requests in non-public classes, whose methods reflection may not
 * call (IllegalAccessException), which used to turn the client address silently into null.
 *
 * <p>In asynchronous executions the principal is right (GeoServer copies the security context to the
 * worker thread) but the servlet request may already be recycled: the address is then best effort.
 */
final class CallerInfo {

    private static final String SERVLET_REQUEST = "javax.servlet.http.HttpServletRequest";
    private static final String JAKARTA_REQUEST = "jakarta.servlet.http.HttpServletRequest";

    private CallerInfo() {
    }

    static RequestContext current() {
        return new RequestContext(principal(), clientAddress());
    }

    static String principal() {
        try {
            Class<?> holder = load("org.springframework.security.core.context.SecurityContextHolder");
            Object context = holder.getMethod("getContext").invoke(null);
            Object auth = context == null ? null : call(context, "org.springframework.security.core.context.SecurityContext",
                    "getAuthentication");
            Object name = auth == null ? null : call(auth, "java.security.Principal", "getName");
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
            Object http = request == null ? null : call(request, "org.geoserver.ows.Request", "getHttpRequest");
            return http == null ? null : address(http);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /**
     * The remote address of a servlet request, with X-Forwarded-For when present (recorded, not trusted: a
     * client sets it unless a trusted proxy overwrites it).
     */
    static String address(Object httpRequest) throws ReflectiveOperationException {
        Class<?> api = servletInterface(httpRequest.getClass());
        if (api == null) {
            return null;
        }
        Object remote = api.getMethod("getRemoteAddr").invoke(httpRequest);
        Object forwarded = api.getMethod("getHeader", String.class).invoke(httpRequest, "X-Forwarded-For");
        return forwarded == null ? String.valueOf(remote) : remote + " (X-Forwarded-For: " + forwarded + ")";
    }

    /** The servlet request interface among everything {@code type} implements, or null. */
    private static Class<?> servletInterface(Class<?> type) {
        return findInterface(type, SERVLET_REQUEST, JAKARTA_REQUEST);
    }

    /** Calls a no-argument method as declared by the named public type that {@code target} is an instance of. */
    private static Object call(Object target, String declaringType, String method) throws ReflectiveOperationException {
        Class<?> api = declaringType.startsWith("java.") ? Class.forName(declaringType)
                : findType(target.getClass(), declaringType);
        if (api == null) {
            throw new NoSuchMethodException(declaringType + "." + method);
        }
        Method m = api.getMethod(method);
        return m.invoke(target);
    }

    /** The class or interface named {@code name} in {@code type}'s hierarchy, so it comes from the right loader. */
    private static Class<?> findType(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return findInterface(type, name);
    }

    private static Class<?> findInterface(Class<?> type, String... names) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            todo.add(c);
        }
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!seen.add(c)) {
                continue;
            }
            if (c.isInterface()) {
                for (String n : names) {
                    if (c.getName().equals(n)) {
                        return c;
                    }
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                todo.add(i);
            }
        }
        return null;
    }

    private static Class<?> load(String name) throws ClassNotFoundException {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, false, tccl != null ? tccl : CallerInfo.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Class.forName(name, false, CallerInfo.class.getClassLoader());
        }
    }
}
