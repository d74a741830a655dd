package org.geopigeon.engine.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.geopigeon.engine.image.ImageRejectedException.Reason;

/**
 * What an encoded image says about itself before a single pixel is decoded: its format (from the magic
 * bytes) and the width and height its header declares, as stored (before EXIF orientation, which only
 * swaps the two). Reading it costs microseconds and no pixel memory, so a service can check a whole
 * request (count, sizes, the pixels it would hold at once) before it decodes anything.
 *
 * @param format the encoding, from the magic bytes (file names and declared media types are never trusted)
 * @param width  width in pixels as stored, at least 1
 * @param height height in pixels as stored, at least 1
 */
public record ImageHeader(ImageFormat format, int width, int height) {

    public ImageHeader {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image header declares at least 1 x 1 pixels, got " + width + " x "
                    + height);
        }
    }

    /** Width x height: the pixels a decoder would allocate. */
    public long pixels() {
        return (long) width * height;
    }

    /** The shorter side in pixels. */
    public int shortSide() {
        return Math.min(width, height);
    }

    /**
     * Reads the format and declared dimensions; decodes no pixels.
     *
     * @param bytes  the encoded image
     * @param source a name for messages (file name, "image 2 of 4")
     * @throws ImageRejectedException EMPTY for no bytes, UNSUPPORTED_FORMAT when the magic bytes are not JPEG,
     *                                PNG or WebP, TRUNCATED when the data ends inside the header, CORRUPT when
     *                                the header cannot be read or declares no pixels
     */
    public static ImageHeader read(byte[] bytes, String source) {
        String name = source == null || source.isBlank() ? "<unnamed image>" : source;
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, name, "is empty (0 bytes)");
        }
        ImageFormat format = ImageFormat.detect(bytes).orElseThrow(() ->
                new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, name, ImageFormat.describeUnsupported(bytes)));
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
        if (!readers.hasNext()) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, name,
                    "is " + format.id() + " but no " + format.id() + " decoder is installed");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageRejectedException(Reason.CORRUPT, name,
                        "header declares an empty size " + width + " x " + height);
            }
            return new ImageHeader(format, width, height);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            String detail = e.getMessage() == null || e.getMessage().isBlank() ? "no detail" : e.getMessage();
            if (e instanceof java.io.EOFException || ImageDecoder.isTruncationText(e.getMessage())) {
                throw new ImageRejectedException(Reason.TRUNCATED, name,
                        "is truncated: the " + format.id() + " data ends inside its header (" + detail + ")", e);
            }
            throw new ImageRejectedException(Reason.CORRUPT, name,
                    "is a damaged " + format.id() + " file: its header cannot be read (" + detail + ")", e);
        } finally {
            reader.dispose();
        }
    }
}
