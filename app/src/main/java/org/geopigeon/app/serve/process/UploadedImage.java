package org.geopigeon.app.serve.process;

import java.util.Objects;

/**
 * An image as received, not yet decoded.
 *
 * @param bytes     the encoded file
 * @param mediaType the media type the client declared, or null (the decoder judges the bytes either way)
 * @param name      name used in messages: the file name, or "image 2 of 4"
 */
public record UploadedImage(byte[] bytes, String mediaType, String name) {

    public UploadedImage {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(name, "name");
    }
}
