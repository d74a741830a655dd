package org.geopigeon.service.testing;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;

/**
 * Resolves OGC and W3C schema locations to the copies inside the ogc-schemas and w3c-schemas jars,
 * so validation never touches the network (the build machines have none, and CI must be repeatable).
 * Any other location fails loudly rather than silently fetching something.
 */
public final class OfflineSchemaResolver implements LSResourceResolver {

    /** Remote prefix -> classpath prefix. */
    private static final Map<String, String> PREFIXES = Map.of(
            "http://schemas.opengis.net/", "ogc/",
            "http://www.w3.org/", "w3c/");

    private final ClassLoader loader;

    OfflineSchemaResolver(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public LSInput resolveResource(String type, String namespaceUri, String publicId, String systemId, String baseUri) {
        if (systemId == null) {
            return null;
        }
        String absolute = absolute(systemId, baseUri);
        URL resource = loader.getResource(classpathPath(absolute));
        if (resource == null) {
            throw new IllegalStateException("schema " + absolute + " is not in the offline schema jars");
        }
        try {
            return new ClasspathInput(publicId, absolute, resource.openStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }

    /** Relative includes (e.g. expr.xsd from filter.xsd) are resolved against the remote URL, then mapped. */
    private static String absolute(String systemId, String baseUri) {
        if (baseUri == null || URI.create(systemId).isAbsolute()) {
            return systemId;
        }
        return URI.create(baseUri).resolve(systemId).toString();
    }

    static String classpathPath(String absoluteUrl) {
        for (Map.Entry<String, String> e : PREFIXES.entrySet()) {
            if (absoluteUrl.startsWith(e.getKey())) {
                return e.getValue() + absoluteUrl.substring(e.getKey().length());
            }
        }
        throw new IllegalStateException("schema location " + absoluteUrl
                + " is neither schemas.opengis.net nor www.w3.org; refusing to fetch it");
    }

    /** Minimal LSInput: the parser only needs the byte stream and the system id (the base for relative imports). */
    private record ClasspathInput(String publicId, String systemId, InputStream byteStream) implements LSInput {
        @Override public java.io.Reader getCharacterStream() { return null; }
        @Override public void setCharacterStream(java.io.Reader r) { throw new UnsupportedOperationException(); }
        @Override public InputStream getByteStream() { return byteStream; }
        @Override public void setByteStream(InputStream s) { throw new UnsupportedOperationException(); }
        @Override public String getStringData() { return null; }
        @Override public void setStringData(String s) { throw new UnsupportedOperationException(); }
        @Override public String getSystemId() { return systemId; }
        @Override public void setSystemId(String s) { throw new UnsupportedOperationException(); }
        @Override public String getPublicId() { return publicId; }
        @Override public void setPublicId(String s) { throw new UnsupportedOperationException(); }
        @Override public String getBaseURI() { return systemId; }
        @Override public void setBaseURI(String s) { throw new UnsupportedOperationException(); }
        @Override public String getEncoding() { return null; }
        @Override public void setEncoding(String s) { throw new UnsupportedOperationException(); }
        @Override public boolean getCertifiedText() { return false; }
        @Override public void setCertifiedText(boolean b) { throw new UnsupportedOperationException(); }
    }
}
