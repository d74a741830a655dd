package org.geopigeon.engine.geocell.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.image.PhotoFiles;

/**
 * Training points from a folder of geotagged photos (EXIF GPS via {@link ImageDecoder}), searched
 * recursively in file-name order ({@link PhotoFiles}). Photos without GPS and files that are not readable images are
 * skipped and counted; a folder without a single geotagged photo is an error.
 */
public final class PhotoPointReader {

    private PhotoPointReader() {
    }

    /**
     * Training points from the EXIF/XMP GPS positions of the photos under {@code folder} (recursively), weight 1
     * each. Photos without a position and unreadable files are skipped and counted in the result's notes, with
     * examples.
     *
     * @throws IOException when the folder holds no image files or cannot be listed
     */
    public static PointSet read(Path folder) throws IOException {
        return read(folder, new ImageDecoder());
    }

    /**
     * As {@link #read(Path)}, decoding with {@code decoder}: front ends pass the service's one rule set
     * ({@code ImageRules#decoder()}), so a photo {@code locate} refuses counts as unreadable here too.
     */
    public static PointSet read(Path folder, ImageDecoder decoder) throws IOException {
        List<Path> files = PhotoFiles.list(folder, true);
        if (files.isEmpty()) {
            throw new IOException("photo folder " + folder + " holds no image files (" + String.join(", ", PhotoFiles.EXTENSIONS) + ")");
        }
        List<TrainingPoint> points = new ArrayList<>();
        List<String> noGps = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path f : files) {
            try {
                DecodedImage img = decoder.decode(f);
                LatLon gps = img.exifGps();
                if (gps == null) {
                    noGps.add(f.getFileName().toString());
                } else {
                    points.add(new TrainingPoint(gps.lat(), gps.lon(), 1));
                }
            } catch (ImageRejectedException | IllegalArgumentException e) {
                unreadable.add(f.getFileName() + " (" + e.getMessage() + ")");
            }
        }
        List<String> notes = new ArrayList<>();
        if (!noGps.isEmpty()) {
            notes.add(noGps.size() + " of " + files.size() + " photos have no EXIF GPS and were skipped, e.g. " + examples(noGps));
        }
        if (!unreadable.isEmpty()) {
            notes.add(unreadable.size() + " of " + files.size() + " files are not readable images, e.g. " + examples(unreadable));
        }
        if (points.isEmpty()) {
            throw new IOException("photo folder " + folder + ": none of its " + files.size()
                    + " images has EXIF GPS coordinates; " + String.join("; ", notes));
        }
        return new PointSet(folder.toString(), points, noGps.size() + unreadable.size(), notes);
    }

    private static String examples(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(3, items.size()))) + (items.size() > 3 ? ", ..." : "");
    }
}
