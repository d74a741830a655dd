package org.geopigeon.engine.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
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
 * Decodes JPEG, PNG and WebP bytes into the upright RGB pixels Python's Pillow gives
 * ({@code ImageOps.exif_transpose(Image.open(f)).convert("RGB")}, what Hugging Face's CLIPImageProcessor feeds an
 * imported backbone), with the file's position and other metadata. The full rules, with their reasons, are in
 * docs/image-input.md; in short:
 *
 * <ul>
 *   <li><b>Safety order</b>: size limit ({@link ImageLimits#maxBytes()}: bounds the bytes held in memory), magic
 *       bytes (never the file name), header dimensions against {@link ImageLimits#maxPixels()} (decompression bombs),
 *       and only then pixel decoding.</li>
 *   <li><b>Colour</b>: an embedded ICC profile is never applied, because Pillow ignores it: the model must see the same
 *       pixels whatever profile a phone wrote. JPEG APP2 ICC segments are removed before the ImageIO reader sees them
 *       (it would convert to sRGB inside {@code read()}); PNG iCCP and WebP ICCP are not applied by their readers.
 *       4-component JPEGs (CMYK, YCCK) use Pillow's plain CMYK to RGB formula ({@code JpegCmyk}).</li>
 *   <li><b>WebP</b> is decoded by libwebp (the library Pillow uses) through a JNI ImageIO plugin; where its native
 *       library cannot load, TwelveMonkeys' pure-Java decoder is used and a warning says lossy pixels may differ.</li>
 *   <li><b>Metadata</b>: EXIF from the container's EXIF block, else (PNG) a "Raw profile type exif" text chunk;
 *       orientation from EXIF, else (PNG) XMP tiff:Orientation; position from the EXIF GPS block, else the XMP packet
 *       (see {@code MetadataReader}). Broken metadata (a cut ICC segment, a bad EXIF offset) never rejects an image:
 *       it is ignored and listed in {@link ImageMetadata#warnings()}.</li>
 *   <li><b>Truncation</b>: only missing pixel data is truncation ({@link Reason#TRUNCATED}). ImageIO would otherwise
 *       fill a cut JPEG with grey and carry on, so a decoder warning that the data ended early rejects the file;
 *       decoder warnings about metadata do not.</li>
 *   <li>The one known deviation from Pillow: 16-bit grey PNGs keep their gradient (high byte), where Pillow clips
 *       every value above 255 to white ({@link RgbConverter}).</li>
 * </ul>
 *
 * <p>Thread-safe: every call uses its own ImageIO reader.
 */
public final class ImageDecoder {

    /**
     * The one wording, after the file's name, for a path that names a folder where an image file was expected: the
     * engine's decoder, the service's {@code ImageRules} (the audited CLI path) and {@code inspect} all say it.
     */
    public static final String IS_A_DIRECTORY = "is a directory, not an image file";

    /**
     * Why a file or stream could not be read, in words for a user (no Java class name): "permission denied", the
     * operating system's reason of a {@link java.nio.file.FileSystemException} ("Input/output error"), "too large to
     * hold in memory" for an {@link OutOfMemoryError}, else the exception's message or "read error". Shared with the
     * service's {@code ImageRules}, so both say "cannot be read (WHY)" alike.
     *
     * @param e what reading threw
     * @return a short phrase, never null or blank
     */
    public static String readProblem(Throwable e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof OutOfMemoryError) {
            return "too large to hold in memory";
        }
        String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage();
        return why == null || why.isBlank() ? "read error" : why;
    }

    private final ImageLimits limits;
    private final boolean preferLibwebp;

    public ImageDecoder(ImageLimits limits) {
        this(limits, true);
    }

    /** @param preferLibwebp false forces the pure-Java WebP fallback (tests measure its difference from libwebp) */
    ImageDecoder(ImageLimits limits, boolean preferLibwebp) {
        this.limits = limits;
        this.preferLibwebp = preferLibwebp;
    }

    public ImageDecoder() {
        this(ImageLimits.defaults());
    }

    /** The limits checked before pixels are allocated. */
    public ImageLimits limits() {
        return limits;
    }

    /**
     * Decodes a file: format by magic bytes, size and pixel limits checked first, then pixels as Pillow gives them
     * and the file's metadata (docs/image-input.md).
     *
     * @throws ImageRejectedException when the file is missing, a directory, unreadable, over the limits, not
     *   JPEG/PNG/WebP, or corrupt; the message names the file and the problem
     */
    public DecodedImage decode(Path file) {
        String source = file.toString();
        long size;
        try {
            if (Files.isDirectory(file)) {
                throw new ImageRejectedException(Reason.UNREADABLE, source, IS_A_DIRECTORY);
            }
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageRejectedException(Reason.UNREADABLE, source, "file does not exist", e);
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.UNREADABLE, source, "cannot be read (" + readProblem(e) + ")", e);
        }
        checkSize(size, source);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            // OutOfMemoryError: files over 2 GB cannot be a byte[] even when maxBytes was set that high.
            throw new ImageRejectedException(Reason.UNREADABLE, source, "cannot be read (" + readProblem(e) + ")", e);
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
        byte[] pixelBytes = bytes;
        JpegSegments jpeg = null;
        if (format == ImageFormat.JPEG) {
            jpeg = JpegSegments.scan(bytes);
            pixelBytes = jpeg.bytes(); // without ICC segments: the reader must not apply the profile
        }
        boolean libwebp = format == ImageFormat.WEBP && preferLibwebp && LibWebp.UNAVAILABLE == null;
        if (format == ImageFormat.WEBP && !libwebp) {
            pixelBytes = WebpChunks.withoutIccProfile(bytes); // the Java fallback would apply the profile
        }
        List<String> decoderWarnings = new ArrayList<>();
        BufferedImage stored = readPixels(pixelBytes, format, jpeg, libwebp, source, decoderWarnings);
        String iccProblem = jpeg == null || jpeg.iccProblems().isEmpty() ? null : jpeg.iccProblems().get(0);
        MetadataReader.Result read = MetadataReader.read(bytes, format, iccProblem);
        ImageMetadata metadata = read.metadata().withWarnings(decoderWarnings);
        BufferedImage plain = RgbConverter.toRgb(stored);
        if (plain == stored) {
            // A reader's own TYPE_INT_RGB buffer may carry bits above the 24 colour bits (libwebp writes 0xFF alpha).
            int[] packed = RgbConverter.packedRgb(plain);
            for (int i = 0; i < packed.length; i++) {
                packed[i] &= 0xFFFFFF;
            }
        }
        BufferedImage rgb = ExifOrientation.apply(plain, metadata.orientation());
        GpsFix gps = metadata.gps();
        return new DecodedImage(rgb, rgb.getWidth(), rgb.getHeight(), format.id(),
                gps == null ? null : gps.position(), gps == null ? null : gps.altitude(), read.exifTimestamp(),
                metadata);
    }

    /** True when WebP is decoded by libwebp, false where its native library could not load (see the class notes). */
    public static boolean usesLibwebp() {
        return LibWebp.UNAVAILABLE == null;
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

    private BufferedImage readPixels(byte[] bytes, ImageFormat format, JpegSegments jpeg, boolean libwebp,
                                     String source, List<String> warningsOut) {
        ImageReader reader = readerFor(format, libwebp, source);
        if (format == ImageFormat.WEBP && !libwebp) {
            warningsOut.add("decoded by the pure-Java WebP fallback because libwebp is not available here ("
                    + (preferLibwebp ? LibWebp.UNAVAILABLE : "disabled") + "): lossy WebP pixels may differ from"
                    + " Pillow's by a few levels on average");
        }
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
            if (Math.min(width, height) < limits.minSide()) {
                throw new ImageRejectedException(Reason.TOO_SMALL, source, "is " + width + " x " + height
                        + " pixels; at least " + limits.minSide() + " x " + limits.minSide() + " is needed");
            }
            BufferedImage image;
            try {
                if (jpeg != null && jpeg.components() == 4) {
                    // CMYK/YCCK: the raw samples, converted with Pillow's formula (never a CMYK profile).
                    Raster raw = reader.readRaster(0, null);
                    image = RgbConverter.wrap(JpegCmyk.toRgb(raw, jpeg.adobeTransform() == 2),
                            raw.getWidth(), raw.getHeight());
                } else {
                    image = reader.read(0);
                }
            } catch (IOException | RuntimeException e) {
                throw failure(source, format, "cannot be decoded", e);
            }
            if (warnings.truncation() != null) {
                throw new ImageRejectedException(Reason.TRUNCATED, source,
                        "is truncated: the " + format.id() + " data ends early (" + warnings.truncation() + ")");
            }
            for (String w : warnings.others()) {
                warningsOut.add("the " + format.id() + " decoder warned: " + w);
            }
            return image;
        } catch (IOException e) {
            throw failure(source, format, "cannot be read", e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(ImageFormat format, boolean libwebp, String source) {
        // TwelveMonkeys handles CMYK/YCCK JPEGs that the JDK reader throws on; libwebp is Pillow's own WebP decoder.
        String preferred = libwebp ? "com.luciad.imageio.webp." : "com.twelvemonkeys.";
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
        ImageReader chosen = null;
        ImageReader fallback = null;
        while (readers.hasNext()) {
            ImageReader candidate = readers.next();
            if (chosen == null && candidate.getClass().getName().startsWith(preferred)) {
                chosen = candidate;
            } else if (fallback == null && !candidate.getClass().getName().startsWith("com.luciad.imageio.webp.")) {
                fallback = candidate; // never the libwebp reader when its native library is not loaded
            } else {
                candidate.dispose();
            }
        }
        if (chosen != null) {
            if (fallback != null) {
                fallback.dispose();
            }
            return chosen;
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

    /**
     * True when a decoder message says the pixel data ended early: libjpeg's "Premature end of JPEG file", the JDK
     * reader's "Truncated File - Missing EOI marker", zlib's "Unexpected end of ZLIB input stream", libwebp's
     * NOT_ENOUGH_DATA. A message about metadata (an ICC profile, EXIF, XMP, a marker segment or chunk) is never
     * truncation, even when it says that metadata was truncated: the pixels are still whole.
     */
    static boolean isTruncationText(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        boolean endsEarly = m.contains("premature end") || m.contains("truncat") || m.contains("missing eoi")
                || m.contains("end of file") || m.contains("unexpected end") || m.contains("eof")
                || m.contains("not_enough_data") || m.contains("not enough data");
        boolean aboutMetadata = m.contains("icc") || m.contains("profile") || m.contains("exif") || m.contains("xmp")
                || m.contains("metadata") || m.contains("thumbnail") || m.contains("segment") || m.contains("chunk")
                || m.contains("app1") || m.contains("app2") || m.contains("iccp") || m.contains("text");
        return endsEarly && !aboutMetadata;
    }

    /** Sorts the reader's warnings: the first that says the pixel data ended early, and all others. */
    private static final class WarningCollector implements IIOReadWarningListener {
        private final List<String> all = new ArrayList<>();

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            all.add(warning);
        }

        String truncation() {
            return all.stream().filter(ImageDecoder::isTruncationText).findFirst().orElse(null);
        }

        List<String> others() {
            return all.stream().filter(w -> !isTruncationText(w)).distinct().toList();
        }
    }

    /** Whether libwebp's JNI library loads on this platform: probed once, then immutable. */
    private static final class LibWebp {
        /** Null when libwebp is usable, else why not. */
        static final String UNAVAILABLE = probe();

        private static String probe() {
            try {
                com.luciad.imageio.webp.WebPWrapper.loadNativeLibrary();
                return null;
            } catch (LinkageError | RuntimeException e) {
                return "its native library did not load: " + (e.getMessage() == null ? "no details" : e.getMessage());
            }
        }
    }
}
