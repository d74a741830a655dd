package org.geopigeon.spark;

import java.io.Serializable;
import javax.sql.DataSource;
import org.geopigeon.service.store.DatabaseTimeouts;
import org.geopigeon.service.store.Migrations;

/**
 * The PostGIS database of the audit log, as executors connect to it. The password travels inside the
 * task closure: protect Spark's RPC ({@code spark.authenticate}, {@code spark.network.crypto.enabled})
 * or use a password-less login (pgpass, certificates) on a shared cluster.
 *
 * @param url              JDBC URL
 * @param user             user, or null to take it from the URL
 * @param password         password, or null
 * @param connectSeconds   connect and login timeout ({@link DatabaseTimeouts}, as the service's)
 * @param statementSeconds statement timeout
 * @param lockSeconds      lock timeout, the audit chain's lock included
 */
public record JdbcTarget(String url, String user, String password, long connectSeconds, long statementSeconds,
                         long lockSeconds) implements Serializable {

    public JdbcTarget {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a JDBC URL is required");
        }
        DatabaseTimeouts.ofSeconds(connectSeconds, statementSeconds, lockSeconds); // checks them
    }

    /** With the service's default timeouts. */
    public JdbcTarget(String url, String user, String password) {
        this(url, user, password, DatabaseTimeouts.DEFAULT.connect().toSeconds(),
                DatabaseTimeouts.DEFAULT.statement().toSeconds(), DatabaseTimeouts.DEFAULT.lock().toSeconds());
    }

    /** With the given timeouts ({@code geopigeon.jdbc.*TimeoutSeconds} of the driver's configuration). */
    public static JdbcTarget of(String url, String user, String password, DatabaseTimeouts t) {
        return new JdbcTarget(url, user, password, t.connect().toSeconds(), t.statement().toSeconds(),
                t.lock().toSeconds());
    }

    /** A new non-pooling data source (one connection per audited batch) with these timeouts. */
    public DataSource dataSource() {
        return Migrations.dataSource(url, user, password,
                DatabaseTimeouts.ofSeconds(connectSeconds, statementSeconds, lockSeconds));
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + url.replaceAll("(?i)(password=)[^&]*", "$1***") + ", user=" + user + ", password="
                + (password == null ? "none" : "***") + ", timeouts s=" + connectSeconds + "/" + statementSeconds
                + "/" + lockSeconds + "]";
    }
}
