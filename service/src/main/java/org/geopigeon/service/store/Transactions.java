package org.geopigeon.service.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Opens connections the way the audit chain needs them. */
final class Transactions {

    private Transactions() {
    }

    /** Manual commit, READ COMMITTED (the chain trigger refuses other levels). */
    static Connection open(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
