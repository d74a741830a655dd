package org.geopigeon.wps;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.geoserver.wps.process.RawData;

/**
 * RawData as GeoServer's StreamRawData gives it to a process in a synchronous Execute: the declared mime
 * type and the request's data as a stream that can be read once. A second call fails the test.
 */
public final class StreamRawData implements RawData {

    private final String mimeType;
    private final InputStream stream;
    private final AtomicInteger opened = new AtomicInteger();

    public StreamRawData(String mimeType, byte[] data) {
        this.mimeType = mimeType;
        this.stream = new ByteArrayInputStream(data);
    }

    @Override
    public String getMimeType() {
        return mimeType;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (opened.incrementAndGet() > 1) {
            throw new IOException("the request stream was already read");
        }
        return stream;
    }

    @Override
    public String getFileExtension() {
        return null;
    }

    /** How often the process asked for the stream. */
    public int timesOpened() {
        return opened.get();
    }
}
