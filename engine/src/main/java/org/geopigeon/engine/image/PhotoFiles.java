package org.geopigeon.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The photos of a folder: files whose name ends in an extension of a format {@link ImageDecoder} reads (JPEG, PNG,
 * WebP; any case), in file-name order. The decoder judges the content by its magic bytes, never by the name; the
 * extension only picks which files of a folder are meant as photos.
 */
public final class PhotoFiles {

    /** Extensions of the formats {@link ImageDecoder} decodes. */
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".webp");

    private PhotoFiles() {
    }

    /**
     * @param recursive also search sub-folders
     * @throws IOException when the folder does not exist or cannot be listed
     */
    public static List<Path> list(Path folder, boolean recursive) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": photo folder not found");
        }
        try (Stream<Path> s = recursive ? Files.walk(folder) : Files.list(folder)) {
            return s.filter(Files::isRegularFile).filter(PhotoFiles::isPhotoName).sorted().toList();
        }
    }

    /** True when the file name ends in one of {@link #EXTENSIONS}, any case. */
    public static boolean isPhotoName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
