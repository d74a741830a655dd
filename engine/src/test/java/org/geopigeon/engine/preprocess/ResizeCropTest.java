package org.geopigeon.engine.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** transformers' shortest-edge resize and centre-crop arithmetic. */
class ResizeCropTest {

    @Test
    void landscapeShortSideBecomesSizeAndLongSideIsTruncated() {
        // int(224 * 640 / 480) = int(298.67) = 298; left = (298 - 224) // 2 = 37
        assertEquals(new ResizeCrop(298, 224, 37, 0, 224), ResizeCrop.of(640, 480, 224));
    }

    @Test
    void portraitKeepsOrientation() {
        // int(336 * 4032 / 3024) = 448; top = (448 - 336) // 2 = 56
        assertEquals(new ResizeCrop(336, 448, 0, 56, 336), ResizeCrop.of(3024, 4032, 336));
    }

    @Test
    void oddMarginRoundsTheCropOffsetDown() {
        // int(224 * 1023 / 577) = int(397.15) = 397; (397 - 224) // 2 = 86 (floor of 86.5)
        assertEquals(new ResizeCrop(397, 224, 86, 0, 224), ResizeCrop.of(1023, 577, 224));
    }

    @Test
    void squareNeedsNoCrop() {
        assertEquals(new ResizeCrop(336, 336, 0, 0, 336), ResizeCrop.of(1000, 1000, 336));
    }

    @Test
    void smallImagesAreUpscaled() {
        // int(224 * 150 / 97) = int(346.39) = 346
        assertEquals(new ResizeCrop(346, 224, 61, 0, 224), ResizeCrop.of(150, 97, 224));
    }

    @Test
    void rejectsEmptySizes() {
        assertThrows(IllegalArgumentException.class, () -> ResizeCrop.of(0, 10, 224));
        assertThrows(IllegalArgumentException.class, () -> ResizeCrop.of(10, 10, 0));
    }
}
