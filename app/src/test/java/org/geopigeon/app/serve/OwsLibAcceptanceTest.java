package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.Test;

/**
 * A real OGC API client against the service: OWSLib (Debian's python3-owslib, run with /usr/bin/python3) lists
 * and describes the processes, then plain HTTP executes geolocate synchronously and asynchronously with polling,
 * and a Python client sending a 200 MB body sees the 413. tools/test.sh installs python3-owslib.
 */
class OwsLibAcceptanceTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void owsLibListsAndDescribesProcessesAndPythonExecutesSyncAndAsync() throws Exception {
        assertTrue(Files.isExecutable(PYTHON), "this test needs Debian's python3 and python3-owslib (tools/test.sh"
                + " installs them)");
        Path script = Files.createTempFile("owslib_acceptance", ".py");
        try (InputStream in = getClass().getResourceAsStream("owslib_acceptance.py")) {
            Files.write(script, in.readAllBytes());
        }
        try (RunningService svc = RunningService.start("owslib")) {
            Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), svc.server.uri().toString(),
                    svc.token(Role.ANALYST), RunningService.REPO.resolve("sample-data/photos/street_with_gps.jpg")
                    .toString()).redirectErrorStream(true).start();
            boolean done = p.waitFor(300, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
            }
            assertTrue(done, "OWSLib acceptance test did not finish:\n" + out);
            assertTrue(!out.contains("No module named 'owslib'"), "install python3-owslib (tools/test.sh does):\n" + out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("ok   async: results fetched") && out.contains("the 413 arrives"), out);
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
