package org.geopigeon.engine.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.geopigeon.engine.image.ImageRejectedException.Reason;

/**
 * Decodes JPEG, PNG and WebP bytes into an upright RGB {@link DecodedImage} with its EXIF position.
 *
 * <p>Safety order: size limit, magic bytes, header dimensions against the pixel limit, and only then pixel
 * decoding. Decoder warnings about missing data reject the image: ImageIO would otherwise fill a truncated
 * JPEG with grey and carry on. Thread-safe: every call uses its own ImageIO reader.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    public ImageDecoder() {
        this(ImageLimits.defaults());
    }

    public ImageLimits limits() {
        return limits;
    }

    public DecodedImage decode(Path file) {
        String source = file.toString();
        long size;
        try {
            if (Files.isDirectory(file)) {
                throw new ImageRejectedException(Reason.UNREADABLE, source, "is a directory, not an image file");
            }
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageRejectedException(Reason.UNREADABLE, source, "file does not exist", e);
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.UNREADABLE, source, "cannot be read: " + e, e);
        }
        checkSize(size, source);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            // OutOfMemoryError: files over 2 GB cannot be a byte[] even when maxBytes was set that high.
            throw new ImageRejectedException(Reason.UNREADABLE, source, "cannot be read: " + e, e);
        }
        return decode(bytes, source);
    }

    /**
     * @param bytes      the encoded image
     * @param sourceName a name for messages (file name, upload name)
     */
    public DecodedImage decode(byte[] bytes, String sourceName) {
        String source = sourceName == null || sourceName.isBlank() ? "<unnamed image>" : sourceName;
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, source, "is empty (0 bytes)");
        }
        checkSize(bytes.length, source);
        ImageFormat format = ImageFormat.detect(bytes).orElseThrow(() ->
                new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, source, ImageFormat.describeUnsupported(bytes)));
        BufferedImage stored = readPixels(bytes, format, source);
        ExifInfo exif = ExifReader.read(bytes, source);
        BufferedImage rgb = ExifOrientation.apply(RgbConverter.toRgb(stored), exif.orientation());
        return new DecodedImage(rgb, rgb.getWidth(), rgb.getHeight(), format.id(),
                exif.gps(), exif.altitude(), exif.timestamp());
    }

    private void checkSize(long size, String source) {
        if (size == 0) {
            throw new ImageRejectedException(Reason.EMPTY, source, "is empty (0 bytes)");
        }
        if (size > limits.maxBytes()) {
            throw new ImageRejectedException(Reason.TOO_LARGE, source,
                    "is " + size + " bytes, more than the limit of " + limits.maxBytes() + " bytes");
        }
    }

    private BufferedImage readPixels(byte[] bytes, ImageFormat format, String source) {
        ImageReader reader = readerFor(format, source);
        WarningCollector warnings = new WarningCollector();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener(warnings);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw failure(source, format, "has an unreadable header", e);
            }
            if (width <= 0 || height <= 0) {
                throw new ImageRejectedException(Reason.CORRUPT, source,
                        "header declares an empty size " + width + " x " + height);
            }
            long pixels = (long) width * height;
            if (pixels > limits.maxPixels()) {
                throw new ImageRejectedException(Reason.TOO_MANY_PIXELS, source, "header declares " + width
                        + " x " + height + " = " + pixels + " pixels, more than the limit of "
                        + limits.maxPixels());
            }
            BufferedImage image;
            try {
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw failure(source, format, "cannot be decoded", e);
            }
            if (warnings.truncation() != null) {
                throw new ImageRejectedException(Reason.TRUNCATED, source,
                        "is truncated: the " + format.id() + " data ends early (" + warnings.truncation() + ")");
            }
            return image;
        } catch (IOException e) {
            throw failure(source, format, "cannot be read", e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(ImageFormat format, String source) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
        ImageReader fallback = null;
        while (readers.hasNext()) {
            ImageReader candidate = readers.next();
            // TwelveMonkeys handles CMYK/YCCK JPEGs and bad ICC profiles that the JDK reader throws on.
            if (candidate.getClass().getName().startsWith("com.twelvemonkeys")) {
                if (fallback != null) {
                    fallback.dispose();
                }
                return candidate;
            }
            if (fallback == null) {
                fallback = candidate;
            } else {
                candidate.dispose();
            }
        }
        if (fallback == null) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, source,
                    "is " + format.id() + " but no " + format.id() + " decoder is installed");
        }
        return fallback;
    }

    private static ImageRejectedException failure(String source, ImageFormat format, String what, Throwable e) {
        boolean truncated = mentionsTruncation(e);
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (truncated) {
            return new ImageRejectedException(Reason.TRUNCATED, source,
                    "is truncated: the " + format.id() + " data ends early (" + detail + ")", e);
        }
        return new ImageRejectedException(Reason.CORRUPT, source,
                "is a damaged " + format.id() + " file and " + what + " (" + detail + ")", e);
    }

    private static boolean mentionsTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || isTruncationText(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    static boolean isTruncationText(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("premature end") || m.contains("truncat") || m.contains("missing eoi")
                || m.contains("end of file") || m.contains("unexpected eof") || m.contains("eof");
    }

    /** Keeps the first decoder warning that says the data ended early. */
    private static final class WarningCollector implements IIOReadWarningListener {
        private final List<String> all = new ArrayList<>();

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            all.add(warning);
        }

        String truncation() {
            return all.stream().filter(ImageDecoder::isTruncationText).findFirst().orElse(null);
        }
    }
}
