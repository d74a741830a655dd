package org.geopigeon.engine.image;

/**
 * The camera a photo names: EXIF Make (0x010F), Model (0x0110) and LensModel (0xA434), each trimmed, or null.
 */
public record CameraInfo(String make, String model, String lens) {

    /** No camera field at all. */
    public static final CameraInfo NONE = new CameraInfo(null, null, null);

    /** True when no field is known. */
    public boolean isEmpty() {
        return make == null && model == null && lens == null;
    }
}
