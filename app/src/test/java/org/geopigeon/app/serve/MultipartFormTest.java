package org.geopigeon.app.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing multipart/form-data bodies as browsers and curl send them. */
class MultipartFormTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsFieldsAndBinaryFilesWhoseBytesLookLikeDelimiters() {
        byte[] binary = {(byte) 0xFF, (byte) 0xD8, '\r', '\n', '-', '-', 'x', 0, (byte) 0xFF, (byte) 0xD9};
        String head = "--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nwhy not\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a;b.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n";
        byte[] body = concat(bytes(head), binary, bytes("\r\n--XyZ--\r\n"));

        MultipartForm form = MultipartForm.parse(body, "XyZ");

        assertEquals("why not", form.text("purpose"));
        List<MultipartForm.Part> images = form.all("image");
        assertEquals(1, images.size());
        assertEquals("a;b.jpg", images.get(0).filename());
        assertEquals("image/jpeg", images.get(0).contentType());
        assertArrayEquals(binary, images.get(0).data());
        assertNull(form.text("topK"));
    }

    @Test
    void boundaryComesFromTheContentTypeQuotedOrNot() {
        assertEquals("abc", MultipartForm.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartForm.boundary("multipart/form-data; charset=utf-8; boundary=\"a b\""));
        assertNull(MultipartForm.boundary("image/jpeg"));
        ApiException e = assertThrows(ApiException.class, () -> MultipartForm.boundary("multipart/form-data"));
        assertTrue(e.getMessage().contains("no boundary"), e.getMessage());
    }

    @Test
    void truncatedOrForeignBodiesAreRefusedNamingTheProblem() {
        ApiException missing = assertThrows(ApiException.class, () -> MultipartForm.parse(bytes("hello"), "abc"));
        assertEquals(400, missing.status());
        assertTrue(missing.getMessage().contains("does not contain the boundary"), missing.getMessage());

        ApiException truncated = assertThrows(ApiException.class, () -> MultipartForm.parse(
                bytes("--abc\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nJPEG..."), "abc"));
        assertTrue(truncated.getMessage().contains("part 1") && truncated.getMessage().contains("truncated"),
                truncated.getMessage());

        ApiException nameless = assertThrows(ApiException.class, () -> MultipartForm.parse(
                bytes("--abc\r\nContent-Type: text/plain\r\n\r\nx\r\n--abc--"), "abc"));
        assertTrue(nameless.getMessage().contains("no Content-Disposition name"), nameless.getMessage());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
