package org.geopigeon.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file published with {@link AtomicFiles} is whole or untouched, and nothing temporary stays behind. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesANewFileCreatingItsFolderAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a/b/out.txt");
        assertEquals(target, AtomicFiles.writeString(target, "héllo\n"));
        assertEquals("héllo\n", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(List.of(target), listing(target.getParent()));
    }

    @Test
    void replacesAnExistingFileWhole() throws IOException {
        Path target = dir.resolve("out.bin");
        Files.write(target, new byte[1000]);
        AtomicFiles.write(target, tmp -> Files.write(tmp, new byte[] {1, 2, 3}));
        assertEquals(3, Files.size(target));
        assertEquals(List.of(target), listing(dir));
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("manifest.json");
        Files.writeString(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half of the new");
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listing(dir));
    }

    @Test
    void aFolderInTheWayIsAnErrorThatLeavesNothingBehind() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("child"));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFiles.writeString(target, "x"));
        assertTrue(e.getMessage().contains("taken"), e.getMessage());
        assertTrue(Files.isDirectory(target.resolve("child")));
        assertEquals(List.of(target), listing(dir));
    }

    @Test
    void theTemporaryFileIsHiddenNextToTheTargetAndPublishMovesIt() throws IOException {
        Path target = dir.resolve("gallery.safetensors");
        Path tmp = AtomicFiles.createTemp(target);
        assertEquals(dir, tmp.getParent());
        assertTrue(tmp.getFileName().toString().startsWith(".gallery.safetensors."), tmp.toString());
        Files.writeString(tmp, "rows");
        AtomicFiles.publish(tmp, target);
        assertFalse(Files.exists(tmp));
        assertEquals("rows", Files.readString(target));
    }

    @Test
    void thePublishedFileHasTheModeOfAnyNewFileNotTheTemporaryFilesOwnerOnlyMode() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain")); // 0666 less this process's umask
        Path target = AtomicFiles.writeString(dir.resolve("published"), "x");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(target));
    }
}
