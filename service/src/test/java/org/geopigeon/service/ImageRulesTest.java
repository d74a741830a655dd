package org.geopigeon.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageFormat;
import org.geopigeon.engine.image.ImageHeader;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.service.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule set every front end applies before anything is decoded. */
class ImageRulesTest {

    private final ImageRules rules = ImageRules.defaults();

    private ImageRefusal refused(byte[] bytes, String declared) {
        return assertThrows(ImageRefusal.class, () -> rules.checkHeader(bytes, declared, "photo.jpg"));
    }

    @Test
    void defaultsAre32PixelsMinimum80MegapixelsAnd25MiB() {
        assertEquals(32, rules.minSide());
        assertEquals(80_000_000L, rules.maxPixels());
        assertEquals(25L * 1024 * 1024, rules.maxBytes());
    }

    @Test
    void headerGivesFormatAndStoredDimensionsWithoutDecoding() {
        ImageHeader h = rules.checkHeader(TestImages.jpeg(TestImages.scene(64, 40, 1)), "image/jpeg", "a.jpg");
        assertEquals(ImageFormat.JPEG, h.format());
        assertEquals(64, h.width());
        assertEquals(40, h.height());
        // stored orientation: the sideways portrait's header is landscape
        ImageHeader portrait = rules.checkHeader(TestImages.samplePhotoBytes("portrait_gps_orientation6.jpg"),
                null, "p.jpg");
        assertEquals(640, portrait.width());
        assertEquals(480, portrait.height());
        assertEquals(ImageFormat.WEBP, rules.checkHeader(TestImages.samplePhotoBytes("harbour.webp"), "image/webp",
                "h.webp").format());
    }

    @Test
    void aDeclaredTypeThatIsNotWhatTheBytesAreIsRefusedNamingBoth() {
        byte[] jpeg = TestImages.jpeg(TestImages.scene(64, 64, 2));
        ImageRefusal r = refused(jpeg, "image/png");
        assertEquals(ImageProblem.MEDIA_TYPE_MISMATCH, r.problem());
        assertTrue(r.getMessage().contains("image/png") && r.getMessage().contains("JPEG"), r.getMessage());
        assertTrue(r.getMessage().contains("image/jpeg"), "says what to declare: " + r.getMessage());

        ImageRefusal gif = refused(jpeg, "image/gif");
        assertEquals(ImageProblem.MEDIA_TYPE_MISMATCH, gif.problem());
        assertTrue(gif.getMessage().contains("image/gif"), gif.getMessage());
    }

    @Test
    void commonAliasesAndUndeclaredTypesAreAccepted() {
        byte[] jpeg = TestImages.jpeg(TestImages.scene(64, 64, 2));
        for (String declared : new String[] {null, "image/jpeg", "image/jpg", "image/pjpeg", "IMAGE/JPEG"}) {
            assertEquals(ImageFormat.JPEG, rules.checkHeader(jpeg, declared, "a").format(), declared);
        }
        assertEquals(null, ImageUpload.of(jpeg, "application/octet-stream", null).declaredType());
        assertEquals("image/jpeg", ImageUpload.of(jpeg, "image/jpeg; q=0.9", null).declaredType());
    }

    @Test
    void bytesThatAreNoSupportedImageAreRefusedWithTheDeclaredTypeNamed() {
        ImageRefusal r = refused("just some notes".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertEquals(ImageProblem.UNSUPPORTED_FORMAT, r.problem());
        assertTrue(r.getMessage().contains("text/plain") && r.getMessage().contains("looks like text"),
                r.getMessage());
    }

    @Test
    void aBombHeaderIsRefusedFromItsHeaderAlone() {
        ImageRefusal r = refused(TestImages.pngBombHeader(100_000, 100_000), "image/png");
        assertEquals(ImageProblem.TOO_MANY_PIXELS, r.problem());
        assertTrue(r.getMessage().contains("100000 x 100000"), r.getMessage());
    }

    @Test
    void imagesUnder32PixelsOnASideAreRefused() {
        ImageRefusal r = refused(TestImages.png(TestImages.scene(31, 400, 1)), null);
        assertEquals(ImageProblem.TOO_SMALL, r.problem());
        assertTrue(r.getMessage().contains("31 x 400") && r.getMessage().contains("32 x 32"), r.getMessage());
        assertEquals(32, rules.checkHeader(TestImages.png(TestImages.scene(32, 32, 1)), null, "ok").width());
    }

    @Test
    void aHeaderCutShortIsRefusedAsTruncatedOrCorrupt() {
        byte[] png = TestImages.png(TestImages.scene(64, 64, 3));
        ImageRefusal r = refused(Arrays.copyOf(png, 20), "image/png");
        assertTrue(r.problem() == ImageProblem.TRUNCATED || r.problem() == ImageProblem.CORRUPT, r.toString());
        assertFalse(r.getMessage().contains("Exception"), r.getMessage());
    }

    @Test
    void readingStopsOneBytePastTheLimit() {
        ImageRules small = new ImageRules(32, 1_000_000, 1000);
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 0x42;
            }
        };
        ImageRefusal r = assertThrows(ImageRefusal.class,
                () -> small.read(ImageUpload.ofStream(() -> endless, "image/jpeg", null), "upload"));
        assertEquals(ImageProblem.TOO_LARGE, r.problem());
        assertTrue(r.getMessage().contains("1000 bytes"), r.getMessage());
        assertTrue(served.get() <= 1001 + 8192, "bounded read, served " + served.get());

        byte[] exact = new byte[1000];
        assertArrayEquals(exact, small.read(ImageUpload.ofStream(() -> new java.io.ByteArrayInputStream(exact),
                null, null), "upload"));
        ImageRefusal inMemory = assertThrows(ImageRefusal.class,
                () -> small.read(ImageUpload.of(new byte[1001], null, null), "upload"));
        assertTrue(inMemory.getMessage().contains("is 1001 bytes"), inMemory.getMessage());
    }

    @Test
    void emptyAndUnreadableUploadsAreRefusedNamingTheImage() {
        assertEquals(ImageProblem.EMPTY, assertThrows(ImageRefusal.class,
                () -> rules.read(ImageUpload.of(new byte[0], "image/png", null), "a.png")).problem());
        ImageRefusal broken = assertThrows(ImageRefusal.class, () -> rules.read(ImageUpload.ofStream(() -> {
            throw new IOException("connection reset by peer");
        }, null, null), "image 2 of 4"));
        assertEquals(ImageProblem.UNREADABLE, broken.problem());
        assertTrue(broken.getMessage().contains("image 2 of 4") && broken.getMessage().contains("connection reset"));
        ImageRefusal missing = assertThrows(ImageRefusal.class,
                () -> rules.read(ImageUpload.ofFile(Path.of("/nonexistent/photo.jpg")), "/nonexistent/photo.jpg"));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void readErrorsAreSaidInWordsWithoutJavaClassNames() {
        ImageRefusal denied = assertThrows(ImageRefusal.class, () -> rules.read(ImageUpload.ofStream(() -> {
            throw new java.nio.file.AccessDeniedException("/photos/a.jpg");
        }, null, null), "/photos/a.jpg"));
        assertTrue(denied.getMessage().contains("cannot be read (permission denied)"), denied.getMessage());
        ImageRefusal io = assertThrows(ImageRefusal.class, () -> rules.read(ImageUpload.ofStream(() -> {
            throw new java.nio.file.FileSystemException("/photos/b.jpg", null, "Input/output error");
        }, null, null), "/photos/b.jpg"));
        assertTrue(io.getMessage().contains("cannot be read (Input/output error)"), io.getMessage());
        for (ImageRefusal r : new ImageRefusal[] {denied, io}) {
            assertFalse(r.getMessage().contains("Exception"), r.getMessage());
        }
    }

    @Test
    void aFolderGivenAsAnImageIsNamedSoInTheDecodersWordsNotTheOperatingSystems(@TempDir Path dir) {
        ImageRefusal folder = assertThrows(ImageRefusal.class,
                () -> rules.read(ImageUpload.ofFile(dir, "image/jpeg"), dir.toString()));
        assertEquals(ImageProblem.UNREADABLE, folder.problem());
        assertTrue(folder.getMessage().contains(dir.toString())
                && folder.getMessage().contains("is a directory, not an image file"), folder.getMessage());
        assertFalse(folder.getMessage().contains("Is a directory"), folder.getMessage());
        // the same words as the engine's decoder (the unaudited CLI path and inspect)
        ImageRejectedException decoded = assertThrows(ImageRejectedException.class,
                () -> new ImageDecoder().decode(dir));
        assertTrue(decoded.getMessage().contains(ImageDecoder.IS_A_DIRECTORY), decoded.getMessage());
    }
}
