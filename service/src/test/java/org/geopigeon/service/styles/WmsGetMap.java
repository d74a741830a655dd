package org.geopigeon.service.styles;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A WMS 1.1.1 GetMap in EPSG:4326 (axis order lon, lat) with an inline SLD, plus the
 * lon/lat -> pixel mapping the test uses to know where features land.
 */
record WmsGetMap(String layers, double minLon, double minLat, double maxLon, double maxLat,
                 int width, int height, String sldBody) {

    WmsGetMap {
        if (!(maxLon > minLon && maxLat > minLat) || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty map request: bbox " + minLon + "," + minLat + ","
                    + maxLon + "," + maxLat + " size " + width + "x" + height);
        }
    }

    String queryString(Path mapfile) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("map", mapfile.toString());
        p.put("SERVICE", "WMS");
        p.put("VERSION", "1.1.1");
        p.put("REQUEST", "GetMap");
        p.put("LAYERS", layers);
        p.put("STYLES", "");
        p.put("SRS", "EPSG:4326");
        p.put("BBOX", minLon + "," + minLat + "," + maxLon + "," + maxLat);
        p.put("WIDTH", Integer.toString(width));
        p.put("HEIGHT", Integer.toString(height));
        p.put("FORMAT", "image/png");
        p.put("SLD_BODY", sldBody);
        return p.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Column of the pixel containing longitude {@code lon}. */
    int x(double lon) {
        return (int) Math.floor((lon - minLon) / (maxLon - minLon) * width);
    }

    /** Row of the pixel containing latitude {@code lat} (rows grow southwards). */
    int y(double lat) {
        return (int) Math.floor((maxLat - lat) / (maxLat - minLat) * height);
    }
}
