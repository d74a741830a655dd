package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** One API or static route: turns a request into a {@link Response}, or throws {@link ApiException}. */
@FunctionalInterface
interface Endpoint {

    Response handle(HttpExchange exchange) throws IOException;
}
