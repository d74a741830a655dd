package org.geopigeon.engine.geocell.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.geopigeon.engine.io.CoordinateCsv;

/**
 * Training points read from one source, with what had to be skipped.
 *
 * @param source  file or folder the points came from
 * @param points  the valid points, in input order
 * @param skipped rows/photos left out (bad coordinates, no GPS)
 * @param notes   one line per kind of skipped input, with counts and examples
 */
public record PointSet(String source, List<TrainingPoint> points, int skipped, List<String> notes) {

    public PointSet {
        points = List.copyOf(points);
        notes = List.copyOf(notes);
    }

    /**
     * Points from a CSV file ({@link #readCsv}) or a folder of geotagged photos ({@link PhotoPointReader}).
     *
     * @throws IOException when the file or folder is missing or holds no usable point (the message names it)
     */
    public static PointSet read(Path fileOrFolder) throws IOException {
        return Files.isDirectory(fileOrFolder) ? PhotoPointReader.read(fileOrFolder) : readCsv(fileOrFolder);
    }

    /** As {@link #read(Path)}, decoding photos with {@code decoder} (the front end's image rules). */
    public static PointSet read(Path fileOrFolder, org.geopigeon.engine.image.ImageDecoder decoder) throws IOException {
        return Files.isDirectory(fileOrFolder) ? PhotoPointReader.read(fileOrFolder, decoder) : readCsv(fileOrFolder);
    }

    /**
     * Points from a coordinate CSV ({@code lat,lon[,weight]}; the rules are {@link CoordinateCsv}'s). Bad rows are
     * left out and counted ({@link CoordinateCsv.BadRows#SKIP}): a geocell is a statistic over many points, and the
     * note names the first bad lines so the user can fix them.
     *
     * @throws IOException as {@link CoordinateCsv#read(Path, boolean, CoordinateCsv.BadRows)}, also when no row is good
     */
    public static PointSet readCsv(Path file) throws IOException {
        CoordinateCsv.Table t = CoordinateCsv.read(file, false, CoordinateCsv.BadRows.SKIP);
        List<TrainingPoint> points = t.rows().stream()
                .map(r -> new TrainingPoint(r.location().lat(), r.location().lon(), r.weight())).toList();
        return new PointSet(file.toString(), points, t.badRows(), t.badRows() == 0 ? List.of() : List.of(t.skippedNote()));
    }
}
