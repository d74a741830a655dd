/**
 * Image input: encoded bytes (JPEG, PNG, WebP) to the upright RGB pixels Python's Pillow gives, with the
 * metadata an OSINT analyst checks first. First step of every request's data flow: front end -> {@code service}'s
 * image rules -> {@link org.geopigeon.engine.image.ImageDecoder} -> {@code preprocess} -> {@code model}.
 *
 * <ul>
 *   <li>{@link org.geopigeon.engine.image.ImageHeader}: format and declared size from the first bytes, before any
 *       pixel is decoded, so {@link org.geopigeon.engine.image.ImageLimits} (bytes, megapixels, minimum side) are
 *       enforced before memory is allocated;</li>
 *   <li>{@link org.geopigeon.engine.image.ImageDecoder} to {@link org.geopigeon.engine.image.DecodedImage}: RGB,
 *       EXIF orientation applied ({@code ExifOrientation}, as {@code ImageOps.exif_transpose}), ICC profiles ignored
 *       ({@code JpegSegments}, {@code WebpChunks}, {@code JpegCmyk}), as Pillow does;</li>
 *   <li>{@link org.geopigeon.engine.image.ImageMetadata}: GPS ({@code GpsFix}: EXIF GPS IFD, else XMP
 *       {@code GPSCoordinate}), capture time with offset, camera, ICC description, ignored problems
 *       ({@code MetadataReader}, on metadata-extractor);</li>
 *   <li>{@link org.geopigeon.engine.image.PixelHash}: SHA-256 of the decoded pixels, the audit log's image hash;</li>
 *   <li>{@link org.geopigeon.engine.image.ImageRejectedException}: every unusable input, with a message that names the
 *       problem and never a Java class.</li>
 * </ul>
 * Rules, sources and limits: docs/image-input.md. Depends only on {@code geo} inside the engine.
 */
package org.geopigeon.engine.image;
