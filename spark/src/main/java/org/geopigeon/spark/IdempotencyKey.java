package org.geopigeon.spark;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.geopigeon.engine.image.PixelHash;

/**
 * The audit row key of one file of a batch job, stored in {@code audit_log.request_key} (unique; migration
 * V7): the first 128 bits of SHA-256 of {@code job id NUL path NUL content SHA-256} (content hash empty when
 * the file was not read), as a UUID of version 8 (RFC 9562, custom), i.e. with its version and variant bits
 * set. The same file in a retried task, or in the same job resubmitted, gets the same key; a file changed
 * between runs gets a new one. Hashed, so the audit log never holds the file path; 122 random bits, so two
 * files collide with probability about n^2 / 2^123.
 */
public final class IdempotencyKey {

    private IdempotencyKey() {
    }

    /** The key of one file of one job. */
    public static UUID of(String jobId, String path, String contentSha256OrNull) {
        MessageDigest md = PixelHash.sha256();
        md.update(jobId.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(path.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        if (contentSha256OrNull != null) {
            md.update(contentSha256OrNull.getBytes(StandardCharsets.US_ASCII));
        }
        ByteBuffer b = ByteBuffer.wrap(md.digest());
        long hi = b.getLong();
        long lo = b.getLong();
        hi = (hi & ~0xF000L) | 0x8000L;                        // version 8
        lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // variant 10
        return new UUID(hi, lo);
    }

    /** Lower-case hex SHA-256 of the file's bytes. */
    public static String contentSha256(byte[] content) {
        return HexFormat.of().formatHex(PixelHash.sha256().digest(content));
    }
}
