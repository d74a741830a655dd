package org.geopigeon.app;

import org.geopigeon.service.GeoPigeonConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --jdbc URL}, the PostGIS database of {@code locate --store}, {@code audit}, {@code token} and {@code serve}
 * (picocli mixin). Public for {@code app.serve}.
 */
public final class JdbcOption {

    @Option(names = "--jdbc", paramLabel = "URL",
            description = "PostGIS JDBC URL, e.g. jdbc:postgresql://localhost/gis?user=u&password=p"
                    + " (default: $GEOPIGEON_JDBC_URL or -Dgeopigeon.jdbc.url; user/password:"
                    + " $GEOPIGEON_JDBC_USER/_PASSWORD or the URL's)")
    String url;

    /**
     * This option, else the configured URL.
     *
     * @param env the settings read from properties and environment ({@link GeoPigeonConfig#fromEnvironment()})
     * @return the JDBC URL; null when neither this option nor {@code env} names a database
     */
    public String urlOrDefault(GeoPigeonConfig env) {
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
