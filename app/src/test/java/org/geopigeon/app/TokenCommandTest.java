package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.geopigeon.app.serve.auth.ApiTokens;
import org.geopigeon.app.serve.auth.Role;
import org.geopigeon.service.testing.TestDatabase;
import org.geopigeon.service.testing.ThrowawayPostgis;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code geopigeon token create|list|revoke} against a real PostGIS. */
class TokenCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new GeoPigeonCli());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Run(cmd.execute(args), out.toString(), err.toString());
    }

    @Test
    void aTokenIsPrintedOnceListedWithoutItsSecretAndRevoked() {
        TestDatabase db = ThrowawayPostgis.get().createMigratedDatabase("tokencli");
        Run created = run("token", "create", "--name", "alice", "--role", "analyst", "--jdbc", db.jdbcUrl());
        assertEquals(0, created.exit(), created.err());
        String token = created.out().trim();
        assertTrue(token.matches("gpt_[A-Za-z0-9_-]{43}"), token);
        assertTrue(created.err().contains("shown only now"), created.err());
        assertEquals("alice", new ApiTokens(db.dataSource()).lookup(token).orElseThrow().name());

        Run again = run("token", "create", "--name", "alice", "--role", "viewer", "--jdbc", db.jdbcUrl());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());

        Run list = run("token", "list", "--jdbc", db.jdbcUrl());
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("alice") && list.out().contains("analyst") && list.out().contains("active"),
                list.out());
        assertTrue(!list.out().contains(token.substring(12)), "no secret in the listing");
        String[] lines = list.out().split("\\R");
        int by = lines[0].indexOf("CREATED");
        assertTrue(lines[1].startsWith(token.substring(0, 10) + "...", lines[0].indexOf("PREFIX")), list.out());
        assertEquals(' ', lines[1].charAt(by - 1), "the prefix column does not run into CREATED:\n" + list.out());
        assertTrue(Character.isDigit(lines[1].charAt(by)), list.out());

        Run revoked = run("token", "revoke", "--name", "alice", "--jdbc", db.jdbcUrl());
        assertEquals(0, revoked.exit(), revoked.err());
        assertTrue(new ApiTokens(db.dataSource()).lookup(token).isEmpty());
        assertTrue(run("token", "list", "--jdbc", db.jdbcUrl()).out().contains("revoked"));
        assertEquals(1, run("token", "revoke", "--name", "alice", "--jdbc", db.jdbcUrl()).exit(), "nothing left to revoke");
    }

    @Test
    void badNamesAndRolesAreRefusedNamingTheRule() {
        Run role = run("token", "create", "--name", "bob", "--role", "superuser", "--jdbc", "jdbc:postgresql://x/y");
        assertEquals(2, role.exit());
        assertTrue(role.err().contains("analyst, viewer, auditor, admin"), role.err());
        Run name = run("token", "create", "--name", "bob smith", "--role", "viewer", "--jdbc", "jdbc:postgresql://x/y");
        assertEquals(2, name.exit());
        assertTrue(name.err().contains("letters, digits"), name.err());
        assertEquals(Role.AUDITOR, Role.parse("Auditor"));
    }

    @Test
    void timesAreShownInUtcWithSecondsEvenWhenTheyAreZero() {
        assertEquals("2026-11-29T16:43:00Z", TokenCommand.utc(java.time.OffsetDateTime.parse("2026-11-29T16:43Z")));
        assertEquals("2026-11-29T16:43:01Z",
                TokenCommand.utc(java.time.OffsetDateTime.parse("2026-11-29T17:43:01.987+01:00")));
    }
}
