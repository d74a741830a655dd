package org.geopigeon.engine.image;

/**
 * An input that is not a usable image. Unchecked so pipelines can let it travel up to the boundary
 * (CLI, WPS process) that turns {@link #reason()} into a user-facing error.
 */
public class ImageRejectedException extends RuntimeException {

    /** Machine-readable cause of the rejection. */
    public enum Reason {
        /** Zero bytes. */
        EMPTY,
        /** Encoded size above {@link ImageLimits#maxBytes()}. */
        TOO_LARGE,
        /** Not JPEG, PNG or WebP (judged from the magic bytes, never the file name). */
        UNSUPPORTED_FORMAT,
        /** Header declares more pixels than {@link ImageLimits#maxPixels()} (decompression bomb guard). */
        TOO_MANY_PIXELS,
        /** The data stops before the image does. */
        TRUNCATED,
        /** The data is damaged or not decodable. */
        CORRUPT,
        /** The file cannot be read (missing, a directory, no permission). */
        UNREADABLE,
        /** Header declares a side shorter than {@link ImageLimits#minSide()}. */
        TOO_SMALL
    }

    private final Reason reason;
    private final String source;
    private final String problem;

    public ImageRejectedException(Reason reason, String source, String problem) {
        this(reason, source, problem, null);
    }

    public ImageRejectedException(Reason reason, String source, String problem, Throwable cause) {
        super("image '" + source + "' rejected (" + reason + "): " + problem, cause);
        this.reason = reason;
        this.source = source;
        this.problem = problem;
    }

    /** The kind of problem, for front ends that map it to a status or an audit error code. */
    public Reason reason() {
        return reason;
    }

    /**
     * What is wrong, without the "image 'x' rejected (REASON): " prefix of the message: for front ends that name the
     * file themselves ("photo.jpg: truncated ...").
     */
    public String problem() {
        return problem;
    }

    /** The file name or caller-supplied name of the rejected input. */
    public String source() {
        return source;
    }
}
