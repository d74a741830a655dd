package org.geopigeon.spark;

import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.GpsFix;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.store.ErrorCode;

/**
 * What happened to one input file in a task, before its audit row is written.
 *
 * @param path           the file's Hadoop path (URI)
 * @param length         file size in bytes
 * @param contentSha256  hex SHA-256 of the file bytes, or null when the file was not read
 * @param pixelSha256    hex SHA-256 of the decoded pixels, or null when it could not be decoded
 * @param width          decoded width (after EXIF orientation), or null
 * @param height         decoded height, or null
 * @param format         "jpeg", "png" or "webp", or null
 * @param exifGps        position from the file's metadata, or null
 * @param gpsSource      where {@code exifGps} was read (EXIF GPS block or XMP packet), or null
 * @param prediction     the estimate, or null when the image failed
 * @param errorCode      why it failed (see {@link LocateRows}), or null
 * @param errorReason    the problem in words, naming no Java class, or null
 * @param auditCode      the audit log's code for the failure, or null when located
 * @param model          model name
 * @param trained        false for the demo bundle's random weights
 * @param precision      the precision the backbone ran in on this executor
 */
record ImageResult(String path, long length, String contentSha256, String pixelSha256, Integer width, Integer height,
                   String format, LatLon exifGps, GpsFix.Source gpsSource, Prediction prediction, String errorCode,
                   String errorReason,
                   ErrorCode auditCode, String model, boolean trained, String precision) {

    boolean located() {
        return prediction != null;
    }
}
