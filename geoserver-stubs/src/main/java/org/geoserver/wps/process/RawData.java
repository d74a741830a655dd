package org.geoserver.wps.process;

import java.io.IOException;
import java.io.InputStream;

/**
 * Compile-time stand-in for GeoServer's {@code org.geoserver.wps.process.RawData} (gs-wps-core 2.27): the
 * same package, name and methods, nothing else. GeoServer's own interface is the one loaded at run time;
 * this jar is never shipped (scope provided, checked by plugin/verify-zip.sh).
 *
 * <p>GeoServer passes a process input of this type as the bytes the client sent: inline base64 complex
 * data already decoded, with the mime type of the Execute request. Synchronous requests get a stream
 * that can be read once (StreamRawData); asynchronous ones a temporary file in the WPS resource
 * directory (FileRawData), deleted with the execution's resources.
 */
public interface RawData {

    /** The mime type the client declared for the data (the ComplexData mimeType attribute). */
    String getMimeType();

    /** The data itself; for a synchronous request this may be called, and read, only once. */
    InputStream getInputStream() throws IOException;

    /** A file extension for the data, or null for GeoServer's default. */
    String getFileExtension();
}
