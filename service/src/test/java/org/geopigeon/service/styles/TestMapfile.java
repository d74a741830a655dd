package org.geopigeon.service.styles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A MapServer mapfile serving the GeoPigeon PostGIS views as WMS layers named like the SLDs'
 * NamedLayers, plus the MapServer config file (MS_MAP_PATTERN) and a fontset, all in one folder.
 *
 * @param mapfile    the .map file
 * @param configFile value for MAPSERVER_CONFIG_FILE
 */
record TestMapfile(Path mapfile, Path configFile) {

    static final Path DEJAVU_SANS = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    /**
     * @param pointsQuery SQL for the predicted_points layer
     */
    static TestMapfile write(Path dir, String libpqConnection, String pointsQuery) throws IOException {
        if (!Files.isRegularFile(DEJAVU_SANS)) {
            throw new IllegalStateException(DEJAVU_SANS + " missing (geocell labels): apt-get install -y fonts-dejavu-core");
        }
        Path fonts = dir.resolve("fonts.txt");
        // The alias is the SLD font-family; MapServer needs it to draw geocell labels.
        Files.writeString(fonts, "\"DejaVu Sans\" " + DEJAVU_SANS + "\n");
        Path map = dir.resolve("geopigeon.map");
        Files.writeString(map, """
                MAP
                  NAME "geopigeon_render_test"
                  EXTENT -180 -90 180 90
                  SIZE 200 200
                  IMAGECOLOR 255 255 255
                  FONTSET "%s"
                  PROJECTION "init=epsg:4326" END
                  OUTPUTFORMAT
                    NAME "png"
                    DRIVER AGG/PNG
                    MIMETYPE "image/png"
                    IMAGEMODE RGB
                    EXTENSION "png"
                  END
                  WEB
                    METADATA
                      "wms_title" "GeoPigeon render test"
                      "wms_srs" "EPSG:4326"
                      "wms_enable_request" "*"
                      "wms_onlineresource" "http://localhost/cgi-bin/mapserv?"
                      "ows_sld_enabled" "true"
                    END
                  END
                %s%s%sEND
                """.formatted(fonts,
                layer("predicted_cells", "POLYGON", libpqConnection, "select * from geopigeon.predicted_cells", "fid"),
                layer("predicted_points", "POINT", libpqConnection, pointsQuery, "fid"),
                layer("geocells", "POLYGON", libpqConnection,
                        "select set_id || '-' || class_index as fid, * from geopigeon.geocells", "fid")));
        Path config = dir.resolve("mapserver.conf");
        Files.writeString(config, """
                CONFIG
                  ENV
                    MS_MAP_PATTERN "^%s/"
                  END
                END
                """.formatted(patternSafe(dir.toAbsolutePath().toString())));
        return new TestMapfile(map, config);
    }

    /** MS_MAP_PATTERN is a regular expression: keep to folders whose name needs no escaping. */
    private static String patternSafe(String dir) {
        if (!dir.matches("[A-Za-z0-9_/-]+")) {
            throw new IllegalArgumentException("mapfile folder must be a plain path for MS_MAP_PATTERN: " + dir);
        }
        return dir;
    }

    private static String layer(String name, String type, String connection, String sql, String key) {
        // Default class: black. Any black where a style should paint proves the SLD was not applied.
        return """
                  LAYER
                    NAME "%s"
                    TYPE %s
                    STATUS ON
                    CONNECTIONTYPE POSTGIS
                    CONNECTION "%s"
                    DATA "geom from (%s) as t using unique %s using srid=4326"
                    PROJECTION "init=epsg:4326" END
                    METADATA "wms_title" "%s" END
                    CLASS STYLE COLOR 0 0 0 END END
                  END
                """.formatted(name, type, connection, sql, key, name);
    }
}
