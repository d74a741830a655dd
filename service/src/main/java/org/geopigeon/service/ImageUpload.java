package org.geopigeon.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * One image as a client sent it, not decoded: its bytes (or a stream of them), the media type the client
 * declared, and a file name when there is one. The service reads, checks and decodes it
 * ({@link AuditedGeolocation}); front ends never decode.
 *
 * @param fileName  the client's file name, only for messages (never stored or audited); null when none
 * @param mediaType the declared media type (e.g. {@code image/jpeg}, parameters allowed); null or
 *                  {@code application/octet-stream} when the client declared none
 * @param source    where the bytes come from; read at most once
 */
public record ImageUpload(String fileName, String mediaType, Source source) {

    /** The bytes of an upload. Streams from GeoServer (synchronous WPS requests) can be opened only once. */
    @FunctionalInterface
    public interface Source {
        /** @throws IOException when the bytes cannot be read; the service refuses the image */
        InputStream open() throws IOException;
    }

    /** Bytes already in memory (an HTTP body part): read without a copy. */
    record InMemory(byte[] bytes) implements Source {
        InMemory {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /**
     * A local file, opened when the service reads it; a record so the service can tell a folder given by mistake
     * from an unreadable file ({@link ImageRules#read}).
     *
     * @param file the path as the user gave it
     */
    record LocalFile(Path file) implements Source {
        LocalFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }

    public ImageUpload {
        Objects.requireNonNull(source, "source");
        fileName = fileName == null || fileName.isBlank() ? null : fileName;
        mediaType = mediaType == null || mediaType.isBlank() ? null : mediaType.trim();
    }

    /** An upload whose bytes are in memory; {@code bytes} is not copied and must not change afterwards. */
    public static ImageUpload of(byte[] bytes, String mediaType, String fileName) {
        return new ImageUpload(fileName, mediaType, new InMemory(bytes));
    }

    /** An upload read from a stream when the service needs it (e.g. GeoServer's RawData). */
    public static ImageUpload ofStream(Source source, String mediaType, String fileName) {
        return new ImageUpload(fileName, mediaType, source);
    }

    /** A local file (the command line): no declared media type, the file name for messages. */
    public static ImageUpload ofFile(Path file) {
        return ofFile(file, null);
    }

    /**
     * A local file with a media type (the CLI names the one the file's magic bytes give), read when the service
     * needs it; the path is the file name in messages. A folder is refused as
     * {@link ImageProblem#UNREADABLE} with {@link org.geopigeon.engine.image.ImageDecoder#IS_A_DIRECTORY}.
     *
     * @param mediaType the declared type, or null for none
     */
    public static ImageUpload ofFile(Path file, String mediaType) {
        return new ImageUpload(file.toString(), mediaType, new LocalFile(file));
    }

    /**
     * The declared media type without parameters, lower case; null when none was declared
     * ({@code application/octet-stream} declares nothing).
     */
    public String declaredType() {
        if (mediaType == null) {
            return null;
        }
        String t = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return t.isEmpty() || t.equals("application/octet-stream") ? null : t;
    }
}
