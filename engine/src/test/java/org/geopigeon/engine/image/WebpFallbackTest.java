package org.geopigeon.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where libwebp's native library cannot load, WebP goes through TwelveMonkeys' pure-Java decoder. Lossless WebP is
 * still exact; lossy WebP differs from libwebp (Pillow) by the amounts bounded here, measured on every lossy case
 * (docs/image-input.md gives the figures). Exceeding them means the fallback got worse.
 */
class WebpFallbackTest {

    /** Mean absolute difference per RGB value, in levels of 255, allowed for one lossy image (worst measured: 9.5). */
    static final double MAX_MEAN_DIFF = 10.0;
    /** Share of RGB values that may differ by more than 8 levels (worst measured: 0.386). */
    static final double MAX_SHARE_OVER_8 = 0.40;

    private final ImageDecoder libwebp = new ImageDecoder();
    private final ImageDecoder fallback = new ImageDecoder(ImageLimits.defaults(), false);

    static Stream<IngestCases> webpCases() {
        return IngestCases.all().filter(c -> c.file().endsWith(".webp") && c.accepted());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webpCases")
    void fallbackStaysWithinTheDocumentedDifference(IngestCases c) {
        DecodedImage exact = libwebp.decode(c.path());
        DecodedImage approx = fallback.decode(c.path());
        assertEquals(c.get("pixel_sha256"), PixelHash.sha256(exact.rgb()), "libwebp gives Pillow's pixels");
        assertTrue(approx.warnings().stream().anyMatch(w -> w.contains("pure-Java WebP fallback")), approx.warnings().toString());
        assertEquals(exact.width(), approx.width());
        assertEquals(exact.height(), approx.height());
        int[] a = RgbConverter.packedRgb(exact.rgb());
        int[] b = RgbConverter.packedRgb(approx.rgb());
        if (c.get("note").contains("lossless")) {
            assertArrayEquals(a, b, "lossless WebP is exact in both decoders");
            return;
        }
        long sum = 0;
        int max = 0;
        int over8 = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = Math.abs((a[i] >> shift & 0xFF) - (b[i] >> shift & 0xFF));
                sum += d;
                max = Math.max(max, d);
                over8 += d > 8 ? 1 : 0;
            }
        }
        double mean = sum / (3.0 * a.length);
        double share = over8 / (3.0 * a.length);
        System.out.printf("webp-fallback %-36s mean=%.3f max=%d over8=%.4f%n", c.file(), mean, max, share);
        assertTrue(mean <= MAX_MEAN_DIFF, "mean difference " + mean + " > " + MAX_MEAN_DIFF);
        assertTrue(share <= MAX_SHARE_OVER_8, "share of values off by more than 8: " + share);
    }
}
