package org.geopigeon.app.serve.viewer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.geopigeon.app.serve.http.JsonBodies;

/**
 * The map viewer at {@code /viewer/}: a page on Leaflet (served from its WebJar at {@code /webjars/}) that uses
 * the OGC API like any client, with the user's API token. {@code /viewer/config.json} tells it how to
 * authenticate, the optional XYZ basemap and the SLD classes to colour with ({@link SldStyles}).
 */
public final class ViewerRoutes {

    /** Leaflet as packaged by the {@code org.webjars.npm:leaflet:1.9.4} WebJar. */
    public static final String LEAFLET = "/webjars/leaflet/1.9.4/dist/";
    static final String WWW = "/org/geopigeon/app/serve/viewer/www/";

    /** An administrator-set background tile layer. */
    public record Basemap(String url, String attribution) {
    }

    /** The SLD rules the viewer draws with. */
    public record Styles(List<SldRule> cells, List<SldRule> points, List<SldRule> exif) {
    }

    /**
     * @param auth    "token" (send a bearer token), "proxy" (a proxy authenticates) or "none" (loopback, no login)
     * @param basemap tile layer, or null for the offline outlines only
     * @param leaflet where Leaflet's files are
     * @param trained false when the served model has untrained demo weights: the page shows its warning banner
     *                before anyone signs in (the landing page names the model publicly too); null when unknown
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ViewerConfig(String auth, Basemap basemap, Styles styles, String leaflet, Boolean trained) {
        public ViewerConfig(String auth, Basemap basemap, Styles styles, String leaflet) {
            this(auth, basemap, styles, leaflet, null);
        }
    }

    private final ViewerConfig config;
    private final JsonBodies json;
    private final Map<String, byte[]> files;
    private final String csp;

    public ViewerRoutes(String auth, String basemapUrl, String basemapAttribution, JsonBodies json) {
        this(auth, basemapUrl, basemapAttribution, null, json);
    }

    /** @param trained whether the served model is trained (null: unknown, the page learns it after sign-in) */
    public ViewerRoutes(String auth, String basemapUrl, String basemapAttribution, Boolean trained, JsonBodies json) {
        this.json = json;
        Styles styles = new Styles(SldStyles.packaged("geopigeon_predicted_cells.sld"),
                SldStyles.packaged("geopigeon_predicted_points.sld"), SldStyles.packaged("geopigeon_exif_vs_estimate.sld"));
        this.config = new ViewerConfig(auth, basemapUrl == null ? null : new Basemap(basemapUrl,
                basemapAttribution == null ? "" : basemapAttribution), styles, LEAFLET, trained);
        this.files = Map.of("index.html", load("index.html"), "viewer.js", load("viewer.js"), "viewer.css",
                load("viewer.css"));
        // Nothing from other sites, except the administrator's tile server when one is set.
        String tiles = basemapUrl == null ? "" : " " + origin(basemapUrl);
        this.csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:" + tiles
                + "; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** What the viewer page is told at {@code /viewer/config.json} (model name, trained flag, basemap). */
    public ViewerConfig config() {
        return config;
    }

    /**
     * Registers the map viewer: {@code /viewer} (redirect), its page, script and style (with a strict
     * Content-Security-Policy) and {@code /viewer/config.json}; all public (the page asks for a token). Leaflet's
     * files come from its WebJar under {@link #LEAFLET}, served by the server itself.
     */
    public void register(RoutesConfig r) {
        r.get("/viewer", ctx -> ctx.status(301).header("Location", "/viewer/"));
        r.get("/viewer/", ctx -> file(ctx, "index.html", "text/html; charset=utf-8"));
        r.get("/viewer/viewer.js", ctx -> file(ctx, "viewer.js", "text/javascript; charset=utf-8"));
        r.get("/viewer/viewer.css", ctx -> file(ctx, "viewer.css", "text/css; charset=utf-8"));
        r.get("/viewer/config.json", ctx -> json.write(ctx.header("Cache-Control", "no-cache"), 200, JsonBodies.JSON,
                config));
    }

    private void file(Context ctx, String name, String type) {
        // Revalidate on every load, so an upgraded server never runs with yesterday's script.
        ctx.header("Cache-Control", "no-cache").header("Content-Security-Policy", csp)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer")
                .contentType(type).result(files.get(name));
    }

    private static byte[] load(String name) {
        try (InputStream in = ViewerRoutes.class.getResourceAsStream(WWW + name)) {
            if (in == null) {
                throw new IllegalStateException("viewer file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read viewer file " + name, e);
        }
    }

    private static String origin(String template) {
        URI u = URI.create(template.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0")
                .replace("{s}", "a").replace("{r}", ""));
        return u.getScheme() + "://" + (template.contains("{s}.") ? "*." + u.getHost().substring(u.getHost()
                .indexOf('.') + 1) : u.getHost()) + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }
}
