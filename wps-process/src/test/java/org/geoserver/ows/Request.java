package org.geoserver.ows;

/** Test stand-in for GeoServer's OWS request (only what CallerInfo reads). */
public class Request {

    private final Object httpRequest;

    public Request(Object httpRequest) {
        this.httpRequest = httpRequest;
    }

    public Object getHttpRequest() {
        return httpRequest;
    }
}
