package org.geopigeon.engine.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with Hugging Face CLIPImageProcessor (Pillow path). The golden uint8 vectors come from
 * tools/make_preprocess_golden.py; the sources are PNGs and JPEGs, one of them tagged with a Display P3 ICC profile
 * and one with its position only in XMP, as phone photos are. The decoder gives libjpeg-turbo's pixels and ignores
 * ICC profiles as Pillow does, so every vector must be bit-exact.
 */
class ClipPreprocessorGoldenTest {

    record Golden(String file, int size, int resizedWidth, int resizedHeight, String golden) {
        @Override
        public String toString() {
            return file + " S=" + size;
        }
    }

    static Path resources() throws URISyntaxException {
        return Path.of(ClipPreprocessorGoldenTest.class.getResource("/preprocess/golden.csv").toURI()).getParent();
    }

    static Stream<Golden> goldens() throws IOException, URISyntaxException {
        List<String> lines = Files.readAllLines(resources().resolve("golden.csv"));
        return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(","))
                .map(c -> new Golden(c[0], Integer.parseInt(c[1]), Integer.parseInt(c[2]), Integer.parseInt(c[3]), c[4]));
    }

    @Test
    void goldenSetCoversTheCasesThatMatter() throws Exception {
        List<Golden> all = goldens().toList();
        assertTrue(all.size() >= 6, "at least 6 golden vectors");
        assertTrue(all.stream().anyMatch(g -> g.size() == 336) && all.stream().anyMatch(g -> g.size() == 224));
        ImageDecoder decoder = new ImageDecoder();
        boolean portrait = false, landscape = false, smaller = false, huge = false, iccTagged = false, xmpGps = false;
        for (Golden g : all) {
            DecodedImage image = decoder.decode(resources().resolve(g.file()));
            iccTagged |= image.metadata().iccProfile() != null;
            xmpGps |= "xmp".equals(image.gpsSource());
            portrait |= image.height() > image.width();
            landscape |= image.width() > image.height();
            smaller |= Math.min(image.width(), image.height()) < g.size();
            huge |= Math.max(image.width(), image.height()) > 4000;
        }
        assertTrue(portrait && landscape && smaller && huge, "portrait, landscape, upscaled and >4000 px cases");
        assertTrue(iccTagged && xmpGps, "an ICC-tagged JPEG and one with its position only in XMP");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void matchesHuggingFaceBeforeNormalisation(Golden g) throws Exception {
        DecodedImage image = new ImageDecoder().decode(resources().resolve(g.file()));
        ResizeCrop geometry = ResizeCrop.of(image.width(), image.height(), g.size());
        assertEquals(g.resizedWidth(), geometry.resizedWidth(), "resized width");
        assertEquals(g.resizedHeight(), geometry.resizedHeight(), "resized height");

        byte[] expected = Files.readAllBytes(resources().resolve(g.golden()));
        byte[] actual = new ClipPreprocessor(PreprocessConfig.clipDefaults(g.size())).toChwUint8(image.rgb());
        assertEquals(expected.length, actual.length);

        int exact = 0;
        int withinOne = 0;
        int maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            int diff = Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
            exact += diff == 0 ? 1 : 0;
            withinOne += diff <= 1 ? 1 : 0;
            maxDiff = Math.max(maxDiff, diff);
        }
        double exactFraction = (double) exact / expected.length;
        double withinOneFraction = (double) withinOne / expected.length;
        System.out.printf("golden %-24s S=%d exact=%.6f within1=%.6f maxAbsDiff=%d%n",
                g.file(), g.size(), exactFraction, withinOneFraction, maxDiff);

        assertTrue(withinOneFraction >= 0.999,
                "at least 99.9% of values within 1/255, got " + withinOneFraction + " (max diff " + maxDiff + ")");
        // Same decoded pixels as Pillow (ICC profile ignored, libjpeg's YCbCr->RGB), same resampler: bit-exact.
        assertArrayEquals(expected, actual, "bit-exact with Pillow");
    }
}
