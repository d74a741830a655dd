package org.geopigeon.wps;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.geopigeon.service.testing.OgcSchemaValidator;
import org.geopigeon.service.testing.SchemaProblem;
import org.junit.jupiter.api.Test;

/** The Execute request shipped in the plugin zip and quoted in docs/geoserver.md is valid WPS 1.0.0. */
class WpsExecuteExampleTest {

    @Test
    void asyncExecuteExampleIsValidWps100() throws IOException {
        Path example = Path.of(System.getProperty("geopigeon.stylesDir", "../styles")).resolve(
                "../plugin/src/assembly/examples/geolocate-execute-async.xml").normalize();
        assertTrue(Files.isRegularFile(example), "example missing: " + example);

        List<SchemaProblem> problems = new OgcSchemaValidator(OgcSchemaValidator.WPS_1_0_0_EXECUTE).validate(example);

        assertTrue(problems.isEmpty(), () -> problems.stream().map(SchemaProblem::toString)
                .collect(Collectors.joining("\n")));
    }

    @Test
    void theExampleAsksForAsynchronousExecutionOfGeolocate() throws IOException {
        String xml = Files.readString(Path.of(System.getProperty("geopigeon.stylesDir", "../styles")).resolve(
                "../plugin/src/assembly/examples/geolocate-execute-async.xml").normalize());
        assertTrue(xml.contains("<ows:Identifier>geopigeon:Geolocate</ows:Identifier>"));
        assertTrue(xml.contains("storeExecuteResponse=\"true\" status=\"true\""));
        assertTrue(xml.contains("encoding=\"base64\""));
    }
}
