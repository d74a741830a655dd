package org.geopigeon.spark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.geopigeon.engine.image.PixelHash;

/**
 * The audit row key of one image of a batch job: lower-case hex SHA-256 of
 * {@code job id NUL path NUL content SHA-256} (content hash empty when the file was not read).
 * The same image in a retried task, or in the same job resubmitted, gets the same key; a file changed
 * between runs gets a new one. Hashed, so the audit log never holds the file path.
 */
public final class IdempotencyKey {

    private IdempotencyKey() {
    }

    /** The key of one file of one job (64 hex digits). */
    public static String of(String jobId, String path, String contentSha256OrNull) {
        MessageDigest md = PixelHash.sha256();
        md.update(jobId.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(path.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        if (contentSha256OrNull != null) {
            md.update(contentSha256OrNull.getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Lower-case hex SHA-256 of the file's bytes. */
    public static String contentSha256(byte[] content) {
        return HexFormat.of().formatHex(PixelHash.sha256().digest(content));
    }
}
