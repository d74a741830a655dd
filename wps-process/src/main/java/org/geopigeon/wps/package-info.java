/**
 * The GeoServer WPS front end, and only it: {@code GeolocateProcess} ({@code geopigeon:Geolocate}, declared with
 * GeoTools' process annotations: GeoServer {@code RawData} images in, one service call,
 * {@code ResultFeatures} out as GeoTools features), {@code GeoPigeonProcessFactory} (registration with GeoTools'
 * process SPI; compiled for Java 11 so GeoServer on Java 11 disables only this process), {@code CallerInfo} (the
 * GeoServer user and client address, read from GeoServer's thread-locals) and {@code ProgressBridge} (the engine's
 * stages as WPS progress and cancellation).
 *
 * <p>Dependencies: this package -> {@code org.geopigeon.service} -> {@code engine}; GeoTools is provided by GeoServer.
 * Facts about GeoServer's WPS this follows: the project's shared notes on GeoServer WPS and docs/geoserver.md.
 */
package org.geopigeon.wps;
