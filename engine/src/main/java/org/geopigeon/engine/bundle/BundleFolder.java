package org.geopigeon.engine.bundle;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How every bundle writer (training, zero-shot, pretraining, the demo bundle) makes a new bundle folder without
 * ever leaving half of one: check the target first ({@link #requireNew}), write everything into a hidden staging
 * folder next to it ({@link #stage}), then rename it into place in one step ({@link #publish}), or delete it on any
 * failure ({@link #deleteRecursively}).
 */
public final class BundleFolder {

    private BundleFolder() {
    }

    /**
     * @throws FileAlreadyExistsException when {@code out} exists and is not an empty folder (the message names it)
     */
    public static void requireNew(Path out) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new FileAlreadyExistsException(target + ": output bundle folder already exists and is not empty;"
                    + " choose another");
        }
    }

    /** The model name a new bundle gets when none is given: its folder's name. */
    public static String defaultName(Path out) {
        Path name = out.toAbsolutePath().normalize().getFileName();
        if (name == null) { // the file-system root has no name (SpotBugs NP_NULL_ON_SOME_PATH_FROM_RETURN_VALUE)
            throw new IllegalArgumentException(out + ": a bundle cannot be written at the file-system root; name a folder");
        }
        return name.toString();
    }

    /** A new hidden staging folder beside {@code target} (same file system, so {@link #publish} can rename it). */
    public static Path stage(Path target) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        requireNew(t);
        Files.createDirectories(t.getParent());
        return Files.createTempDirectory(t.getParent(), "." + t.getFileName() + ".tmp");
    }

    /** Renames the finished staging folder to {@code target} (replacing an empty folder there) atomically. */
    public static void publish(Path staging, Path target) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        requireNew(t);
        if (Files.exists(t)) {
            Files.delete(t); // an empty folder, checked above
        }
        Files.move(staging, t, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Copies a base bundle's files into {@code staging} (hard links where the file system allows: backbones are
     * large), except those named in {@code skip} (paths relative to the bundle) and hidden files.
     */
    public static void copyBase(Path base, Path staging, Set<String> skip) throws IOException {
        Path root = base.toAbsolutePath().normalize();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            if (skip.contains(rel) || f.getFileName().toString().startsWith(".")) {
                continue;
            }
            Path dest = staging.resolve(rel);
            Files.createDirectories(dest.getParent());
            try {
                Files.createLink(dest, f);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(f, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** Best-effort removal of a folder tree (cleanup after a failure). */
    public static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (DirectoryNotEmptyException ignored) {
                    // raced with another writer; leave it
                }
            }
        } catch (IOException ignored) {
            // best effort: the failure that brought us here is what the caller must see
        }
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }
}
