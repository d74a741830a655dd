package org.geopigeon.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Applies the versioned SQL migrations ({@code sql/V*.sql} in the source tree, packaged as
 * {@value #LOCATION}) with Flyway. The history table lives in the {@value #SCHEMA} schema.
 * The migrations are idempotent, so a database first prepared by hand with psql is baselined at
 * version 0 and brought under Flyway without errors.
 *
 * <p>PostGIS is installed (or checked) before Flyway runs, on a plain session: Flyway puts its own schema
 * first on the {@code search_path}, so {@code CREATE EXTENSION postgis} inside a migration would put PostGIS
 * into {@code geopigeon}, where the application's sessions (search path {@code "$user", public}) do not look.
 */
public final class Migrations {

    public static final String SCHEMA = "geopigeon";
    public static final String LOCATION = "classpath:db/migration/geopigeon";
    /**
     * Statement and socket timeout while migrating: DDL (CREATE EXTENSION postgis, an index over a long audit
     * log) may legitimately take longer than a request may. The lock timeout stays as configured, so a
     * migration blocked by a session holding a table fails fast instead of queueing every request behind it.
     */
    static final int MIGRATION_TIMEOUT_SECONDS = 600;

    private Migrations() {
    }

    /**
     * @return the schema version after migrating
     * @throws StoreException when PostGIS is missing and cannot be installed by this role, is installed in a
     *                        schema the application's sessions do not search, or a migration fails; when this
     *                        login lacks the privileges, the message says to set {@code geopigeon.jdbc.migrate=false}
     */
    public static String apply(DataSource dataSource) {
        DataSource relaxed = new MigrationDataSource(dataSource);
        preparePostgis(relaxed);
        try {
            // This class's loader: inside GeoServer the thread context loader may not see our jar.
            MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(relaxed)
                    .schemas(SCHEMA)
                    .locations(LOCATION)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        } catch (FlywayException e) {
            if (PERMISSION_DENIED.equals(sqlState(e))) {
                throw new StoreException(MIGRATE_HINT, e);
            }
            throw new StoreException("applying the GeoPigeon database migrations (sql/V*.sql) failed", e);
        }
    }

    /** SQLSTATE insufficient_privilege (PostgreSQL Appendix A). */
    static final String PERMISSION_DENIED = "42501";

    /**
     * What a login without the owner's rights is told when it tries to migrate (the application login of
     * docs/postgis.md, run with the default {@code geopigeon.jdbc.migrate=true}): the fix, not Flyway's report.
     */
    static final String MIGRATE_HINT = "this database login may not create or change the GeoPigeon schema, so the"
            + " migrations (sql/V*.sql) cannot run with it. An application login (a member of geopigeon_app) runs with"
            + " GEOPIGEON_JDBC_MIGRATE=false (Java: -Dgeopigeon.jdbc.migrate=false) once the schema owner has applied"
            + " them (docs/postgis.md, \"Installing on an empty database\")";

    private static String sqlState(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /**
     * {@link #apply(DataSource)} on a plain data source for {@code jdbcUrl}, with this user and password (either may
     * be null when the URL carries them).
     *
     * @return the schema version after migrating
     * @throws StoreException as {@link #apply(DataSource)}
     */
    public static String apply(String jdbcUrl, String user, String password) {
        return apply(dataSource(jdbcUrl, user, password));
    }

    /**
     * Makes sure PostGIS is installed where the application's SQL finds it: installs it in {@code public}
     * when missing, and refuses, naming the fix, when it sits in a schema off this role's search path.
     */
    static void preparePostgis(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String schema = postgisSchema(c);
            if (schema == null) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public");
                } catch (SQLException e) {
                    if (postgisSchema(c) != null) {
                        return; // installed meanwhile by a concurrent migration
                    }
                    String who = currentUserAndDatabase(c);
                    if ("42501".equals(e.getSQLState())) {
                        throw new StoreException("PostGIS is not installed in " + who + ", and this role may not"
                                + " install it (that takes a superuser): ask a superuser to run"
                                + " 'CREATE EXTENSION postgis SCHEMA public;' in that database (docs/postgis.md),"
                                + " then start again", e);
                    }
                    throw new StoreException("could not install PostGIS ('CREATE EXTENSION postgis SCHEMA public')"
                            + " in " + who + "; is the postgresql-postgis package installed on the database server?", e);
                }
                return;
            }
            if (!onSearchPath(c, schema)) {
                throw new StoreException("PostGIS is installed in schema '" + schema + "', which is not on the"
                        + " search_path of " + currentUserAndDatabase(c) + " (" + searchPath(c) + "); GeoPigeon calls"
                        + " PostGIS functions unqualified. Add it, e.g. ALTER DATABASE " + databaseName(c)
                        + " SET search_path = \"$user\", public, " + schema + "; then reconnect (docs/postgis.md)");
            }
        } catch (SQLException e) {
            throw new StoreException("could not check the PostGIS installation", e);
        }
    }

    private static String postgisSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n.nspname FROM pg_extension e"
                + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean onSearchPath(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ? = ANY (current_schemas(false))")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String searchPath(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW search_path")) {
            rs.next();
            return "search_path = " + rs.getString(1);
        }
    }

    private static String databaseName(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT quote_ident(current_database())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String currentUserAndDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, current_database()")) {
            rs.next();
            return "database " + rs.getString(2) + " for role " + rs.getString(1);
        }
    }

    /** A non-pooling data source with the {@linkplain DatabaseTimeouts#DEFAULT default timeouts}. */
    public static DataSource dataSource(String jdbcUrl, String user, String password) {
        return dataSource(jdbcUrl, user, password, DatabaseTimeouts.DEFAULT);
    }

    /**
     * A non-pooling data source (requests are rare and slow compared with a connect) whose sessions carry
     * {@code timeouts}: connect/login and socket timeouts on the client, statement and lock timeouts on the
     * server (startup {@code options}, appended to any the URL sets).
     */
    public static DataSource dataSource(String jdbcUrl, String user, String password, DatabaseTimeouts timeouts) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        if (user != null && !user.isBlank()) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        int connect = (int) timeouts.connect().toSeconds();
        ds.setConnectTimeout(connect);
        ds.setLoginTimeout(connect);
        ds.setSocketTimeout((int) timeouts.socket().toSeconds());
        String options = ds.getOptions();
        ds.setOptions((options == null || options.isBlank() ? "" : options + " ") + timeouts.serverOptions());
        ds.setApplicationName("geopigeon");
        return ds;
    }

    /**
     * Hands out the caller's connections with the longer {@link #MIGRATION_TIMEOUT_SECONDS}, on the client
     * (standard JDBC {@link Connection#setNetworkTimeout}) and on the server ({@code statement_timeout}).
     */
    private static final class MigrationDataSource implements DataSource {

        private final DataSource delegate;

        MigrationDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return relax(delegate.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return relax(delegate.getConnection(username, password));
        }

        private static Connection relax(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                c.setNetworkTimeout(Runnable::run, MIGRATION_TIMEOUT_SECONDS * 1000);
                s.execute("SET statement_timeout = '" + MIGRATION_TIMEOUT_SECONDS + "s'");
                // The idempotent scripts' IF NOT EXISTS ("extension postgis already exists, skipping") raise
                // NOTICEs, which Flyway logs as WARN on every first migration; warnings and errors still arrive.
                s.execute("SET client_min_messages = warning");
                return c;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return iface.isInstance(this) || delegate.isWrapperFor(iface);
        }
    }
}
