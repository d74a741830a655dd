package org.geopigeon.service.styles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import javax.imageio.ImageIO;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.geopigeon.service.styles.KnownPredictions.Cell;
import org.geopigeon.service.styles.KnownPredictions.Point;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the project's SLDs with MapServer (WMS GetMap + SLD_BODY through the CGI) over the real
 * PostGIS schema and checks the colours at known pixels. MapServer, like GeoServer, turns each
 * Rule + ogc:Filter into a class, so this is a GeoServer-free check of the styles' logic.
 * The PNGs are left in {@code <build dir>/render} for people to look at.
 *
 * <p>Needs /usr/lib/cgi-bin/mapserv (apt: cgi-mapserver) and PostgreSQL 15 + PostGIS; fails, rather
 * than skips, when they are missing, unless GEOPIGEON_SKIP_RENDER=1.
 */
class MapServerRenderTest {

    /** Anti-aliasing and compositing rounding; every class colour differs from its neighbours by far more. */
    private static final int TOLERANCE = 6;
    private static final double FILL_OPACITY = 0.6;
    private static final int SIZE = 200;
    /** 0..10 degrees on 200 px: 20 px per degree. */
    private static final double[] OVERVIEW = {0, 0, 10, 10};

    /** The specification of geopigeon_predicted_cells.sld: ColorBrewer YlOrRd by probability class. */
    private static final Map<Double, String> PROBABILITY_FILL = Map.of(
            0.00, "#ffffb2", 0.05, "#fecc5c", 0.15, "#fd8d3c", 0.30, "#f03b20", 0.50, "#bd0026");
    /** The specification of geopigeon_predicted_points.sld: fill and diameter by confidence class. */
    private static final Map<Double, String> CONFIDENCE_FILL = Map.of(0.10, "#9ecae1", 0.25, "#4292c6", 0.50, "#08306b");

    @TempDir
    static Path mapDir;
    private static MapServerCgi mapserver;
    private static TestMapfile mapfile;
    private static Path outputDir;

    @BeforeAll
    static void serveKnownPredictions() throws Exception {
        assumeFalse("1".equals(System.getenv("GEOPIGEON_SKIP_RENDER")), "GEOPIGEON_SKIP_RENDER=1");
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("render");
        try (Connection c = db.connection()) {
            KnownPredictions.insert(c);
        }
        mapfile = TestMapfile.write(mapDir, db.libpqConnectionString(), "select * from geopigeon.predicted_points");
        mapserver = new MapServerCgi(MapServerCgi.DEBIAN_CGI, mapfile.configFile());
        outputDir = Path.of(System.getProperty("buildDirectory", "target"), "render");
        Files.createDirectories(outputDir);
    }

    @Test
    void eachProbabilityClassIsFilledWithItsYlOrRdColourAt60PercentOpacity() throws Exception {
        WmsGetMap request = request("predicted_cells", "geopigeon_predicted_cells.sld", OVERVIEW);
        BufferedImage map = render(request, "geopigeon_predicted_cells.png");

        for (Cell cell : KnownPredictions.CELLS) {
            Rgb expected = Rgb.hex(PROBABILITY_FILL.get(cell.probability())).over(Rgb.WHITE, FILL_OPACITY);
            Rgb actual = pixel(map, request.x(cell.centreLon()), request.y(cell.centreLat()));
            assertTrue(actual.distance(expected) <= TOLERANCE,
                    "cell with probability " + cell.probability() + ": expected " + expected + ", got " + actual);
        }
    }

    @Test
    void theMostProbableCellAloneGetsAThickDarkOutline() throws Exception {
        WmsGetMap request = request("predicted_cells", "geopigeon_predicted_cells.sld", OVERVIEW);
        BufferedImage map = render(request, "geopigeon_predicted_cells.png");

        for (Cell cell : KnownPredictions.CELLS) {
            double edgeLuma = darkestAcross(map, request.x(cell.west()), request.y(cell.centreLat()));
            if (cell.rank() == 1) {
                assertTrue(edgeLuma < 80, "rank-1 cell west edge should be dark, luma " + edgeLuma);
            } else {
                assertTrue(edgeLuma > 110, "rank-" + cell.rank() + " cell edge should be a thin light line, luma "
                        + edgeLuma);
            }
        }
    }

    @Test
    void pointsAreColouredAndSizedByConfidenceClass() throws Exception {
        WmsGetMap request = request("predicted_points", "geopigeon_predicted_points.sld", OVERVIEW);
        BufferedImage map = render(request, "geopigeon_predicted_points.png");

        for (Point p : KnownPredictions.POINTS) {
            Rgb expected = Rgb.hex(CONFIDENCE_FILL.get(p.confidence()));
            Rgb centre = pixel(map, request.x(p.lon()), request.y(p.lat()));
            assertTrue(centre.distance(expected) <= TOLERANCE,
                    "confidence " + p.confidence() + ": expected " + expected + ", got " + centre);
        }
        // 6 px from the centre: outside the low (10 px) circle, inside the high (18 px) one.
        Point low = KnownPredictions.POINTS.get(0);
        Point high = KnownPredictions.POINTS.get(2);
        assertEquals(Rgb.WHITE, pixel(map, request.x(low.lon()) + 6, request.y(low.lat())), "low-confidence marker is small");
        assertTrue(pixel(map, request.x(high.lon()) + 6, request.y(high.lat())).distance(Rgb.hex("#08306b")) <= TOLERANCE,
                "high-confidence marker is large");
    }

    @Test
    void geocellsAreUnfilledOutlinesWithoutLabelsWhenZoomedOut() throws Exception {
        WmsGetMap request = request("geocells", "geopigeon_geocells.sld", OVERVIEW);
        BufferedImage map = render(request, "geopigeon_geocells.png");
        Rgb outline = Rgb.hex("#3f6fb5");

        for (Cell cell : KnownPredictions.CELLS) {
            int cx = request.x(cell.centreLon());
            int cy = request.y(cell.centreLat());
            assertEquals(0, darkPixels(map, cx - 12, cy - 12, cx + 12, cy + 12), "no fill and no label inside cell "
                    + cell.classIndex() + " at 1:" + "200M");
            assertTrue(closestTo(map, outline, request.x(cell.west()), cy) <= TOLERANCE,
                    "outline colour on the west edge of cell " + cell.classIndex());
        }
    }

    @Test
    void geocellNamesAppearWhenZoomedIn() throws Exception {
        Cell cell = KnownPredictions.CELLS.get(0);
        double[] zoomed = {cell.centreLon() - 1, cell.centreLat() - 1, cell.centreLon() + 1, cell.centreLat() + 1};
        WmsGetMap request = request("geocells", "geopigeon_geocells.sld", zoomed);
        BufferedImage map = render(request, "geopigeon_geocells_zoomed.png");

        int cx = request.x(cell.centreLon());
        int cy = request.y(cell.centreLat());
        int text = darkPixels(map, cx - 40, cy - 12, cx + 40, cy + 12);
        assertTrue(text > 20, "label 'Cell 0' drawn around the cell centre; dark pixels: " + text);
    }

    @Test
    void exifStyleDrawsEveryEstimateAsARedCircle() throws Exception {
        // MapServer draws a layer's single DATA geometry and ignores <Geometry>, so only the estimate
        // symbol can be checked here; the EXIF square and error line need GeoServer (docs/geoserver.md).
        WmsGetMap request = request("predicted_points", "geopigeon_exif_vs_estimate.sld", OVERVIEW);
        BufferedImage map = render(request, "geopigeon_exif_vs_estimate.png");

        for (Point p : KnownPredictions.POINTS) {
            Rgb centre = pixel(map, request.x(p.lon()), request.y(p.lat()));
            assertTrue(centre.distance(Rgb.hex("#d73027")) <= TOLERANCE, "estimate " + p.predictionId() + ": " + centre);
        }
    }

    private static WmsGetMap request(String layer, String sld, double[] bbox) throws IOException {
        return new WmsGetMap(layer, bbox[0], bbox[1], bbox[2], bbox[3], SIZE, SIZE,
                Files.readString(StyleFiles.named(sld)));
    }

    private static BufferedImage render(WmsGetMap request, String pngName) throws Exception {
        CgiResponse response = mapserver.get(request.queryString(mapfile.mapfile()));
        if (!response.contentType().startsWith("image/png")) {
            fail("MapServer did not return a PNG for " + pngName + " (" + response.contentType() + "):\n"
                    + response.bodyText());
        }
        Files.write(outputDir.resolve(pngName), response.body());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertEquals(SIZE, image.getWidth());
        return image;
    }

    private static Rgb pixel(BufferedImage image, int x, int y) {
        return Rgb.ofArgb(image.getRGB(x, y));
    }

    /** Darkest luma in the 4 pixels straddling a vertical edge at column x. */
    private static double darkestAcross(BufferedImage image, int x, int y) {
        double min = 255;
        for (int dx = -2; dx <= 1; dx++) {
            min = Math.min(min, pixel(image, x + dx, y).luma());
        }
        return min;
    }

    /** Smallest colour distance to {@code colour} among the pixels within 1 px of (x, y). */
    private static int closestTo(BufferedImage image, Rgb colour, int x, int y) {
        int best = 255;
        for (int dx = -1; dx <= 1; dx++) {
            best = Math.min(best, pixel(image, x + dx, y).distance(colour));
        }
        return best;
    }

    private static int darkPixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = Math.max(0, y0); y < Math.min(image.getHeight(), y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(image.getWidth(), x1); x++) {
                if (pixel(image, x, y).luma() < 180) {
                    n++;
                }
            }
        }
        return n;
    }
}
