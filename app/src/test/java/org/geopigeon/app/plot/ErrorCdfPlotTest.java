package org.geopigeon.app.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorCdfPlotTest {

    @Test
    void writesAPngWithOneCurvePerSeries(@TempDir Path dir) throws Exception {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("good", new double[] {0.5, 3, 20, 100});
        s.put("bad", new double[] {500, 900, 3000, 8000});
        Path png = dir.resolve("cdf.png");
        ErrorCdfPlot.write(png, "test", s);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(560, img.getHeight());
        // The first curve (blue) reaches 100% before 1,000 km; the plot is not blank there.
        int blue = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0x1f77b4) {
                    blue++;
                }
            }
        }
        assertNotEquals(0, blue);
    }

    @Test
    void refusesAnEmptyPlot(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> ErrorCdfPlot.write(dir.resolve("x.png"), "t", Map.of()));
    }
}
