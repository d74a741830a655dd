package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import org.geopigeon.service.Incidents;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/predictions?limit=N} (newest stored predictions as points) and
 * {@code GET /api/v1/predictions/{id}} (one prediction: estimate and ranked cells).
 */
final class PredictionsEndpoint implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionsEndpoint.class);

    static final String PATH = "/api/v1/predictions";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;

    private final StoredPredictions predictions;

    PredictionsEndpoint(StoredPredictions predictions) {
        this.predictions = predictions;
    }

    @Override
    public Response handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String rest = path.length() > PATH.length() ? path.substring(PATH.length()) : "";
        try {
            if (rest.isEmpty() || rest.equals("/")) {
                int limit = QueryString.of(exchange.getRequestURI()).intValue("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
                return Response.geoJson(predictions.recent(limit));
            }
            long id = id(rest.substring(1));
            return predictions.byId(id).map(r -> Response.geoJson(PredictionGeoJson.of(r))).orElseThrow(() ->
                    new ApiException(404, "NOT_FOUND", "no stored prediction " + id + " (never stored, or deleted)"));
        } catch (StoreException e) {
            throw new ApiException(503, "DATABASE_UNAVAILABLE", "stored predictions cannot be read right now (incident "
                    + Incidents.log(LOG, ErrorCode.STORE_FAILED, "reading stored predictions failed", e)
                    + "; the server log has the details)");
        }
    }

    private static long id(String s) {
        try {
            long id = Long.parseLong(s);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(404, "NOT_FOUND", "'" + s + "' is not a prediction id (a positive integer): use "
                + PATH + "/{id}");
    }
}
