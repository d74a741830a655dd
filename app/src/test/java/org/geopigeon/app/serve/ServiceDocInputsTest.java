package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.geopigeon.app.serve.process.GeolocateProcess;
import org.geopigeon.app.serve.process.InputSpec;
import org.geopigeon.service.store.ErrorCode;
import org.junit.jupiter.api.Test;

/**
 * docs/service.md describes what the server describes: every input of the {@code geolocate} process
 * ({@code GET /processes/geolocate}, from {@link GeolocateProcess#spec()}) is named in the doc's paragraph on the
 * process and in the OpenAPI document's execute operation, and every error code the service can answer with is in
 * the doc's error table (a fifth input, {@code precision}, once went undocumented).
 */
class ServiceDocInputsTest {

    private static final String PARAGRAPH_START = "**`geolocate`** takes";
    private static final String PARAGRAPH_END = "With `\"response\": \"document\"`";

    @Test
    void everyInputOfTheProcessIsDocumentedInServiceMdAndTheOpenApiDocument() throws IOException {
        String doc = Files.readString(DocsExamplesTest.DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf(PARAGRAPH_START);
        int end = doc.indexOf(PARAGRAPH_END, start);
        assertTrue(start >= 0 && end > start, "docs/service.md has the paragraph on geolocate's inputs");
        String paragraph = doc.substring(start, end);
        String openApi = openApi();

        List<String> ids = new GeolocateProcess(null, null, new ObjectMapper(), true, 5).spec().inputs().stream()
                .map(InputSpec::id).toList();
        assertEquals(List.of("image", "purpose", "topK", "store", "precision"), ids, "the inputs this test knows");
        for (String id : ids) {
            assertTrue(paragraph.contains("`" + id + "`"), "docs/service.md does not describe the input " + id);
            assertTrue(openApi.contains("`" + id + "`"), "openapi.yaml does not describe the input " + id);
        }
    }

    @Test
    void everyErrorCodeIsInTheErrorTable() throws IOException {
        String doc = Files.readString(DocsExamplesTest.DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf("### Errors");
        int end = doc.indexOf("\n## ", start);
        assertTrue(start >= 0 && end > start, "docs/service.md has an Errors section");
        String errors = doc.substring(start, end);
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(errors.contains("`" + code.name() + "`"), "the error table lacks " + code.name());
        }
    }

    private static String openApi() throws IOException {
        try (InputStream in = GeolocateProcess.class.getResourceAsStream("/org/geopigeon/app/serve/ogc/openapi.yaml")) {
            assertTrue(in != null, "openapi.yaml on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
