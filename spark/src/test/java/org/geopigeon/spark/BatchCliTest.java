package org.geopigeon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line errors of {@code geopigeon batch} are usage errors (exit 2) that say what to do, before Spark starts. */
class BatchCliTest {

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new BatchCli());
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(new StringWriter()));
        return new Run(cmd.execute(args), err.toString());
    }

    @Test
    void aPurposeIsRequired() {
        Run r = run("--input", "x", "--out", "y", "--jdbc", "jdbc:postgresql://h/db");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--purpose TEXT is required"), r.err());
    }

    @Test
    void inputAndOutputAreRequired() {
        Run r = run("--purpose", "p");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--input PATH and --out PATH are required"), r.err());
    }

    @Test
    void anUnsupportedPrecisionOrTopKIsRefused() {
        Run r = run("--input", "x", "--out", "y", "--purpose", "p", "--jdbc", "jdbc:postgresql://h/db",
                "--precision", "int4");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--precision int4 is not supported"), r.err());
        Run k = run("--input", "x", "--out", "y", "--purpose", "p", "--top-k", "0");
        assertEquals(2, k.exit());
        assertTrue(k.err().contains("--top-k must be between 1 and 50"), k.err());
        assertFalse(k.err().contains("Exception"), k.err());
    }

    @Test
    void verboseIsAcceptedAsByEveryCommand() {
        Run r = run("--verbose", "--purpose", "p");
        assertEquals(2, r.exit());
        assertFalse(r.err().contains("Unknown option"), r.err());
        assertTrue(r.err().contains("--input PATH and --out PATH are required"), r.err());
        Run g = run("gallery", "--verbose", "--input", "x");
        assertEquals(2, g.exit());
        assertFalse(g.err().contains("Unknown option"), g.err());
    }

    @Test
    void theBannerShowsTheMasterAsTyped() {
        assertEquals("local[2] (failed tasks tried up to 4 times)",
                SparkSessions.describe(SparkSessions.withRetries("local[2]")));
        assertEquals("local[*] (failed tasks tried up to 4 times)",
                SparkSessions.describe(SparkSessions.withRetries("local[*]")));
        assertEquals("local[2,1]", SparkSessions.describe("local[2,1]"));
        assertEquals("yarn", SparkSessions.describe("yarn"));
    }

    @Test
    void theServiceLogGoesToAFileUnlessVerbose(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.util.Properties saved = (java.util.Properties) System.getProperties().clone();
        try {
            BatchLogging quiet = BatchLogging.configure(new String[] {"--purpose", "p"});
            assertTrue(quiet.file() != null && quiet.file().isAbsolute(), String.valueOf(quiet.file()));
            assertEquals("false", System.getProperty(BatchLogging.CONSOLE_PROPERTY));
            assertEquals(quiet.file().toString(), System.getProperty(BatchLogging.FILE_PROPERTY));
            assertEquals(quiet.file().toString(),
                    org.geopigeon.service.store.StoreException.logName(), "incident ids name the file");
            BatchLogging verbose = BatchLogging.configure(new String[] {"--verbose"});
            assertEquals(null, verbose.file());
            assertEquals("true", System.getProperty(BatchLogging.CONSOLE_PROPERTY));
        } finally {
            System.setProperties(saved);
        }
    }

    @Test
    void theLog4jConfigurationRoutesTheServiceLogByTheseProperties() throws java.io.IOException {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = BatchCliTest.class.getResourceAsStream("/geopigeon-batch-log4j2.properties")) {
            p.load(in);
        }
        assertEquals("org.geopigeon.service", p.getProperty("logger.service.name"));
        assertEquals("${sys:" + BatchLogging.CONSOLE_PROPERTY + ":-false}", p.getProperty("logger.service.additivity"));
        assertTrue(p.getProperty("appender.details.fileName").startsWith("${sys:" + BatchLogging.FILE_PROPERTY + ":-"));
    }

    @Test
    void localMastersRetryFailedTasksLikeClusters() {
        assertEquals("local[2,4]", SparkSessions.withRetries("local[2]"));
        assertEquals("local[*,4]", SparkSessions.withRetries("local[*]"));
        assertEquals("local[2,1]", SparkSessions.withRetries("local[2,1]"));
        assertEquals("yarn", SparkSessions.withRetries("yarn"));
    }
}
