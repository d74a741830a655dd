package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.app.serve.auth.Caller;
import org.geopigeon.app.serve.http.JsonBodies;
import org.geopigeon.app.serve.http.ProblemException;

/**
 * {@code echo}: returns its inputs as outputs ({@code xInput} as {@code xOutput}), shaped like the EchoProcess
 * example of OGC API - Processes that OGC's executable test suite ({@code ets-ogcapi-processes10},
 * test-run property {@code echoprocessid=echo}) runs its execution tests against. It is a conformance
 * fixture, off by default ({@code --enable-echo-process}), and not audited: it locates nothing.
 *
 * <p>Values are checked against the JSON type of each input's schema. {@code pause} (seconds, at most
 * {@value #MAX_PAUSE_S}) delays the run, so a test can see a job before it finishes (the suite sends
 * {@code "pause": 5} for its "results not ready" test).
 */
public final class EchoProcess implements OgcProcess {

    public static final String ID = "echo";
    static final int MAX_PAUSE_S = 30;

    private final ProcessSpec spec;

    public EchoProcess(ObjectMapper m) {
        this.spec = describe(m);
    }

    @Override
    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public boolean audited() {
        return false;
    }

    @Override
    public ProcessResult execute(ExecuteRequest request, Caller caller, JobContext job) {
        if (request.values("stringInput").isEmpty()) {
            throw ProblemException.of(400, "INVALID_PARAMETER", "input 'stringInput' is required");
        }
        Map<String, OutputValue> outputs = new LinkedHashMap<>();
        for (InputSpec in : spec.inputs()) {
            List<InputValue> values = request.values(in.id());
            if (values.isEmpty() || in.id().equals("pause")) {
                continue;
            }
            for (InputValue v : values) {
                check(in, v);
            }
            String out = in.id().replace("Input", "Output");
            outputs.put(out, output(in, values));
        }
        pause(request, job);
        return new ProcessResult(outputs, null, null);
    }

    private static void check(InputSpec in, InputValue v) {
        if (in.binary()) {
            return; // base64 was checked by the reader
        }
        if (!(v instanceof InputValue.Json j)) {
            throw ProblemException.of(400, "INVALID_PARAMETER", "input '" + in.id() + "' must be given inline");
        }
        JsonNode n = j.value();
        boolean ok = switch (in.type()) {
            case "string" -> n.isTextual();
            case "number" -> n.isNumber();
            case "integer" -> n.isIntegralNumber();
            case "array" -> n.isArray() && n.size() >= in.schema().path("minItems").asInt(0)
                    && n.size() <= in.schema().path("maxItems").asInt(Integer.MAX_VALUE);
            case "object" -> n.isObject();
            default -> true;
        };
        if (!ok) {
            throw ProblemException.of(400, "INVALID_PARAMETER", "input '" + in.id() + "' must be "
                    + ("array".equals(in.type()) ? "an array of " + in.schema().path("minItems").asInt() + " to "
                    + in.schema().path("maxItems").asInt() + " items" : "of type " + in.type()) + ", got " + n);
        }
    }

    private static OutputValue output(InputSpec in, List<InputValue> values) {
        if (in.binary()) {
            // Echoed as text: base64 of each value (the test suite also sends plain strings here).
            List<String> b64 = values.stream().map(v -> Base64.getEncoder()
                    .encodeToString(((InputValue.Binary) v).bytes())).toList();
            return OutputValue.json("text/plain", new TextNode(String.join("\n", b64)));
        }
        JsonNode first = ((InputValue.Json) values.get(0)).value();
        JsonNode value = first;
        if (values.size() > 1) {
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            values.forEach(v -> all.add(((InputValue.Json) v).value()));
            value = all;
        }
        return OutputValue.json(value.isTextual() ? "text/plain" : JsonBodies.JSON, value);
    }

    private static void pause(ExecuteRequest request, JobContext job) {
        List<InputValue> p = request.values("pause");
        if (p.isEmpty()) {
            return;
        }
        JsonNode n = ((InputValue.Json) p.get(0)).value();
        if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > MAX_PAUSE_S) {
            throw ProblemException.of(400, "INVALID_PARAMETER", "input 'pause' must be a number of seconds from 0 to "
                    + MAX_PAUSE_S + ", got " + n);
        }
        long until = System.nanoTime() + (long) (n.asDouble() * 1e9);
        try {
            while (System.nanoTime() < until && !job.isCancelled()) {
                Thread.sleep(Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ProcessSpec describe(ObjectMapper m) {
        ObjectNode string = m.createObjectNode().put("type", "string");
        ObjectNode measure = m.createObjectNode().put("type", "object");
        measure.putArray("required").add("measurement").add("uom");
        ObjectNode mp = measure.putObject("properties");
        mp.putObject("measurement").put("type", "number");
        mp.putObject("uom").put("type", "string");
        ObjectNode dbl = m.createObjectNode().put("type", "number").put("format", "double").put("minimum", 0)
                .put("maximum", 10).put("default", 5);
        ObjectNode array = m.createObjectNode().put("type", "array").put("minItems", 2).put("maxItems", 10);
        array.putObject("items").put("type", "integer");
        ObjectNode complex = m.createObjectNode().put("type", "object");
        ObjectNode cp = complex.putObject("properties");
        cp.putObject("property1").put("type", "string");
        cp.putObject("property2").put("type", "number");
        cp.putObject("property3").put("type", "boolean");
        ObjectNode images = m.createObjectNode().put("type", "string").put("contentEncoding", "base64")
                .put("contentMediaType", "image/png");
        ObjectNode pause = m.createObjectNode().put("type", "number").put("minimum", 0).put("maximum", MAX_PAUSE_S);
        List<InputSpec> inputs = List.of(
                new InputSpec("stringInput", "String", "A string literal.", 1, 1, string, false, null),
                new InputSpec("measureInput", "Measure", "A number with a unit of measure.", 0, 1, measure, false, null),
                new InputSpec("doubleInput", "Double", "A number from 0 to 10.", 0, 1, dbl, false, null),
                new InputSpec("arrayInput", "Array", "One value that is an array of 2 to 10 integers.", 0, 1, array,
                        false, null),
                new InputSpec("complexObjectInput", "Object", "An object.", 0, 1, complex, false, null),
                new InputSpec("imagesInput", "Images", "Up to 2 images as base64.", 0, 2, images, true, null),
                new InputSpec("pause", "Pause", "Seconds to wait before finishing.", 0, 1, pause, false, null));
        List<OutputSpec> outputs = inputs.stream().filter(i -> !i.id().equals("pause"))
                .map(i -> new OutputSpec(i.id().replace("Input", "Output"), i.title(), "The input " + i.id()
                        + ", echoed.", i.schema(), "string".equals(i.type()) ? "text/plain" : JsonBodies.JSON))
                .toList();
        return new ProcessSpec(ID, "1.0.0", "Echo", "Returns each input as the matching output. A conformance test"
                + " fixture (OGC API - Processes executable test suite); it locates nothing and is not audited.",
                List.of("test", "echo"), inputs, outputs);
    }
}
