package org.geopigeon.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Publishing one output file atomically: write a temporary file in the target's own folder, force it to disk, then
 * rename it over the target. Readers see the old file or the whole new one, never a half-written one; a failure
 * (an exception from the writer, a full disk, a crash) leaves the target as it was and no temporary file behind
 * (after a crash at most a hidden {@code .NAME.*.tmp} in that folder).
 *
 * <p>Every writer of a single output file in the project goes through here (geocells GeoJSON, safetensors, bundle
 * manifests, coordinate CSVs, caption tables, the pretrained TorchScript module, the error-CDF plot, Spark's gallery
 * file, the sample-data builders); whole bundle folders are staged and renamed by
 * {@link org.geopigeon.engine.bundle.BundleFolder}. Hand-written because neither the JDK nor the libraries we use
 * (commons-io, Jackson) offer an atomic replace; it is a few lines over {@link Files#move} with
 * {@link StandardCopyOption#ATOMIC_MOVE}.
 *
 * <p>The rename is atomic where the file system supports it (POSIX {@code rename(2)}: any local Linux file system);
 * where it does not ({@link AtomicMoveNotSupportedException}, e.g. some network or FUSE mounts) the file is moved with
 * {@link StandardCopyOption#REPLACE_EXISTING} alone, which is still a rename within one folder on every system we
 * know, only without the guarantee. The temporary file gets the mode any new file gets (0666 less the umask) where the
 * file system has POSIX permissions, not {@link Files#createTempFile}'s 0600, since it becomes a user's output (a
 * bundle GeoServer must read under another account). Stateless; safe from any thread, but two writers of the same
 * target race: the last rename wins.
 */
public final class AtomicFiles {

    /** What writes the content to the temporary file (which exists, empty, in the target's folder). */
    @FunctionalInterface
    public interface Content {
        /**
         * @param tmp the temporary file to write (open, write and close it here; it is renamed afterwards)
         * @throws IOException when writing fails: the target is left untouched and {@code tmp} is deleted
         */
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically: creates its folder when missing, a temporary file there, runs
     * {@code content} on it, forces it to disk ({@code fsync}) and renames it over {@code target}.
     *
     * @param target  the file to create or replace
     * @param content writes the bytes
     * @return {@code target}
     * @throws IOException the writer's exception, or when the folder, the temporary file or the rename fails (for
     *                     example a {@link java.nio.file.FileSystemException} naming both paths when {@code target}
     *                     is a folder);
     *                     in every case {@code target} is unchanged and the temporary file deleted
     */
    public static Path write(Path target, Content content) throws IOException {
        Path tmp = createTemp(target);
        try {
            content.writeTo(tmp);
            publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /**
     * Writes {@code text} as UTF-8 to {@code target} atomically ({@link #write(Path, Content)}).
     *
     * @return {@code target}
     * @throws IOException as {@link #write(Path, Content)}
     */
    public static Path writeString(Path target, String text) throws IOException {
        return write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * A new, empty temporary file next to {@code target} ({@code .NAME.<random>.tmp} in the same folder, so the
     * rename stays within one file system), creating the folder when missing. For writers that stream into it over
     * several calls and {@link #publish} at the end; the caller deletes it when it does not publish.
     *
     * @throws IOException when the folder or the file cannot be created
     */
    public static Path createTemp(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IOException(target + ": not a file path (no parent folder)");
        }
        Files.createDirectories(dir);
        String prefix = "." + target.getFileName() + ".";
        FileSystem fs = dir.getFileSystem();
        return fs.supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dir, prefix, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")))
                : Files.createTempFile(dir, prefix, ".tmp");
    }

    /**
     * Forces the finished, closed temporary file {@code tmp} to disk and renames it over {@code target}: atomically
     * where supported, else with a plain replacing move (see the class comment). {@code tmp} no longer exists
     * afterwards.
     *
     * @param tmp    a file from {@link #createTemp(Path)} for this target, fully written and closed
     * @param target the file to create or replace
     * @throws IOException when the sync or the rename fails; {@code target} is then unchanged and {@code tmp} still
     *                     there for the caller to delete
     */
    public static void publish(Path tmp, Path target) throws IOException {
        // Without the fsync a crash soon after the rename can leave a zero-length target on ext4/xfs: the rename
        // reaches the journal before the data blocks.
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
