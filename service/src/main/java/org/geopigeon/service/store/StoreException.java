package org.geopigeon.service.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database could not be read or written. The message says what was being done and, in a few words,
 * why (unreachable, timed out, locked, permission denied); it reaches clients, so it never carries SQL text
 * or the driver's message. Those go to the server log (SLF4J, logger {@code org.geopigeon.service.store}) under
 * an incident id that the message names, so an administrator can find the detail a client reports.
 */
public class StoreException extends RuntimeException {

    private static final Logger LOG = LoggerFactory.getLogger(StoreException.class);

    private final String incidentId;

    /**
     * @param message what was being done, for the client (no SQL, no driver text)
     * @param cause   the underlying failure: logged now under a new incident id. A StoreException cause is
     *                already safe to show and already logged: its message is appended and its id kept.
     */
    public StoreException(String message, Throwable cause) {
        this(message, cause, cause instanceof StoreException s ? s.incidentId : cause == null ? null : newIncidentId());
    }

    public StoreException(String message) {
        this(message, null, null);
    }

    private StoreException(String message, Throwable cause, String incidentId) {
        super(cause == null ? message
                : cause instanceof StoreException s ? message + ": " + s.getMessage()
                : message + ": " + reason(cause) + " (incident " + incidentId + " in " + logName() + ")", cause);
        this.incidentId = incidentId;
        if (cause != null && !(cause instanceof StoreException)) {
            // The detail at WARN in one line (the CLI prints the log to the same terminal); the trace at DEBUG.
            LOG.warn("incident {}: {}: {}", incidentId, message, detail(cause));
            LOG.debug("incident {} stack trace", incidentId, cause);
        }
    }

    /** Id under which the detail was logged, or null when there was no underlying failure. */
    public String incidentId() {
        return incidentId;
    }

    /** True when the database could not be reached or did not answer in time (as opposed to refusing). */
    public boolean unavailable() {
        return unavailable(getCause());
    }

    /** True when {@code cause} says the database could not be reached or did not answer in time. */
    static boolean unavailable(Throwable cause) {
        String state = sqlState(cause);
        return timedOut(cause) || state != null && (state.startsWith("08") || state.startsWith("57P")
                || state.equals("57014") || state.equals("55P03"));
    }

    static String newIncidentId() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Where the incident's detail is, in the words a user needs: {@value #LOG_NAME_PROPERTY} when a front end set it
     * (the CLI names its log file there), else "the server log". A system property because the front end chooses
     * its log once, before anything logs, for the whole JVM.
     */
    public static String logName() {
        String name = System.getProperty(LOG_NAME_PROPERTY);
        return name == null || name.isBlank() ? "the server log" : name;
    }

    /** The system property that names the log holding incident details ({@link #logName()}). */
    public static final String LOG_NAME_PROPERTY = "geopigeon.log.name";

    /**
     * A few words on why, from the SQLSTATE class (PostgreSQL Appendix A) and, for connection failures, the
     * network error under it; safe to show to a client (no SQL, no driver text, no class name). The one place
     * where a database failure becomes user text, so every command and the service say it the same way.
     */
    public static String reason(Throwable cause) {
        if (timedOut(cause)) {
            return "the database stopped answering";
        }
        if (has(cause, UnknownHostException.class)) {
            return "the database host name in the JDBC URL is unknown";
        }
        if (has(cause, ConnectException.class)) {
            return "connection refused at the database host and port of the JDBC URL: is the database running there?";
        }
        String state = sqlState(cause);
        if (state == null) {
            return "database error";
        }
        if (state.startsWith("08")) {
            return "the database is unreachable";
        }
        if (state.startsWith("28")) {
            return "the database refused the login: wrong user name or password, or pg_hba.conf does not let this"
                    + " user in";
        }
        return switch (state) {
            case "3D000" -> "the database named in the JDBC URL does not exist";
            case "3F000" -> "the GeoPigeon schema does not exist in this database: run the migrations as the schema"
                    + " owner, docs/postgis.md";
            case "57014" -> "the database did not finish in time, a statement timeout";
            case "55P03" -> "the data is locked by another database session, a lock timeout";
            case "57P01", "57P02", "57P03" -> "the database is shutting down or starting up";
            case "42501" -> "the database refused: permission denied";
            case "53100", "53200", "53300" -> "the database is out of resources: disk, memory or connections";
            case "25006" -> "the database is read-only";
            default -> "database error";
        };
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /** The messages of the cause chain, for the log. */
    private static String detail(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName());
            if (c instanceof SQLException s && s.getSQLState() != null) {
                sb.append(" [").append(s.getSQLState()).append(']');
            }
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage().strip().replace('\n', ' '));
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }
}
