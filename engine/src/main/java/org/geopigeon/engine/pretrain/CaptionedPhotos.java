package org.geopigeon.engine.pretrain;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Month;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.geopigeon.engine.captions.PhotoCaptioner;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.image.PhotoFiles;
import org.geopigeon.engine.io.CoordinateCsv;

/**
 * The training pairs of caption pretraining: each geotagged photo with the synthetic captions of its place
 * ({@link PhotoCaptioner}; the EXIF capture month adds a season caption, PIGEON section 3.1). Positions come from a
 * {@code file,lat,lon} CSV or the photos' EXIF GPS; photos that cannot be decoded or have no position are skipped
 * with a line each.
 */
public final class CaptionedPhotos {

    private CaptionedPhotos() {
    }

    /**
     * @param photos       folder of photos (not searched recursively)
     * @param locationsCsv {@code file,lat,lon} per photo (files relative to {@code photos}), or null for EXIF GPS
     * @param log          receives one line per skipped photo and a closing count
     * @return at least two captioned photos
     * @throws IOException when the folder or CSV cannot be read, or fewer than two photos are usable
     */
    public static List<CaptionedPhoto> collect(Path photos, Path locationsCsv, PhotoCaptioner captioner, Consumer<String> log)
            throws IOException {
        return collect(photos, locationsCsv, captioner, log, new ImageDecoder());
    }

    /**
     * As {@link #collect(Path, Path, PhotoCaptioner, Consumer)}, decoding with {@code decoder}: front ends pass the
     * service's one rule set ({@code ImageRules#decoder()}), so a photo {@code locate} refuses is skipped here too.
     */
    public static List<CaptionedPhoto> collect(Path photos, Path locationsCsv, PhotoCaptioner captioner,
                                               Consumer<String> log, ImageDecoder decoder) throws IOException {
        List<Path> files = new ArrayList<>();
        List<LatLon> known = new ArrayList<>();
        if (locationsCsv != null) {
            PhotoFiles.list(photos, false); // the folder must exist
            for (CoordinateCsv.Row r : CoordinateCsv.read(locationsCsv, true)) {
                files.add(photos.resolve(r.file()).normalize());
                known.add(r.location());
            }
        } else {
            files.addAll(PhotoFiles.list(photos, false));
        }
        List<CaptionedPhoto> out = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            DecodedImage img;
            try {
                img = decoder.decode(f);
            } catch (ImageRejectedException e) {
                skipped++;
                log.accept("skip " + f.getFileName() + ": " + e.problem());
                continue;
            }
            LatLon where = locationsCsv != null ? known.get(i) : img.exifGps();
            if (where == null) {
                skipped++;
                log.accept("skip " + f.getFileName() + ": no EXIF GPS position");
                continue;
            }
            out.add(new CaptionedPhoto(f, captioner.captions(where, month(img.exifTimestamp()))));
        }
        log.accept(String.format(Locale.ROOT, "%d photos with captions, %d skipped", out.size(), skipped));
        if (out.size() < 2) {
            throw new IOException(photos + ": need at least 2 usable geotagged photos, found " + out.size());
        }
        return out;
    }

    /** Month of an EXIF DateTimeOriginal ("yyyy:MM:dd HH:mm:ss", EXIF 2.32 section 4.6.6), or null when absent or malformed. */
    static Month month(String exifTimestamp) {
        if (exifTimestamp == null || exifTimestamp.length() < 7) {
            return null;
        }
        try {
            int m = Integer.parseInt(exifTimestamp.substring(5, 7));
            return m >= 1 && m <= 12 ? Month.of(m) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
