package org.geopigeon.app;

import org.geopigeon.service.GeoPigeonConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --jdbc URL}, the PostGIS database of {@code locate --store}, {@code audit} and {@code token} (picocli mixin). */
final class JdbcOption {

    @Option(names = "--jdbc", paramLabel = "URL",
            description = "PostGIS JDBC URL, e.g. jdbc:postgresql://localhost/gis?user=u&password=p"
                    + " (default: $GEOPIGEON_JDBC_URL or -Dgeopigeon.jdbc.url)")
    String url;

    /** This option, else the configured URL; null when neither is set. */
    String urlOrDefault(GeoPigeonConfig env) {
        String u = url != null ? url : env.jdbcUrl();
        return u == null || u.isBlank() ? null : u;
    }

    /**
     * @throws ParameterException (exit code 2) when neither this option nor the configuration names a database
     */
    String require(CommandLine cmd, GeoPigeonConfig env) {
        String u = urlOrDefault(env);
        if (u == null) {
            throw new ParameterException(cmd, "no database: pass --jdbc URL or set GEOPIGEON_JDBC_URL");
        }
        return u;
    }
}
