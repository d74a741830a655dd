package org.geopigeon.app;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
import org.geopigeon.service.store.AuditTrail;
import org.geopigeon.service.store.ChainStatus;
import org.geopigeon.service.store.ReplayResult;
import org.geopigeon.service.store.SpoolStatus;
import org.geopigeon.service.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code geopigeon audit}: checks and lists the hash-chained audit log in PostGIS, and the local spool where
 * audit rows of refusals wait while the database cannot take them.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check or list the audit log of geolocation requests (see docs/ethics.md).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListRows.class, AuditCommand.Replay.class})
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
        @Mixin
        JdbcOption jdbc;

        @Option(names = "--jdbc-user", paramLabel = "USER", description = "(default: $GEOPIGEON_JDBC_USER or the URL's)")
        String user;

        @Option(names = "--jdbc-password", paramLabel = "PASSWORD", interactive = true, arity = "0..1",
                description = "(default: $GEOPIGEON_JDBC_PASSWORD or the URL's; prompts when given without a value)")
        String password;

        @Option(names = "--spool", paramLabel = "DIR",
                description = "root of the service's audit spool (default: $GEOPIGEON_AUDIT_SPOOL_DIR,"
                        + " -Dgeopigeon.audit.spoolDir or ~/.geopigeon/audit-spool); the rows of this database are"
                        + " in its subfolder for --jdbc's host:port/database (write the host as the service does)")
        Path spool;

        DataSource dataSource(CommandLine cmd) {
            GeoPigeonConfig env = GeoPigeonConfig.fromEnvironment();
            String u = jdbc.require(cmd, env);
            return env.withJdbc(u, user != null ? user : env.jdbcUser(), password != null ? password : env.jdbcPassword())
                    .dataSource();
        }

        /** The audit log with this database's spool; close it after use (it may start a replay thread). */
        AuditTrail trail(CommandLine cmd) {
            Path root = spool != null ? spool : GeoPigeonConfig.fromEnvironment().auditSpoolDir();
            return AuditTrail.withoutBackgroundReplay(dataSource(cmd), root);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recompute the hash chain; prints OK and the row count, or the first broken row and why.",
                    "Then reports audit rows that wait in the local spool (refusals recorded while the database"
                            + " could not take them) and are not yet in the log."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:chain intact, nothing waiting in the spool", "1:chain broken (tampering or deletion)",
                    "2:invalid command line", "3:database unreachable or schema missing",
                    "4:chain intact, but spooled rows are not yet in the log (or a spool line is damaged)"})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JdbcOptions jdbc;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (AuditTrail trail = jdbc.trail(spec.commandLine())) {
                ChainStatus status;
                try {
                    status = trail.auditLog().verify();
                } catch (StoreException e) {
                    err.println("error: " + e.getMessage());
                    spoolReport(trail, out, err);
                    err.flush();
                    out.flush();
                    return 3;
                }
                if (!status.intact()) {
                    out.println("BROKEN: audit row " + status.brokenId() + ": " + status.reason());
                    spoolReport(trail, out, err);
                    out.flush();
                    return 1;
                }
                out.println("OK: audit chain intact, " + status.rowsChecked() + " rows");
                boolean clear = spoolReport(trail, out, err);
                out.flush();
                err.flush();
                return clear ? 0 : 4;
            }
        }

        /** Prints what waits in the spool; true when nothing does and nothing is damaged. */
        private static boolean spoolReport(AuditTrail trail, PrintWriter out, PrintWriter err) {
            SpoolStatus s;
            try {
                s = trail.status();
            } catch (UncheckedIOException e) {
                err.println("error: cannot read the audit spool " + trail.spool().folder() + ": "
                        + e.getCause().getMessage() + " (run as the service's user, or pass --spool)");
                return false;
            }
            if (s.notInLog() == null) {
                out.println("SPOOLED: the local spool " + s.folder() + " holds " + s.rows() + " audit rows (oldest"
                        + " spooled " + s.oldest() + "); the database could not be asked which are in the log");
            } else if (s.notInLog() > 0) {
                out.println("PENDING: " + s.notInLog() + " audit rows of refused or failed requests wait in the"
                        + " local spool " + s.folder() + " and are not yet in the log (oldest spooled " + s.oldest()
                        + "); the service replays them once the database takes writes, or run"
                        + " 'geopigeon audit replay'");
            }
            for (String problem : s.problems()) {
                out.println("DAMAGED: spool " + s.folder() + ": " + problem);
            }
            return s.clear();
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Write the audit rows waiting in the local spool into the audit log now (in spool order,"
                    + " each once); the service also does this by itself once the database takes writes.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:nothing left in the spool", "2:invalid command line",
                    "3:database unreachable or refusing the rows", "4:rows are left (another process is replaying"
                    + " them, or a spool line is damaged)"})
    static final class Replay implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JdbcOptions jdbc;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (AuditTrail trail = jdbc.trail(spec.commandLine())) {
                ReplayResult r;
                SpoolStatus after;
                try {
                    r = trail.replayPending();
                    after = trail.status();
                } catch (StoreException e) {
                    err.println("error: " + e.getMessage());
                    err.flush();
                    return 3;
                } catch (UncheckedIOException e) {
                    err.println("error: cannot read the audit spool " + trail.spool().folder() + ": "
                            + e.getCause().getMessage() + " (run as the service's user, or pass --spool)");
                    err.flush();
                    return 3;
                }
                int waiting = after.notInLog() == null ? after.rows() : after.notInLog();
                out.println("replayed " + r.replayed() + " spooled audit rows into the log" + (r.alreadyInLog() > 0
                        ? " (" + r.alreadyInLog() + " were in it already)" : "") + "; " + waiting
                        + " rows still wait in " + after.folder() + (r.skipped() ? " (another process is replaying"
                        + " them)" : ""));
                after.problems().forEach(p -> out.println("DAMAGED: " + p));
                out.flush();
                return after.clear() ? 0 : 4;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print audit rows, oldest first, tab-separated: id, time, principal, client, outcome,"
                    + " error code, prediction id, model, purpose, image hashes, and for a row that waited in the"
                    + " local spool while the database was unavailable, when it was spooled.")
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
            out.println("id\tts\tprincipal\tclient\toutcome\terror\tprediction\tmodel\tpurpose\timages\tspooled_at");
            for (AuditRecord r : rows) {
                out.println(r.id() + "\t" + r.ts() + "\t" + r.principal() + "\t" + nz(r.clientAddress()) + "\t"
                        + r.outcome().dbValue() + "\t" + nz(r.errorCode()) + "\t" + nz(r.predictionId()) + "\t"
                        + nz(r.model()) + "\t" + nz(r.purpose()).replace('\t', ' ').replace('\n', ' ') + "\t"
                        + String.join(",", r.imageSha256()) + "\t" + nz(r.spooledAt()));
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
