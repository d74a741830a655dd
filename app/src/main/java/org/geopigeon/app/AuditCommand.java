package org.geopigeon.app;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.AuditRecord;
import org.geopigeon.service.store.ChainStatus;
import org.geopigeon.service.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code geopigeon audit}: checks and lists the hash-chained audit log in PostGIS. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check or list the audit log of geolocation requests (see docs/ethics.md).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListRows.class})
final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Database connection options shared by the subcommands. */
    static final class JdbcOptions {
        @Option(names = "--jdbc", paramLabel = "URL",
                description = "PostGIS JDBC URL, e.g. jdbc:postgresql://localhost/gis?user=u&password=p"
                        + " (default: $GEOPIGEON_JDBC_URL or -Dgeopigeon.jdbc.url)")
        String url;

        @Option(names = "--jdbc-user", paramLabel = "USER", description = "(default: $GEOPIGEON_JDBC_USER or the URL's)")
        String user;

        @Option(names = "--jdbc-password", paramLabel = "PASSWORD", interactive = true, arity = "0..1",
                description = "(default: $GEOPIGEON_JDBC_PASSWORD or the URL's; prompts when given without a value)")
        String password;

        DataSource dataSource(CommandLine cmd) {
            GeoPigeonConfig env = GeoPigeonConfig.fromEnvironment();
            String u = url != null ? url : env.jdbcUrl();
            if (u == null || u.isBlank()) {
                throw new ParameterException(cmd, "no database: pass --jdbc URL or set GEOPIGEON_JDBC_URL");
            }
            return env.withJdbc(u, user != null ? user : env.jdbcUser(), password != null ? password : env.jdbcPassword())
                    .dataSource();
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the hash chain; prints OK and the row count, or the first broken row and why.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:chain intact", "1:chain broken (tampering or deletion)", "2:invalid command line",
                    "3:database unreachable or schema missing"})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JdbcOptions jdbc;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ChainStatus status;
            try {
                status = new AuditLog(jdbc.dataSource(spec.commandLine())).verify();
            } catch (StoreException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 3;
            }
            if (status.intact()) {
                out.println("OK: audit chain intact, " + status.rowsChecked() + " rows");
                out.flush();
                return 0;
            }
            out.println("BROKEN: audit row " + status.brokenId() + ": " + status.reason());
            out.flush();
            return 1;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print audit rows, oldest first, tab-separated: id, time, principal, client, outcome,"
                    + " error code, prediction id, model, purpose, image hashes.")
    static final class ListRows implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JdbcOptions jdbc;

        @Option(names = "--since", paramLabel = "WHEN",
                description = "only rows at or after this date (2025-01-31, local midnight) or ISO time"
                        + " (2025-01-31T12:00:00Z)")
        String since;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "at most N rows (default 1000)")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<AuditRecord> rows;
            try {
                rows = new AuditLog(jdbc.dataSource(spec.commandLine())).list(parseSince(), limit);
            } catch (StoreException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 3;
            }
            out.println("id\tts\tprincipal\tclient\toutcome\terror\tprediction\tmodel\tpurpose\timages");
            for (AuditRecord r : rows) {
                out.println(r.id() + "\t" + r.ts() + "\t" + r.principal() + "\t" + nz(r.clientAddress()) + "\t"
                        + r.outcome().dbValue() + "\t" + nz(r.errorCode()) + "\t" + nz(r.predictionId()) + "\t"
                        + nz(r.model()) + "\t" + nz(r.purpose()).replace('\t', ' ').replace('\n', ' ') + "\t"
                        + String.join(",", r.imageSha256()));
            }
            out.flush();
            return 0;
        }

        private OffsetDateTime parseSince() {
            if (since == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(since);
            } catch (DateTimeParseException notATime) {
                try {
                    return LocalDate.parse(since).atStartOfDay(ZoneId.systemDefault()).toOffsetDateTime();
                } catch (DateTimeParseException e) {
                    throw new ParameterException(spec.commandLine(), "--since: not a date (2025-01-31) or ISO time"
                            + " (2025-01-31T12:00:00Z): '" + since + "'");
                }
            }
        }

        private static String nz(Object o) {
            return o == null ? "" : o.toString();
        }
    }
}
