package org.geopigeon.app.serve;

import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a locate request: image bytes and the form fields. Either {@code multipart/form-data}
 * (fields {@code image} x1 or x4, {@code purpose}, {@code topK}, {@code store}) or a raw image body with
 * the fields in the query string. Form fields win over query parameters of the same name.
 *
 * @param images  the uploaded files in order
 * @param purpose the stated purpose, or null
 * @param topK    cells asked for, or null for the model default
 * @param store   whether to store the prediction, or null for the server default
 */
record Upload(List<Image> images, String purpose, Integer topK, Boolean store) {

    static final String FIELD_IMAGE = "image";

    /**
     * One uploaded file.
     *
     * @param name      the file name, for error messages only; null when the client gave none
     * @param mediaType the declared Content-Type of the part or body, or null
     * @param bytes     the encoded image, as received
     */
    record Image(String name, String mediaType, byte[] bytes) {
    }

    Upload {
        images = List.copyOf(images);
    }

    /**
     * Only the query-string fields; used to audit a request whose body could not be read.
     * Never throws: a broken query gives no fields.
     */
    static Upload queryOnly(HttpExchange exchange) {
        try {
            QueryString q = QueryString.of(exchange.getRequestURI());
            return new Upload(List.of(), q.get("purpose"), null, null);
        } catch (ApiException e) {
            return new Upload(List.of(), null, null, null);
        }
    }

    /** @throws ApiException 400/415 naming the problem */
    static Upload parse(String contentType, byte[] body, QueryString query) {
        String boundary = MultipartForm.boundary(contentType);
        if (boundary != null) {
            MultipartForm form = MultipartForm.parse(body, boundary);
            List<Image> images = new ArrayList<>();
            for (MultipartForm.Part p : form.all(FIELD_IMAGE)) {
                if (p.isFile() && p.filename().isEmpty() && p.data().length == 0) {
                    continue; // a file input left empty in a browser form
                }
                String name = p.filename() == null || p.filename().isBlank() ? null : p.filename();
                images.add(new Image(name, p.contentType(), p.data()));
            }
            return new Upload(images, field(form, query, "purpose"), topK(field(form, query, "topK")),
                    store(field(form, query, "store")));
        }
        if (!isRawImageType(contentType)) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type '" + contentType + "' is not"
                    + " accepted: send multipart/form-data with an 'image' field, or the image itself as"
                    + " image/jpeg, image/png or image/webp");
        }
        return new Upload(List.of(new Image("request body", contentType, body)), query.get("purpose"),
                topK(query.get("topK")),
                store(query.get("store")));
    }

    private static String field(MultipartForm form, QueryString query, String name) {
        String v = form.text(name);
        return v != null ? v : query.get(name);
    }

    /**
     * The envelope only has to say "an image" (or nothing at all); the service then checks that the bytes are the
     * image type declared.
     */
    private static boolean isRawImageType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String t = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return t.startsWith("image/") || t.equals("application/octet-stream");
    }

    private static Integer topK(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "INVALID_TOP_K", "topK must be an integer, got '" + v + "'");
        }
    }

    private static Boolean store(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> Boolean.TRUE;
            case "false", "0", "no", "off" -> Boolean.FALSE;
            default -> throw new ApiException(400, "INVALID_PARAMETER", "store must be true or false, got '" + v + "'");
        };
    }
}
