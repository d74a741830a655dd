package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.geopigeon.app.GeoPigeonCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code geopigeon serve} start-up checks: no audit database, no service. */
class ServeCommandTest {

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new GeoPigeonCli());
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(new StringWriter(), true));
        return new Run(cmd.execute(args), err.toString());
    }

    @Test
    void refusesToStartWithoutAnAuditDatabaseAndSaysWhy() {
        Assumptions.assumeTrue(System.getenv("GEOPIGEON_JDBC_URL") == null && System.getProperty("geopigeon.jdbc.url") == null,
                "a database is configured in this environment");
        Run r = run("serve", "--port", "0");

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("refusing to start"), r.err());
        assertTrue(r.err().contains("audit log"), r.err());
        assertTrue(r.err().contains("GEOPIGEON_JDBC_URL"), r.err());
    }

    @Test
    void refusesToStartWhenTheAuditDatabaseIsUnreachable() {
        Run r = run("serve", "--port", "0", "--jdbc", "jdbc:postgresql://127.0.0.1:9/none?user=x&connectTimeout=2");

        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("audit database"), r.err());
        assertTrue(r.err().contains("connection refused at the database host and port"), "the words of every"
                + " command: " + r.err());
    }

    @Test
    void theJdbcPasswordIsNeverPrinted() {
        Run r = run("serve", "--port", "0", "--jdbc", "jdbc:postgresql://127.0.0.1:9/none?user=x&password=s3cret");

        assertEquals(3, r.exit(), r.err());
        assertTrue(!r.err().contains("s3cret") && r.err().contains("password=***"), r.err());
    }

    @Test
    void runningWithoutAuthenticationIsRefusedUnlessBoundToLoopback() {
        Run r = run("serve", "--port", "0", "--bind", "0.0.0.0", "--no-auth", "--jdbc",
                "jdbc:postgresql://127.0.0.1:9/none?user=x");

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--no-auth is allowed only when listening on loopback"), r.err());
    }

    @Test
    void anAddressThatIsNotThisMachinesOrAPortInUseIsNamedAsSuch() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of a real host.
        Run r = run("serve", "--port", "80", "--bind", "192.0.2.1", "--jdbc", "jdbc:postgresql://127.0.0.1:9/none?user=x");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("cannot listen on 192.0.2.1:80: 192.0.2.1 is not an address of this machine"),
                r.err());
        assertTrue(!r.err().contains("already in use") && !r.err().contains("Javalin"), r.err());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Run busy = run("serve", "--port", String.valueOf(taken.getLocalPort()), "--jdbc",
                    "jdbc:postgresql://127.0.0.1:9/none?user=x");
            assertEquals(1, busy.exit(), busy.err());
            assertTrue(busy.err().contains("port " + taken.getLocalPort() + " is already in use"), busy.err());
        }
    }

    @Test
    void aPrivilegedPortIsExplained() {
        String m = ListenAddress.describe(new java.net.BindException("Permission denied"), "127.0.0.1", 80);
        assertTrue(m.contains("ports below 1024 need root or the CAP_NET_BIND_SERVICE capability"), m);
    }

    @Test
    void badPrecisionAndMicroBatchOptionsAreUsageErrorsNamingTheOption() {
        String db = "jdbc:postgresql://127.0.0.1:9/none?user=x";
        Run p = run("serve", "--port", "0", "--precision", "fp64", "--jdbc", db);
        assertEquals(2, p.exit(), p.err());
        assertTrue(p.err().contains("--precision") && p.err().contains("unknown precision 'fp64'"), p.err());
        Run b = run("serve", "--port", "0", "--micro-batch", "65", "--jdbc", db);
        assertEquals(2, b.exit(), b.err());
        assertTrue(b.err().contains("--micro-batch must be 0 (off) to 64, got 65"), b.err());
        Run w = run("serve", "--port", "0", "--micro-batch", "8", "--micro-batch-wait-ms", "20000", "--jdbc", db);
        assertEquals(2, w.exit(), w.err());
        assertTrue(w.err().contains("--micro-batch-wait-ms must be 0-10000"), w.err());
    }

    @Test
    void microBatchingWidensTheInferenceSlotsToTheBatchSize() {
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs("--micro-batch", "8", "--micro-batch-wait-ms", "3", "--precision", "int8");
        org.geopigeon.service.ModelSettings m = c.modelSettings(org.geopigeon.service.ModelSettings.DEFAULT);
        assertEquals(8, m.microBatch());
        assertEquals(java.time.Duration.ofMillis(3), m.microBatchWait());
        assertEquals(org.geopigeon.engine.model.PrecisionChoice.INT8, m.precision());
        org.geopigeon.service.GeoPigeonConfig config = org.geopigeon.service.GeoPigeonConfig.from(k -> null, k -> null)
                .withModel(m);
        assertEquals(8, config.limits().maxConcurrent(), "each request of a batch holds an inference slot");
    }

    @Test
    void aMaxQueuedBelowTheInferenceSlotsIsRaisedToThemAndSaidSo() {
        org.geopigeon.service.GeoPigeonConfig config = org.geopigeon.service.GeoPigeonConfig.from(
                java.util.Map.of("geopigeon.maxConcurrent", "2")::get, k -> null);
        ServeCommand one = new ServeCommand();
        new CommandLine(one).parseArgs("--max-queued", "1");
        ServerSettings raised = one.settings(config);
        assertEquals(2, raised.maxQueued());
        assertEquals("NOTE: --max-queued 1 is below the 2 inference slots (geopigeon.maxConcurrent): up to 2"
                + " geolocations run or wait at once.", one.maxQueuedNote(raised));

        ServeCommand enough = new ServeCommand();
        new CommandLine(enough).parseArgs("--max-queued", "2");
        assertEquals(null, enough.maxQueuedNote(enough.settings(config)), "nothing to say when nothing was raised");

        ServeCommand zero = new ServeCommand();
        new CommandLine(zero).parseArgs("--max-queued", "0");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> zero.settings(config));
        assertEquals("--max-queued must be at least 1, got 0", e.getMessage());
    }

    @Test
    void helpDescribesTheOgcApiTokensAndLimits() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new GeoPigeonCli());
        cmd.setOut(new PrintWriter(out, true));
        assertEquals(0, cmd.execute("serve", "--help"));
        String help = out.toString();
        for (String expected : new String[] {"OGC API - Processes", "token create", "--no-auth", "--trust-proxy-user",
                "--max-upload-mb", "4/3", "--allow-href-host", "--enable-echo-process", "--basemap-url",
                "--min-upload-rate", "--read-timeout", "--job-retention-hours", "never on disk", "--precision",
                "--no-precision-per-request", "--micro-batch", "--micro-batch-wait-ms", "/viewer/ (a browser opening /",
                // --bundle, --jdbc and --precision come from the mixins every command shares
                "-Dgeopigeon.bundle", "$GEOPIGEON_JDBC_USER/_PASSWORD", "avx512_bf16"}) {
            assertTrue(help.contains(expected), "serve --help mentions " + expected + ":\n" + help);
        }
    }
}
