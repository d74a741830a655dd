package org.geopigeon.service;

import org.geopigeon.engine.image.ImageRejectedException;

/**
 * One image broke a rule of {@link ImageRules}. The message has the engine decoder's form,
 * {@code image 'NAME' rejected (PROBLEM): detail}, so every refusal of an image reads alike.
 */
public final class ImageRefusal extends RuntimeException {

    private final ImageProblem problem;
    private final String imageName;
    private final String detail;

    public ImageRefusal(ImageProblem problem, String imageName, String detail) {
        this(problem, imageName, detail, null);
    }

    public ImageRefusal(ImageProblem problem, String imageName, String detail, Throwable cause) {
        super("image '" + imageName + "' rejected (" + problem + "): " + detail, cause);
        this.problem = problem;
        this.imageName = imageName;
        this.detail = detail;
    }

    /** The decoder's rejection as a refusal; the decoder's message is kept word for word. */
    static ImageRefusal of(ImageRejectedException e) {
        String prefix = "image '" + e.source() + "' rejected (" + e.reason() + "): ";
        String m = e.getMessage() == null ? "" : e.getMessage();
        return new ImageRefusal(ImageProblem.of(e.reason()), e.source(),
                m.startsWith(prefix) ? m.substring(prefix.length()) : m, e);
    }

    /** Which rule the image broke. */
    public ImageProblem problem() {
        return problem;
    }

    /** The name the image is known by in messages: its file name, or e.g. "image 2 of 4". */
    public String imageName() {
        return imageName;
    }

    /** The problem without the "image 'NAME' rejected (PROBLEM): " prefix. */
    public String detail() {
        return detail;
    }
}
