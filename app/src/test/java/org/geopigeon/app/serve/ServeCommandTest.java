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
    void helpDescribesTheOgcApiTokensAndLimits() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new GeoPigeonCli());
        cmd.setOut(new PrintWriter(out, true));
        assertEquals(0, cmd.execute("serve", "--help"));
        String help = out.toString();
        for (String expected : new String[] {"OGC API - Processes", "token create", "--no-auth", "--trust-proxy-user",
                "--max-upload-mb", "4/3", "--allow-href-host", "--enable-echo-process", "--basemap-url",
                "--min-upload-rate", "--read-timeout", "--job-retention-hours", "never on disk"}) {
            assertTrue(help.contains(expected), "serve --help mentions " + expected + ":\n" + help);
        }
    }
}
