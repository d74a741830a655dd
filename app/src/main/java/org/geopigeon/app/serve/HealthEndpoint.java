package org.geopigeon.app.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.geopigeon.service.store.AuditLog;
import org.geopigeon.service.store.ChainStatus;
import org.geopigeon.service.Incidents;
import org.geopigeon.service.store.ErrorCode;
import org.geopigeon.service.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/health}: model, database reachability and, with {@code ?verify=true}, the audit
 * chain check (it rehashes every row, so it is not done on every probe). 200 when requests can be
 * served, 503 when the database is unreachable (every request would be refused) or the chain is broken.
 */
final class HealthEndpoint implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

    private final ServedModel model;
    private final DataSource dataSource;
    private final AuditLog auditLog;

    HealthEndpoint(ServedModel model, DataSource dataSource, AuditLog auditLog) {
        this.model = model;
        this.dataSource = dataSource;
        this.auditLog = auditLog;
    }

    @Override
    public Response handle(HttpExchange exchange) {
        boolean verify = "true".equalsIgnoreCase(QueryString.of(exchange.getRequestURI()).get("verify"));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", model.name());
        o.put("trained", model.trained());
        ObjectNode db = o.putObject("database");
        boolean healthy = true;
        try (Connection c = dataSource.getConnection()) {
            db.put("reachable", c.isValid(5));
        } catch (SQLException e) {
            db.put("reachable", false);
            db.put("error", "cannot connect (incident " + Incidents.log(LOG, ErrorCode.STORE_FAILED,
                    "health check: the audit database is unreachable", e) + "; the server log has the details)");
        }
        healthy &= db.get("reachable").asBoolean();
        ObjectNode chain = o.putObject("audit_chain");
        if (!verify) {
            chain.put("checked", false);
            chain.put("hint", "add ?verify=true to recompute the hash chain");
        } else if (healthy) {
            try {
                ChainStatus s = auditLog.verify();
                chain.put("checked", true);
                chain.put("intact", s.intact());
                chain.put("rows_checked", s.rowsChecked());
                if (!s.intact()) {
                    chain.put("broken_id", s.brokenId());
                    chain.put("reason", s.reason());
                    healthy = false;
                }
            } catch (StoreException e) {
                chain.put("checked", false);
                chain.put("error", "the chain could not be checked (incident " + Incidents.log(LOG,
                        ErrorCode.STORE_FAILED, "health check: audit chain verification failed", e)
                        + "; the server log has the details)");
                healthy = false;
            }
        }
        o.put("status", healthy ? "ok" : "unavailable");
        return Response.json(healthy ? 200 : 503, o);
    }
}
