package org.geopigeon.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Photo folders the tests read (never copied into the repository) and bad files they make. */
final class TestInputs {

    /** Above the largest shared photo (4.2 MB): the test jobs' file size limit. */
    static final long MAX_BYTES = 4_500_000;

    private TestInputs() {
    }

    /** The repository root (tests run in spark/). */
    static Path repo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sample-data")) && Files.isRegularFile(dir.resolve("geopigeon"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    static Path samplePhotos() {
        return repo().resolve("sample-data/photos");
    }

    static Path demoBundle() {
        return repo().resolve("sample-data/demo-bundle");
    }

    /** ../shared/data/photos next to the repository (or $GEOPIGEON_SHARED/data/photos), or null when absent. */
    static Path sharedPhotos() {
        String env = System.getenv("GEOPIGEON_SHARED");
        Path repo = repo();
        Path[] candidates = {env == null ? null : Path.of(env), repo.resolve("../shared"), repo.resolve("../../shared")};
        for (Path c : candidates) {
            if (c != null && Files.isDirectory(c.resolve("data/photos"))) {
                return c.resolve("data/photos").normalize();
            }
        }
        return null;
    }

    /**
     * Writes bad inputs into {@code dir}: empty.jpg (0 bytes), truncated.jpg (half a JPEG), notes.txt
     * (text), huge.jpg (a JPEG header then noise, above {@link #MAX_BYTES}), tiny.png (16x16 pixels).
     */
    static void writeBadFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("empty.jpg"), new byte[0]);
        byte[] jpeg = Files.readAllBytes(samplePhotos().resolve("street_with_gps.jpg"));
        Files.write(dir.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.writeString(dir.resolve("notes.txt"), "not an image\n");
        byte[] huge = new byte[(int) MAX_BYTES + 100_000];
        new Random(7).nextBytes(huge);
        System.arraycopy(jpeg, 0, huge, 0, 1000);
        Files.write(dir.resolve("huge.jpg"), huge);
        java.awt.image.BufferedImage tiny = new java.awt.image.BufferedImage(16, 16,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(tiny, "png", dir.resolve("tiny.png").toFile());
    }
}
