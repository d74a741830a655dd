package org.geopigeon.service.styles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.geopigeon.service.testing.OgcSchemaValidator;
import org.geopigeon.service.testing.SchemaProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SldSchemaValidationTest {

    private static OgcSchemaValidator validator;

    @BeforeAll
    static void loadSchema() {
        validator = new OgcSchemaValidator(OgcSchemaValidator.SLD_1_0_0);
    }

    static Stream<Path> styles() {
        return StyleFiles.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void everyProjectStyleIsValidSld100(Path sld) throws IOException {
        List<SchemaProblem> problems = validator.validate(sld);
        assertTrue(problems.isEmpty(), () -> "SLD schema violations:\n"
                + problems.stream().map(SchemaProblem::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void theFourDocumentedStylesExist() {
        List<String> names = StyleFiles.all().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("geopigeon_predicted_cells.sld", "geopigeon_predicted_points.sld",
                "geopigeon_geocells.sld", "geopigeon_exif_vs_estimate.sld")), names::toString);
    }

    @Test
    void anUnknownElementIsRejectedWithItsLine(@TempDir Path dir) throws IOException {
        String valid = Files.readString(StyleFiles.named("geopigeon_predicted_points.sld"));
        String broken = valid.replaceFirst("<Size>10</Size>", "<Size>10</Size><Sparkle>yes</Sparkle>");
        Path sld = dir.resolve("broken.sld");
        Files.writeString(sld, broken);
        int expectedLine = lineOf(broken, "<Sparkle>");

        List<SchemaProblem> problems = validator.validate(sld);

        assertFalse(problems.isEmpty(), "an unknown element must be rejected");
        SchemaProblem first = problems.get(0);
        assertEquals("broken.sld", first.file());
        assertEquals(expectedLine, first.line());
        assertTrue(first.message().contains("Sparkle"), first.message());
    }

    @Test
    void aWrongRootVersionAttributeIsRejected(@TempDir Path dir) throws IOException {
        String valid = Files.readString(StyleFiles.named("geopigeon_geocells.sld"));
        Path sld = dir.resolve("no-version.sld");
        Files.writeString(sld, valid.replaceFirst(" version=\"1.0.0\"", ""));

        assertFalse(validator.validate(sld).isEmpty(), "StyledLayerDescriptor without version must be rejected");
    }

    @Test
    void malformedXmlIsReportedNotThrown(@TempDir Path dir) throws IOException {
        Path sld = dir.resolve("truncated.sld");
        Files.writeString(sld, "<StyledLayerDescriptor version=\"1.0.0\" xmlns=\"http://www.opengis.net/sld\">");

        List<SchemaProblem> problems = validator.validate(sld);

        assertEquals(1, problems.size(), problems::toString);
        assertEquals("truncated.sld", problems.get(0).file());
    }

    private static int lineOf(String text, String needle) {
        int idx = text.indexOf(needle);
        return (int) text.substring(0, idx).chars().filter(c -> c == '\n').count() + 1;
    }
}
