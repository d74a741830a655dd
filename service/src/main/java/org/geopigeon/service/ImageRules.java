package org.geopigeon.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Map;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageFormat;
import org.geopigeon.engine.image.ImageHeader;
import org.geopigeon.engine.image.ImageLimits;
import org.geopigeon.engine.image.ImageRejectedException;

/**
 * The one set of size and type rules for every front end: what the CLI accepts, the HTTP service and the
 * WPS process accept too. Checked in this order, each before anything more expensive happens:
 * <ol>
 *   <li>bytes: not empty and at most {@link #maxBytes()} (read with that bound, so an oversized stream is
 *       never held whole);</li>
 *   <li>format from the magic bytes: JPEG, PNG or WebP, and the declared media type, when there is one, must
 *       name that format (both are said in the message);</li>
 *   <li>header dimensions: at most {@link #maxPixels()} (decompression bombs) and at least
 *       {@link #minSide()} on each side;</li>
 *   <li>only then decoding, by the engine's {@link ImageDecoder} with the same limits (orientation, colour
 *       rules, truncation).</li>
 * </ol>
 *
 * @param minSide   smallest width and height accepted, in pixels: below 32 there is nothing to geolocate
 *                  (tracking pixels, icons), and CLIP's 224-336 px input would be a blur of a few pixels
 * @param maxPixels largest width x height a header may declare
 * @param maxBytes  largest encoded size of one image, in bytes
 */
public record ImageRules(int minSide, long maxPixels, long maxBytes) {

    /** See {@link #minSide()}. */
    public static final int DEFAULT_MIN_SIDE = 32;
    /** 25 MiB: a 50 MP camera JPEG at high quality, or a 12 MP PNG. */
    public static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;
    /** 80 megapixels: above any phone or DSLR photo (the engine decoder's default too). */
    public static final long DEFAULT_MAX_PIXELS = ImageLimits.DEFAULT_MAX_PIXELS;

    /** Declared media types and the format they name; anything else declared is a mismatch. */
    private static final Map<String, ImageFormat> MEDIA_TYPES = Map.of(
            "image/jpeg", ImageFormat.JPEG, "image/jpg", ImageFormat.JPEG, "image/pjpeg", ImageFormat.JPEG,
            "image/png", ImageFormat.PNG, "image/x-png", ImageFormat.PNG,
            "image/webp", ImageFormat.WEBP);

    public ImageRules {
        if (minSide < 1) {
            throw new IllegalArgumentException("minSide must be at least 1, got " + minSide);
        }
        if (maxPixels < (long) minSide * minSide) {
            throw new IllegalArgumentException("maxPixels " + maxPixels + " is below minSide^2 = "
                    + (long) minSide * minSide);
        }
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBytes must be 1.." + (Integer.MAX_VALUE - 16) + ", got "
                    + maxBytes);
        }
    }

    /** 32 px minimum side, 80 MP, 25 MiB. */
    public static ImageRules defaults() {
        return new ImageRules(DEFAULT_MIN_SIDE, DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
    }

    /**
     * The engine decoder with these rules (size, pixels and minimum side), for front ends that decode files without
     * the service ({@code inspect}, {@code train}, {@code evaluate}, {@code pretrain}, {@code geocells build},
     * batch gallery): they refuse what the service refuses. Thread-safe; one is enough for a service.
     */
    public ImageDecoder decoder() {
        return new ImageDecoder(new ImageLimits(maxPixels, maxBytes, minSide));
    }

    /**
     * Reads an upload's bytes, stopping one byte past the limit.
     *
     * @param name the image's name in messages
     * @throws ImageRefusal EMPTY, TOO_LARGE or UNREADABLE
     */
    public byte[] read(ImageUpload upload, String name) {
        byte[] bytes;
        if (upload.source() instanceof ImageUpload.InMemory m) {
            bytes = m.bytes();
            if (bytes.length > maxBytes) {
                throw new ImageRefusal(ImageProblem.TOO_LARGE, name, "is " + bytes.length
                        + " bytes, more than the limit of " + limitText(maxBytes));
            }
        } else {
            if (upload.source() instanceof ImageUpload.LocalFile f && Files.isDirectory(f.file())) {
                // Reading would fail with the OS's "Is a directory"; say it as the decoder and inspect do.
                throw new ImageRefusal(ImageProblem.UNREADABLE, name, ImageDecoder.IS_A_DIRECTORY);
            }
            try (InputStream in = upload.source().open()) {
                if (in == null) {
                    throw new ImageRefusal(ImageProblem.UNREADABLE, name, "has no data");
                }
                bytes = in.readNBytes((int) maxBytes + 1);
            } catch (NoSuchFileException e) {
                throw new ImageRefusal(ImageProblem.UNREADABLE, name, "file does not exist", e);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ImageRefusal r) {
                    throw r;
                }
                throw new ImageRefusal(ImageProblem.UNREADABLE, name, "cannot be read (" + ImageDecoder.readProblem(e)
                        + ")", e);
            }
            if (bytes.length > maxBytes) {
                throw new ImageRefusal(ImageProblem.TOO_LARGE, name, "is more than the limit of "
                        + limitText(maxBytes));
            }
        }
        if (bytes.length == 0) {
            throw new ImageRefusal(ImageProblem.EMPTY, name, "is empty (0 bytes)");
        }
        return bytes;
    }

    /**
     * Checks format, declared media type and header dimensions; decodes nothing.
     *
     * @param declaredType the declared media type without parameters ({@link ImageUpload#declaredType()}), or
     *                     null when none was declared
     * @throws ImageRefusal UNSUPPORTED_FORMAT, MEDIA_TYPE_MISMATCH, TOO_MANY_PIXELS, TOO_SMALL, TRUNCATED or
     *                      CORRUPT
     */
    public ImageHeader checkHeader(byte[] bytes, String declaredType, String name) {
        ImageFormat format = ImageFormat.detect(bytes).orElse(null);
        if (declaredType != null) {
            ImageFormat declared = MEDIA_TYPES.get(declaredType.toLowerCase(Locale.ROOT));
            if (format != null && declared != format) {
                throw new ImageRefusal(ImageProblem.MEDIA_TYPE_MISMATCH, name, "is declared as " + declaredType
                        + " but its bytes are a " + format.id().toUpperCase(Locale.ROOT) + " image; declare "
                        + mediaType(format) + " (or send the " + (declared == null ? "image" : declared.id()
                        .toUpperCase(Locale.ROOT)) + " you meant to)");
            }
        }
        ImageHeader header;
        try {
            header = ImageHeader.read(bytes, name);
        } catch (ImageRejectedException e) {
            if (declaredType != null && e.reason() == ImageRejectedException.Reason.UNSUPPORTED_FORMAT) {
                throw new ImageRefusal(ImageProblem.UNSUPPORTED_FORMAT, name, "is declared as " + declaredType
                        + " but " + ImageRefusal.of(e).detail(), e);
            }
            throw ImageRefusal.of(e);
        }
        if (header.pixels() > maxPixels) {
            throw new ImageRefusal(ImageProblem.TOO_MANY_PIXELS, name, "header declares " + header.width() + " x "
                    + header.height() + " = " + header.pixels() + " pixels, more than the limit of " + maxPixels);
        }
        if (header.shortSide() < minSide) {
            throw new ImageRefusal(ImageProblem.TOO_SMALL, name, "is " + header.width() + " x " + header.height()
                    + " pixels; at least " + minSide + " x " + minSide + " is needed");
        }
        return header;
    }

    /** The media type to declare for a format. */
    public static String mediaType(ImageFormat format) {
        return "image/" + format.id();
    }

    /** "26214400 bytes (25 MiB)", or "10000 bytes" when the limit is not whole MiB (the unit said once). */
    static String limitText(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes + " bytes (" + bytes / (1024 * 1024) + " MiB)" : bytes + " bytes";
    }
}
