package org.geopigeon.wps;

import org.geotools.process.factory.AnnotatedBeanProcessFactory;
import org.geotools.util.SimpleInternationalString;

/**
 * Registers the {@code geopigeon:} processes with GeoTools (and so with GeoServer's WPS) through
 * META-INF/services/org.geotools.process.ProcessFactory; needs no GeoServer classes.
 *
 * <p>This class alone is compiled for Java 11 (class-file version 55; see wps-process/pom.xml) and names the
 * process class only by its name. GeoServer 2.27 also runs on Java 11, and GeoTools' factory scan does not
 * catch {@link UnsupportedClassVersionError}: a Java 17 class in the services file would make every WPS
 * process of the server disappear. Compiled for 11, this constructor runs on Java 11 and refuses with a
 * message naming Java 17; GeoTools logs that this factory "could not be instantiated" and skips only it.
 * plugin/verify-zip.sh checks the class-file version; keep this class free of references to our Java 17 code.
 */
public class GeoPigeonProcessFactory extends AnnotatedBeanProcessFactory {

    public static final String NAMESPACE = "geopigeon";
    /** The Java version the rest of GeoPigeon is compiled for. */
    static final int REQUIRED_JAVA = 17;
    private static final String[] PROCESSES = {"org.geopigeon.wps.GeolocateProcess"};

    public GeoPigeonProcessFactory() {
        super(new SimpleInternationalString("GeoPigeon image geolocation"), NAMESPACE, processClasses());
    }

    /** Checks the runtime first, then loads the processes (Java 17 class files) by name. */
    private static Class<?>[] processClasses() {
        requireJava(Runtime.version().feature());
        Class<?>[] classes = new Class<?>[PROCESSES.length];
        for (int i = 0; i < PROCESSES.length; i++) {
            try {
                classes[i] = Class.forName(PROCESSES[i], true, GeoPigeonProcessFactory.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("GeoPigeon is installed incompletely: " + PROCESSES[i]
                        + " is missing; copy all jars of the GeoPigeon extension zip into WEB-INF/lib", e);
            }
        }
        return classes;
    }

    /**
     * @param feature the running Java's feature version ({@code Runtime.version().feature()})
     * @throws UnsupportedOperationException below Java 17, naming it
     */
    static void requireJava(int feature) {
        if (feature < REQUIRED_JAVA) {
            throw new UnsupportedOperationException("GeoPigeon (WPS process geopigeon:Geolocate) needs Java "
                    + REQUIRED_JAVA + " or newer, but this GeoServer runs on Java " + feature + "; run GeoServer"
                    + " on Java 17 to use it. The other WPS processes are not affected.");
        }
    }
}
