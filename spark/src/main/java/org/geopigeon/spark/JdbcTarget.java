package org.geopigeon.spark;

import java.io.Serializable;
import javax.sql.DataSource;
import org.geopigeon.service.store.Migrations;

/**
 * The PostGIS database of the audit log, as executors connect to it. The password travels inside the
 * task closure: protect Spark's RPC ({@code spark.authenticate}, {@code spark.network.crypto.enabled})
 * or use a password-less login (pgpass, certificates) on a shared cluster.
 *
 * @param url      JDBC URL
 * @param user     user, or null to take it from the URL
 * @param password password, or null
 */
public record JdbcTarget(String url, String user, String password) implements Serializable {

    public JdbcTarget {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a JDBC URL is required");
        }
    }

    /** A new non-pooling data source (one connection per audited batch). */
    public DataSource dataSource() {
        return Migrations.dataSource(url, user, password);
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + url.replaceAll("(?i)(password=)[^&]*", "$1***") + ", user=" + user + ", password="
                + (password == null ? "none" : "***") + "]";
    }
}
