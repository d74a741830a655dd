package org.geopigeon.service.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One database on the throwaway server.
 *
 * @param jdbcUrl JDBC URL with user (and password) parameters
 */
public record TestDatabase(String jdbcUrl) {

    public Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        return ds;
    }

    /** The same database, logged in as another role ({@code password} may be null with trust authentication). */
    public TestDatabase asUser(String user, String password) {
        return new TestDatabase(JdbcUrls.withUser(jdbcUrl, user, password));
    }

    public String host() {
        return JdbcUrls.host(jdbcUrl);
    }

    public int port() {
        return JdbcUrls.port(jdbcUrl);
    }

    public String name() {
        return JdbcUrls.database(jdbcUrl);
    }

    public String user() {
        String u = JdbcUrls.parameter(jdbcUrl, "user");
        return u == null ? "postgres" : u;
    }

    /** Password from the URL, or null (the private cluster trusts local connections). */
    public String password() {
        return JdbcUrls.parameter(jdbcUrl, "password");
    }

    /** libpq/OGR connection string, e.g. for MapServer's CONNECTION or ogr2ogr PG:"...". */
    public String libpqConnectionString() {
        String pw = password();
        return "host=" + host() + " port=" + port() + " dbname=" + name() + " user=" + user()
                + (pw == null ? "" : " password=" + pw);
    }
}
