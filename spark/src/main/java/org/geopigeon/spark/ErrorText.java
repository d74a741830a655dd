package org.geopigeon.spark;

import java.sql.SQLException;
import org.geopigeon.service.store.StoreException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Short error text for users: the deepest cause, first line only; for database errors the words of
 * {@link StoreException#reason} where it has them (connection failures, permissions, timeouts), else the server's
 * own message (never the SQL text, which a batch insert error quotes in full).
 */
final class ErrorText {

    private ErrorText() {
    }

    static String of(Throwable e) {
        Throwable t = e;
        SQLException sql = null;
        while (t != null) {
            if (t instanceof SQLException s) {
                sql = s;
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        if (sql != null) {
            // Connection failures (no such database, login refused, refused or timed-out connections, ...) in the
            // words every command uses (StoreException.reason); other database errors with the server's message.
            String reason = StoreException.reason(e);
            if (!"database error".equals(reason)) {
                return reason;
            }
            for (SQLException s = sql; s != null; s = s.getNextException()) {
                if (s instanceof PSQLException p && p.getServerErrorMessage() != null) {
                    ServerErrorMessage m = p.getServerErrorMessage();
                    return "database error " + m.getSQLState() + ": " + m.getMessage();
                }
            }
            return "database error " + sql.getSQLState() + ": " + firstLine(sql.getMessage());
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? "unexpected failure (" + t.getClass().getSimpleName() + ")" : firstLine(m);
    }

    /** The first line of {@code s}, at most 300 characters. */
    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
