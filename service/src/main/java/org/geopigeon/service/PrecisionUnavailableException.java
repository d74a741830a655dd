package org.geopigeon.service;

/**
 * A request asked for a backbone precision this server cannot answer in: the bundle lacks the variant, the
 * hardware cannot run it (fp16 needs a CUDA GPU, int8 the CPU), or the operator allows only the server's own
 * precision. A refusal of the client's request (audited as {@code INVALID_PRECISION}); the message says why and
 * which precisions the server has.
 */
public final class PrecisionUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PrecisionUnavailableException(String message) {
        super(message);
    }
}
