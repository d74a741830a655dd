package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.app.serve.viewer.SldRule;
import org.geopigeon.app.serve.viewer.SldStyles;
import org.junit.jupiter.api.Test;

/** The viewer's configuration: the administrator's basemap (and its host in the page's CSP) and the SLD rules. */
class ViewerConfigTest {

    @Test
    void anAdministratorsBasemapIsOfferedAndAllowedByTheContentSecurityPolicy() throws Exception {
        try (RunningService svc = RunningService.start("viewercfg", b -> b.basemap(
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"))) {
            JsonNode cfg = svc.get("/viewer/config.json", null).json();
            assertEquals("token", cfg.get("auth").asText());
            assertEquals("https://tile.openstreetmap.org/{z}/{x}/{y}.png", cfg.get("basemap").get("url").asText());
            assertEquals("/webjars/leaflet/1.9.4/dist/", cfg.get("leaflet").asText());
            Reply page = svc.get("/viewer/", null);
            String csp = page.header("Content-Security-Policy");
            assertTrue(csp.contains("img-src 'self' data: https://tile.openstreetmap.org"), csp);
            assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"), csp);
            // Static files, outside the API description.
            assertEquals(200, svc.send(java.net.http.HttpRequest.newBuilder(svc.uri("/webjars/leaflet/1.9.4/dist/leaflet.js"))
                    .GET().build(), false).status(), "Leaflet from its WebJar");
        }
    }

    @Test
    void withoutABasemapTheViewerIsOfflineAndTheClassesAreTheSlds() throws Exception {
        try (RunningService svc = RunningService.start("viewercfg2")) {
            JsonNode cfg = svc.get("/viewer/config.json", null).json();
            assertNull(cfg.get("basemap"));
            assertEquals(false, cfg.get("trained").asBoolean(true), "the page can warn of demo weights before sign-in");
            assertTrue(svc.get("/viewer/", null).header("Content-Security-Policy").contains("img-src 'self' data:;"));
            JsonNode cells = cfg.get("styles").get("cells");
            java.util.List<SldRule> rules = SldStyles.packaged("geopigeon_predicted_cells.sld");
            assertEquals(rules.size(), cells.size());
            assertEquals("#ffffb2", cells.get(0).get("fill").asText());
            assertEquals(0.05, cells.get(0).get("max").asDouble());
            assertTrue(rules.get(2).matches(0.2) && !rules.get(2).matches(0.3), "15-30 % class");
            assertEquals(1.0, cells.get(5).get("equals").asDouble(), "the rank-1 outline rule");
        }
    }
}
