package org.geopigeon.wps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.geopigeon.engine.image.ImageFormat;
import org.geopigeon.service.ImageRules;
import org.geopigeon.service.testing.OgcSchemaValidator;
import org.geopigeon.service.testing.SchemaProblem;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.geotools.feature.NameImpl;
import org.geotools.process.Processors;
import org.junit.jupiter.api.Test;

/**
 * The Execute request shipped in the plugin zip and quoted in docs/geoserver.md is valid WPS 1.0.0, and its image
 * is what the process takes: raw base64 complex data that the process locates as GeoServer would hand it over.
 */
class WpsExecuteExampleTest {

    private static final Path EXAMPLE = Path.of(System.getProperty("geopigeon.stylesDir", "../styles")).resolve(
            "../plugin/src/assembly/examples/geolocate-execute-async.xml").normalize();
    private static final Pattern IMAGE = Pattern.compile(
            "<wps:ComplexData mimeType=\"([^\"]+)\" encoding=\"base64\">([^<]+)</wps:ComplexData>");

    @Test
    void asyncExecuteExampleIsValidWps100() throws IOException {
        assertTrue(Files.isRegularFile(EXAMPLE), "example missing: " + EXAMPLE);

        List<SchemaProblem> problems = new OgcSchemaValidator(OgcSchemaValidator.WPS_1_0_0_EXECUTE).validate(EXAMPLE);

        assertTrue(problems.isEmpty(), () -> problems.stream().map(SchemaProblem::toString)
                .collect(Collectors.joining("\n")));
    }

    @Test
    void theExampleAsksForAsynchronousExecutionOfGeolocate() throws IOException {
        String xml = Files.readString(EXAMPLE);
        assertTrue(xml.contains("<ows:Identifier>geopigeon:Geolocate</ows:Identifier>"));
        assertTrue(xml.contains("storeExecuteResponse=\"true\" status=\"true\""));
    }

    @Test
    void theExampleImageIsABase64JpegThatTheProcessLocates() throws IOException {
        Matcher m = IMAGE.matcher(Files.readString(EXAMPLE));
        assertTrue(m.find(), "a base64 raw image input");
        assertEquals("image/jpeg", m.group(1));
        byte[] jpeg = Base64.getMimeDecoder().decode(m.group(2));
        assertEquals(ImageFormat.JPEG, ImageRules.defaults().checkHeader(jpeg, m.group(1), "example").format(),
                "declared type and bytes agree, and the size rules pass");

        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("wps_example");
        System.setProperty("geopigeon.jdbc.url", db.jdbcUrl());
        try {
            Map<String, Object> in = new HashMap<>();
            in.put("image", List.of(new StreamRawData(m.group(1), jpeg)));
            in.put("purpose", "Installation check with a synthetic image");
            in.put("topK", 5);
            Map<String, Object> out = Processors.createProcess(new NameImpl("geopigeon", "Geolocate")).execute(in, null);
            assertTrue(!((String) out.get("predictionId")).isEmpty(), "stored, as the example's store=true asks");
        } finally {
            System.clearProperty("geopigeon.jdbc.url");
        }
    }
}
