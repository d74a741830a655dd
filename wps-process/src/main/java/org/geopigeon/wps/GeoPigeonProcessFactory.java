package org.geopigeon.wps;

import org.geotools.process.factory.AnnotatedBeanProcessFactory;
import org.geotools.util.SimpleInternationalString;

/**
 * Registers the {@code geopigeon:} processes with GeoTools (and so with GeoServer's WPS) through
 * META-INF/services/org.geotools.process.ProcessFactory; needs no GeoServer classes.
 */
public class GeoPigeonProcessFactory extends AnnotatedBeanProcessFactory {

    public static final String NAMESPACE = "geopigeon";

    public GeoPigeonProcessFactory() {
        super(new SimpleInternationalString("GeoPigeon image geolocation"), NAMESPACE, GeolocateProcess.class);
    }
}
