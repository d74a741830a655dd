package org.geopigeon.service.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Applies the versioned SQL migrations ({@code sql/V*.sql} in the source tree, packaged as
 * {@value #LOCATION}) with Flyway. The history table lives in the {@value #SCHEMA} schema.
 * The migrations are idempotent, so a database first prepared by hand with psql is baselined at
 * version 0 and brought under Flyway without errors.
 */
public final class Migrations {

    public static final String SCHEMA = "geopigeon";
    public static final String LOCATION = "classpath:db/migration/geopigeon";

    private Migrations() {
    }

    /** @return the schema version after migrating */
    public static String apply(DataSource dataSource) {
        // This class's loader: inside GeoServer the thread context loader may not see our jar.
        MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .locations(LOCATION)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }

    public static String apply(String jdbcUrl, String user, String password) {
        return apply(dataSource(jdbcUrl, user, password));
    }

    /** A non-pooling data source; requests are rare and slow compared with a connect. */
    public static DataSource dataSource(String jdbcUrl, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        if (user != null && !user.isBlank()) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setConnectTimeout(10);
        ds.setApplicationName("geopigeon");
        return ds;
    }
}
