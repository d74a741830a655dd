/**
 * Compile-only stand-in for GeoServer's {@code org.geoserver.wps.process} (gs-wps-core 2.27): just {@code RawData},
 * so {@code wps-process} compiles without GeoServer artifacts, which are not on Maven Central. Scope provided: the
 * plugin's verify-zip check fails if any {@code org.geoserver} class ships.
 */
package org.geoserver.wps.process;
