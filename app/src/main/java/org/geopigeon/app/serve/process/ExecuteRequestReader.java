package org.geopigeon.app.serve.process;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.geopigeon.app.serve.ServerSettings;
import org.geopigeon.app.serve.http.BodyFailures;
import org.geopigeon.app.serve.http.ProblemException;

/**
 * Reads an execute request (OGC 18-062r2 clause 7.11.2, schema {@code execute.yaml}) with Jackson's streaming
 * parser. Binary inputs are decoded from base64 as they are read ({@link JsonParser#getBinaryValue}), so a
 * 25 MB image never also exists as a 33 MB Java string.
 *
 * <p>Accepted input value forms: a plain JSON value; a qualified value {@code {"value": ..., "mediaType": ...,
 * "encoding": "base64"}}; a link {@code {"href": ..., "type": ...}}. When an input may occur more than once, a
 * JSON array holds its values. The reader checks the envelope (members, input and output ids, value forms,
 * how many values, base64, total image size); each process checks the meaning of its values.
 */
public final class ExecuteRequestReader {

    /** Padded and unpadded base64 are both accepted (browsers pad, some tools do not). */
    private static final Base64Variant BASE64 =
            Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);
    private static final Set<String> LINK_MEMBERS = Set.of("href", "rel", "type", "title", "hreflang");
    private static final Set<String> QUALIFIED_MEMBERS = Set.of("value", "mediaType", "encoding", "schema");

    private final ObjectMapper mapper;
    private final long maxBinaryBytes;
    private final BodyFailures bodyFailures;

    /**
     * @param maxBinaryBytes most decoded binary bytes (images) one request may carry in total
     */
    public ExecuteRequestReader(ObjectMapper mapper, long maxBinaryBytes) {
        this(mapper, maxBinaryBytes, new BodyFailures(ServerSettings.maxUploadBody(maxBinaryBytes), maxBinaryBytes));
    }

    /**
     * @param maxBinaryBytes most decoded binary bytes (images) one request may carry in total
     * @param bodyFailures   how failures of the HTTP layer while the body is read are answered (body limit,
     *                       broken chunked encoding)
     */
    public ExecuteRequestReader(ObjectMapper mapper, long maxBinaryBytes, BodyFailures bodyFailures) {
        this.mapper = mapper;
        this.maxBinaryBytes = maxBinaryBytes;
        this.bodyFailures = bodyFailures;
    }

    /**
     * @throws ProblemException 400 naming the problem (413 when the images or the body exceed the limit, 408 when
     *                          the body arrived too slowly)
     */
    public ExecuteRequest read(InputStream body, ProcessSpec spec) {
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            return read(p, spec);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) { // Jetty's body limit fails the read with an unchecked HttpException
            throw bodyFailures.problem(e).orElseThrow(() -> e);
        } catch (StreamConstraintsException e) {
            throw ProblemException.of(413, "TOO_LARGE", "a value of the execute request is longer or nested deeper"
                    + " than this server accepts (images: at most " + (maxBinaryBytes >> 20) + " MiB per request)");
        } catch (JsonProcessingException e) {
            throw bad("INVALID_JSON", "the execute request is not valid JSON: " + syntaxProblem(e)
                    + at(e.getLocation()));
        } catch (IOException e) {
            if (timedOut(e)) {
                throw ProblemException.of(408, "REQUEST_TIMEOUT", "the execute request arrived too slowly and was cut"
                        + " off (see the minimum upload rate in docs/service.md)");
            }
            throw bodyFailures.problem(e).orElseGet(() -> bad("INVALID_REQUEST", "the execute request could not be"
                    + " read: the connection failed while its body was received"));
        }
    }

    private ExecuteRequest read(JsonParser p, ProcessSpec spec) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw noInputs(spec); // an empty body, told the same as {} (issue: one message for "no inputs")
        }
        if (first != JsonToken.START_OBJECT) {
            throw bad("INVALID_REQUEST", "the execute request must be a JSON object with an 'inputs' member"
                    + " (OGC API - Processes, clause 7.11.2)");
        }
        boolean inputsGiven = false;
        Map<String, List<InputValue>> inputs = new LinkedHashMap<>();
        Map<String, OutputRequest> outputs = new LinkedHashMap<>();
        ResponseMode response = ResponseMode.RAW;
        long[] binaryBytes = {0};
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            JsonToken t = p.nextToken();
            switch (member) {
                case "inputs" -> {
                    readInputs(p, t, spec, inputs, binaryBytes);
                    inputsGiven = true;
                }
                case "outputs" -> readOutputs(p, t, spec, outputs);
                case "response" -> {
                    String r = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    if ("raw".equals(r)) {
                        response = ResponseMode.RAW;
                    } else if ("document".equals(r)) {
                        response = ResponseMode.DOCUMENT;
                    } else {
                        throw bad("INVALID_PARAMETER", "'response' must be \"raw\" or \"document\", got "
                                + p.readValueAsTree());
                    }
                }
                case "subscriber" -> throw bad("INVALID_PARAMETER", "'subscriber' (callbacks) is not supported by"
                        + " this server: poll /jobs/{jobId} instead");
                default -> throw bad("INVALID_REQUEST", "unknown member '" + member + "' in the execute request;"
                        + " expected inputs, outputs and response");
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw bad("INVALID_JSON", "the execute request has content after its closing brace");
        }
        if (!inputsGiven && spec.inputs().stream().anyMatch(i -> i.minOccurs() > 0)) {
            throw noInputs(spec);
        }
        return new ExecuteRequest(inputs, outputs, response);
    }

    /** One answer for an empty body and an object without {@code inputs}, naming the process's inputs. */
    private static ProblemException noInputs(ProcessSpec spec) {
        List<String> required = spec.inputs().stream().filter(i -> i.minOccurs() > 0).map(InputSpec::id).toList();
        return bad("INVALID_REQUEST", "the execute request has no inputs: send a JSON object whose 'inputs' member"
                + " gives " + (required.isEmpty() ? "the process's inputs" : "at least " + String.join(" and ",
                required)) + " (process " + spec.id() + " takes " + spec.inputNames() + "; OGC API - Processes,"
                + " clause 7.11.2)");
    }

    private void readInputs(JsonParser p, JsonToken t, ProcessSpec spec, Map<String, List<InputValue>> inputs,
                            long[] binaryBytes) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw bad("INVALID_REQUEST", "'inputs' must be an object mapping input ids to values");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String id = p.currentName();
            InputSpec in = spec.input(id).orElseThrow(() -> bad("INVALID_PARAMETER", "unknown input '" + id
                    + "': process " + spec.id() + " takes " + spec.inputNames()));
            if (inputs.containsKey(id)) {
                throw bad("INVALID_PARAMETER", "input '" + id + "' is given twice");
            }
            List<InputValue> values = new ArrayList<>();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_ARRAY && in.maxOccurs() > 1) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (values.size() == in.maxOccurs()) {
                        throw bad(in.countCode(), "input '" + id + "' takes at most " + in.maxOccurs()
                                + " values; got more");
                    }
                    values.add(value(p, in, values.size() + 1, binaryBytes));
                }
            } else {
                values.add(value(p, in, 1, binaryBytes));
            }
            inputs.put(id, values);
        }
    }

    private InputValue value(JsonParser p, InputSpec in, int n, long[] binaryBytes) throws IOException {
        String name = "input '" + in.id() + "'" + (in.maxOccurs() > 1 ? " (value " + n + ")" : "");
        JsonToken t = p.currentToken();
        if (in.binary()) {
            if (t == JsonToken.VALUE_STRING) {
                return new InputValue.Binary(binary(p, name, binaryBytes), null);
            }
            if (t != JsonToken.START_OBJECT) {
                throw bad("INVALID_PARAMETER", name + " must be a base64 string, a {\"value\": base64,"
                        + " \"mediaType\": ...} object or an {\"href\": ...} link; got " + p.readValueAsTree());
            }
            byte[] bytes = null;
            String mediaType = null;
            String href = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String m = p.currentName();
                JsonToken vt = p.nextToken();
                switch (m) {
                    case "value" -> {
                        if (vt != JsonToken.VALUE_STRING) {
                            throw bad("INVALID_PARAMETER", name + ": 'value' must be a base64 string");
                        }
                        bytes = binary(p, name, binaryBytes);
                    }
                    case "mediaType", "type" -> mediaType = text(p, name, m);
                    case "encoding" -> {
                        String e = text(p, name, m);
                        if (!e.equalsIgnoreCase("base64") && !e.equalsIgnoreCase("binary")) {
                            throw bad("INVALID_PARAMETER", name + ": encoding '" + e + "' is not supported; send"
                                    + " base64");
                        }
                    }
                    case "href" -> href = text(p, name, m);
                    case "schema", "rel", "title", "hreflang" -> p.skipChildren();
                    default -> throw bad("INVALID_PARAMETER", name + ": unknown member '" + m + "'; a qualified"
                            + " value has value, mediaType and encoding, a link has href and type");
                }
            }
            if (href != null && bytes == null) {
                return new InputValue.Reference(uri(href, name), mediaType);
            }
            if (bytes == null) {
                throw bad("INVALID_PARAMETER", name + ": an object needs 'value' (base64 data) or 'href'");
            }
            return new InputValue.Binary(bytes, mediaType);
        }
        JsonNode node = p.readValueAsTree();
        if (node.isObject() && node.hasNonNull("href") && node.get("href").isTextual() && onlyMembers(node,
                LINK_MEMBERS)) {
            JsonNode type = node.get("type");
            return new InputValue.Reference(uri(node.get("href").asText(), name), type == null ? null : type.asText());
        }
        // A qualified value wraps a plain value; for inputs whose values are objects the object is the value.
        if (node.isObject() && node.has("value") && onlyMembers(node, QUALIFIED_MEMBERS)
                && !"object".equals(in.type())) {
            return new InputValue.Json(node.get("value"));
        }
        return new InputValue.Json(node);
    }

    private byte[] binary(JsonParser p, String name, long[] total) throws IOException {
        byte[] b;
        try {
            b = p.getBinaryValue(BASE64);
        } catch (JsonProcessingException e) {
            throw bad("INVALID_IMAGE", name + " is not valid base64: " + base64Problem(e) + at(e.getLocation()));
        }
        total[0] += b.length;
        if (total[0] > maxBinaryBytes) {
            throw ProblemException.of(413, "TOO_LARGE", "the images of this request hold more than " + maxBinaryBytes
                    + " bytes (" + (maxBinaryBytes >> 20) + " MiB) of data; that is the limit per request");
        }
        return b;
    }

    private void readOutputs(JsonParser p, JsonToken t, ProcessSpec spec, Map<String, OutputRequest> outputs)
            throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw bad("INVALID_REQUEST", "'outputs' must be an object mapping output ids to {transmissionMode, format}");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String id = p.currentName();
            if (spec.output(id).isEmpty()) {
                throw bad("INVALID_PARAMETER", "unknown output '" + id + "': process " + spec.id() + " has "
                        + spec.outputNames());
            }
            p.nextToken();
            JsonNode o = p.readValueAsTree();
            if (!o.isObject()) {
                throw bad("INVALID_PARAMETER", "output '" + id + "' must be an object such as {\"transmissionMode\":"
                        + " \"value\"}");
            }
            String mode = o.path("transmissionMode").asText("value");
            if (!mode.equals("value")) {
                throw bad("INVALID_PARAMETER", "output '" + id + "': transmissionMode '" + mode + "' is not offered;"
                        + " this server returns outputs by value");
            }
            JsonNode format = o.path("format");
            String mediaType = format.isObject() && format.hasNonNull("mediaType") ? format.get("mediaType").asText()
                    : null;
            outputs.put(id, new OutputRequest(mode, mediaType));
        }
    }

    /** The body read failed because the client was too slow (idle timeout or minimum data rate). */
    public static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean onlyMembers(JsonNode object, Set<String> allowed) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            if (!allowed.contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonParser p, String name, String member) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw bad("INVALID_PARAMETER", name + ": '" + member + "' must be a string");
        }
        return p.getText();
    }

    private static URI uri(String href, String name) {
        try {
            URI u = new URI(href);
            if (u.getScheme() == null || u.getHost() == null) {
                throw bad("INVALID_PARAMETER", name + ": href '" + href + "' is not an absolute http(s) URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw bad("INVALID_PARAMETER", name + ": href '" + href + "' is not a URL: " + e.getReason());
        }
    }

    private static final java.util.regex.Pattern QUOTED_CHAR = java.util.regex.Pattern.compile(
            "[Cc]haracter \\(?'(.{1,2})'");
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("token '([^']{1,40})'");

    /**
     * What is wrong with the JSON, in user terms. Jackson's messages name its own features and source
     * descriptions ("StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION", "VALUE_STRING"), so only the offending
     * character or word is taken from them; the location is added by the caller.
     */
    static String syntaxProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String lower = m.toLowerCase(Locale.ROOT);
        if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException || lower.contains("end-of-input")) {
            return "it ends before it is complete (a string, object or array is not closed)";
        }
        if (lower.contains("invalid utf-8") || lower.contains("invalid utf8")) {
            return "it is not UTF-8 text";
        }
        if (lower.contains("unquoted character") || lower.contains("control character")) {
            return "a string contains a raw control character (a line break or tab must be escaped as \\n or \\t)";
        }
        java.util.regex.Matcher token = TOKEN.matcher(m);
        if (lower.contains("unrecognized token") && token.find()) {
            return "unexpected word '" + token.group(1) + "' (values are strings in double quotes, numbers, true,"
                    + " false, null, objects or arrays)";
        }
        java.util.regex.Matcher c = QUOTED_CHAR.matcher(m);
        if (c.find()) {
            String what = lower.contains("expecting comma") ? "; a comma or a closing bracket was expected"
                    : lower.contains("double-quote to start field name") ? "; a member name in double quotes was"
                    + " expected" : lower.contains("expecting a colon") ? "; a colon was expected" : "";
            return "unexpected character '" + c.group(1) + "'" + what;
        }
        return "it is not well-formed JSON (RFC 8259)";
    }

    /** What is wrong with a base64 value, in user terms (see {@link #syntaxProblem}). */
    static String base64Problem(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        java.util.regex.Matcher c = QUOTED_CHAR.matcher(m);
        if (m.contains("Illegal character") && c.find()) {
            return "it contains '" + c.group(1) + "', which is not a base64 character (A-Z, a-z, 0-9, +, /, =)";
        }
        if (m.toLowerCase(Locale.ROOT).contains("white space")) {
            return "it contains a space or line break inside a 4-character group";
        }
        if (m.toLowerCase(Locale.ROOT).contains("padding") || m.toLowerCase(Locale.ROOT).contains("end of base64")) {
            return "it ends in the middle of a 4-character group (its length is wrong or it was cut off)";
        }
        return "it cannot be decoded as base64 (RFC 4648)";
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 0 ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    static ProblemException bad(String code, String detail) {
        return ProblemException.of(400, code == null ? "INVALID_PARAMETER" : code, detail);
    }

    /** Lower-case media type without parameters, or null. */
    static String baseType(String mediaType) {
        return mediaType == null ? null : mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
}
