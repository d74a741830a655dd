package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.Test;

/**
 * The curl examples of docs/service.md work: every {@code ```sh} block is run, in order, in one bash session
 * against a running service, with curl failing on any HTTP error ({@code --fail-with-body}). tools/test.sh
 * installs curl.
 */
class DocsExamplesTest {

    static final Path DOC = RunningService.REPO.resolve("docs/service.md");

    static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void theCurlExamplesOfTheServiceDocumentationRun(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "this test needs curl (tools/test.sh installs it)");
        List<String> blocks = shellBlocks(Files.readString(DOC));
        assertTrue(blocks.size() >= 5, "examples found: " + blocks.size());
        Path photos = RunningService.REPO.resolve("sample-data/photos");
        Files.copy(photos.resolve("street_with_gps.jpg"), dir.resolve("photo.jpg"));
        String[] views = {"n", "e", "s", "w"};
        for (int i = 0; i < 4; i++) {
            Files.copy(photos.resolve(String.format("panorama_%03d.jpg", i * 90)), dir.resolve(views[i] + ".jpg"));
        }
        Files.writeString(dir.resolve(".curlrc"), "--fail-with-body\n--silent\n--show-error\n--max-time 120\n");
        Path script = dir.resolve("examples.sh");
        Files.writeString(script, "set -euo pipefail\n" + String.join("\n", blocks));
        try (RunningService svc = RunningService.start("docs")) {
            ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString()).directory(dir.toFile())
                    .redirectErrorStream(true);
            String base = svc.server.uri().toString().replaceAll("/$", "");
            pb.environment().put("GEOPIGEON", base);
            pb.environment().put("TOKEN", svc.token(Role.ANALYST));
            pb.environment().put("AUDITOR_TOKEN", svc.token(Role.AUDITOR));
            pb.environment().put("CURL_HOME", dir.toString());
            Process p = pb.start();
            boolean done = p.waitFor(300, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(done, "the examples did not finish:\n" + out);
            assertEquals(0, p.exitValue(), "an example of docs/service.md failed:\n" + out);

            JsonNode result = RunningService.JSON.readTree(dir.resolve("result.json").toFile());
            assertEquals(5, result.get("cells").get("value").get("features").size());
            JsonNode cells = RunningService.JSON.readTree(dir.resolve("cells.geojson").toFile());
            assertEquals("FeatureCollection", cells.get("type").asText());
            JsonNode pano = RunningService.JSON.readTree(dir.resolve("panorama-result.json").toFile());
            assertTrue(pano.get("location").get("value").get("properties").get("panorama").asBoolean());
            JsonNode old = RunningService.JSON.readTree(dir.resolve("old-style.geojson").toFile());
            assertEquals("estimate", old.get("features").get(0).get("properties").get("kind").asText());
            assertFalse(out.contains("\"type\":\"urn:geopigeon:problem"), out);
        }
    }
}
