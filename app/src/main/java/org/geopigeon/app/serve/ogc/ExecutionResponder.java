package org.geopigeon.app.serve.ogc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;
import org.geopigeon.app.serve.http.JsonBodies;
import org.geopigeon.app.serve.process.OutputRequest;
import org.geopigeon.app.serve.process.OutputValue;
import org.geopigeon.app.serve.process.ResponseMode;

/**
 * Writes process results the way OGC API - Processes - Part 1 asks (OGC 18-062r2, clause 7.11.4 and
 * 7.13.4), for synchronous executions and for {@code /jobs/{jobId}/results}:
 * <ul>
 *   <li>{@code "response": "document"}: a JSON results document, each output as a qualified value
 *       {@code {"value": ..., "mediaType": ...}} (binary values as base64 with {@code "encoding": "base64"});</li>
 *   <li>{@code "response": "raw"} (the default) with one output: that output itself, in its media type;</li>
 *   <li>raw with several outputs: {@code multipart/related}, one part per output, {@code Content-ID} = the
 *       output id (written with Jetty's multipart generator).</li>
 * </ul>
 * Only the outputs the request named are sent (all when it named none).
 */
public final class ExecutionResponder {

    private final ObjectMapper mapper;

    public ExecutionResponder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The outputs to send: those requested (in request order), or all when none were named. */
    public static Map<String, OutputValue> selected(Map<String, OutputValue> produced,
                                                    Map<String, OutputRequest> requested) {
        if (requested.isEmpty()) {
            return produced;
        }
        Map<String, OutputValue> out = new LinkedHashMap<>();
        for (String id : requested.keySet()) {
            OutputValue v = produced.get(id);
            if (v != null) {
                out.put(id, v);
            }
        }
        return out;
    }

    /**
     * Writes the results of a synchronous execution (OGC 18-062r2, clause 7.11.4): a JSON results document for
     * {@code response=document} or when nothing is to be sent, one output raw in its own media type, or several as
     * {@code multipart/related}.
     *
     * @param status  HTTP status of the answer (200 for a synchronous execution and for job results)
     * @param outputs the outputs to send, by output id, in the order the request named them
     */
    public void respond(Context ctx, int status, Map<String, OutputValue> outputs, ResponseMode mode) {
        if (mode == ResponseMode.DOCUMENT || outputs.isEmpty()) {
            ctx.status(status).contentType(JsonBodies.JSON).result(bytes(document(outputs)));
            return;
        }
        if (outputs.size() == 1) {
            OutputValue v = outputs.values().iterator().next();
            ctx.status(status).contentType(contentType(v)).result(raw(v));
            return;
        }
        MultiPart.AbstractContentSource multipart = new MultiPart.AbstractContentSource(
                MultiPart.generateBoundary("geopigeon-results", 24)) {
        };
        for (Map.Entry<String, OutputValue> e : outputs.entrySet()) {
            HttpFields fields = HttpFields.build()
                    .put(HttpHeader.CONTENT_TYPE, contentType(e.getValue()))
                    .put("Content-ID", "<" + e.getKey() + ">");
            multipart.addPart(new MultiPart.ByteBufferPart(e.getKey(), null, fields, ByteBuffer.wrap(raw(e.getValue()))));
        }
        multipart.close();
        try {
            ByteBuffer body = Content.Source.asByteBuffer(multipart);
            byte[] b = new byte[body.remaining()];
            body.get(b);
            ctx.status(status).contentType("multipart/related; boundary=\"" + multipart.getBoundary() + "\"; type=\""
                    + contentType(outputs.values().iterator().next()) + "\"").result(b);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot assemble the multipart results", e);
        }
    }

    /** The results document: output id to qualified value. */
    public ObjectNode document(Map<String, OutputValue> outputs) {
        ObjectNode doc = mapper.createObjectNode();
        outputs.forEach((id, v) -> {
            ObjectNode q = doc.putObject(id);
            if (v.json() != null) {
                q.set("value", v.json());
            } else {
                q.put("value", Base64.getEncoder().encodeToString(v.binary()));
                q.put("encoding", "base64");
            }
            q.put("mediaType", v.mediaType());
        });
        return doc;
    }

    /** Outputs as stored with a job (same shape as the results document). */
    public JsonNode stored(Map<String, OutputValue> outputs) {
        return document(outputs);
    }

    /** The outputs of a stored results document. */
    public static Map<String, OutputValue> fromStored(JsonNode stored) {
        Map<String, OutputValue> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stored.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode q = e.getValue();
            String mediaType = q.path("mediaType").asText(JsonBodies.JSON);
            if ("base64".equals(q.path("encoding").asText())) {
                out.put(e.getKey(), OutputValue.binary(mediaType, Base64.getDecoder().decode(q.get("value").asText())));
            } else {
                out.put(e.getKey(), OutputValue.json(mediaType, q.get("value")));
            }
        }
        return out;
    }

    private byte[] raw(OutputValue v) {
        if (v.binary() != null) {
            return v.binary();
        }
        if (v.json().isTextual() && v.mediaType().startsWith("text/")) {
            return v.json().asText().getBytes(StandardCharsets.UTF_8);
        }
        return bytes(v.json());
    }

    private static String contentType(OutputValue v) {
        return v.mediaType().startsWith("text/") && !v.mediaType().contains("charset")
                ? v.mediaType() + "; charset=utf-8" : v.mediaType();
    }

    private byte[] bytes(JsonNode n) {
        try {
            return mapper.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
