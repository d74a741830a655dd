package org.geoserver.ows;

/** Test stand-in for GeoServer's dispatcher thread-local holding the current OWS request. */
public final class Dispatcher {

    public static final ThreadLocal<Request> REQUEST = new InheritableThreadLocal<>();

    private Dispatcher() {
    }
}
