package org.geopigeon.app;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.geopigeon.app.serve.auth.ApiTokens;
import org.geopigeon.app.serve.auth.IssuedToken;
import org.geopigeon.app.serve.auth.Role;
import org.geopigeon.app.serve.auth.TokenInfo;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.store.Migrations;
import org.geopigeon.service.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon token create|revoke|list}: API tokens of {@code geopigeon serve}. A token is printed once, at
 * creation; the database keeps only its SHA-256. Run it with the schema owner's login (the service's
 * least-privilege role may only read tokens).
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Create, revoke and list the API tokens of the standalone service (geopigeon serve).",
                "Roles: analyst (run geolocation; own jobs and predictions), viewer (browse stored predictions),"
                        + " auditor (read and verify the audit log; all jobs), admin (everything).",
                "The token name is the principal recorded in every audit row of its requests."},
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class, TokenCommand.ListTokens.class})
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Database options of the subcommands. */
    static final class Database {
        /** User and password: $GEOPIGEON_JDBC_USER/_PASSWORD or the URL's. */
        @Mixin
        JdbcOption jdbc;

        ApiTokens tokens(CommandLine cmd) {
            GeoPigeonConfig env = GeoPigeonConfig.fromEnvironment();
            String u = jdbc.require(cmd, env);
            GeoPigeonConfig config = env.withJdbc(u, env.jdbcUser(), env.jdbcPassword());
            DataSource ds = config.dataSource();
            if (config.migrate()) {
                Migrations.apply(ds); // the tokens table arrives with migration V10
            }
            return new ApiTokens(ds);
        }
    }

    static String osUser() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "unknown" : u;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a token and print it on standard output (once: only its hash is kept).",
                    "Example: TOKEN=$(./geopigeon token create --name alice --role analyst)"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Database db = new Database();

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "principal the token stands for (1-64 letters, digits, . _ @ -)")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "analyst, viewer, auditor or admin")
        String role;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Role r;
            try {
                r = Role.parse(role);
                ApiTokens.checkName(name);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try {
                IssuedToken t = db.tokens(spec.commandLine()).create(name, r, osUser());
                spec.commandLine().getOut().println(t.secret());
                spec.commandLine().getOut().flush();
                err.println("Created token " + t.info().prefix() + "... for " + name + " (" + r.id() + "). It is shown"
                        + " only now: the database keeps its SHA-256. Send it as 'Authorization: Bearer <token>'.");
                err.flush();
                return 0;
            } catch (IllegalStateException e) {
                err.println("geopigeon token create: " + e.getMessage());
                err.flush();
                return 1;
            } catch (StoreException e) {
                err.println("geopigeon token create: " + e.getMessage() + " (tokens are managed with the schema"
                        + " owner's login; the service role may only read them)");
                err.flush();
                return 3;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke the active token of a name (a running server notices within 10 s).")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Database db = new Database();

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "whose token to revoke")
        String name;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                Optional<TokenInfo> t = db.tokens(spec.commandLine()).revoke(name, osUser());
                if (t.isEmpty()) {
                    err.println("geopigeon token revoke: there is no active token named '" + name + "'");
                    err.flush();
                    return 1;
                }
                spec.commandLine().getOut().println("revoked " + t.get().prefix() + "... (" + name + ", "
                        + t.get().role().id() + ")");
                return 0;
            } catch (StoreException e) {
                err.println("geopigeon token revoke: " + e.getMessage());
                err.flush();
                return 3;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Database db = new Database();

        @Override
        public Integer call() {
            try {
                List<TokenInfo> all = db.tokens(spec.commandLine()).list();
                PrintWriter out = spec.commandLine().getOut();
                List<String[]> rows = new java.util.ArrayList<>();
                rows.add(new String[] {"NAME", "ROLE", "PREFIX", "CREATED", "BY", "STATUS"});
                for (TokenInfo t : all) {
                    rows.add(new String[] {t.name(), t.role().id(), t.prefix() + "...",
                            utc(t.created()), t.createdBy(), t.active() ? "active"
                                    : "revoked " + utc(t.revoked()) + " by " + t.revokedBy()});
                }
                table(rows).forEach(out::println);
                out.flush();
                return 0;
            } catch (StoreException e) {
                spec.commandLine().getErr().println("geopigeon token list: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 3;
            }
        }
    }

    /** Rows as columns padded to their widest cell and two spaces apart, so no value runs into the next column. */
    static List<String> table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], String.valueOf(r[i]).length());
            }
        }
        List<String> lines = new java.util.ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String v = String.valueOf(r[i]);
                b.append(v);
                if (i < columns - 1) {
                    b.append(" ".repeat(width[i] - v.length() + 2));
                }
            }
            lines.add(b.toString());
        }
        return lines;
    }

    /** ISO 8601 in UTC to the second, seconds always shown ({@code Instant.toString} drops ":00"): one column width. */
    private static final java.time.format.DateTimeFormatter UTC_SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);

    /** A token time as {@code token list} shows it: {@code 2026-11-29T16:43:00Z}. */
    static String utc(java.time.OffsetDateTime t) {
        return UTC_SECONDS.format(t);
    }
}
