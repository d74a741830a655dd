package org.geopigeon.app.serve.process;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.geopigeon.engine.model.Precision;

/**
 * The backbone precisions the service answers in, for the description of the geolocate process's
 * {@code precision} input (docs/service.md, "Precision").
 *
 * @param own       the server's own precision ({@code geopigeon.precision} or {@code serve --precision}, resolved), or
 *                  null when not known
 * @param available every precision a request can get, the server's own included; other ones are loaded on first
 *                  use and kept
 */
public record ServedPrecisions(Precision own, Set<Precision> available) {

    /** Nothing known: the description then names no precision. */
    public static final ServedPrecisions UNKNOWN = new ServedPrecisions(null, Set.of());

    public ServedPrecisions {
        available = Set.copyOf(Objects.requireNonNull(available, "available"));
    }

    /** The input's description, naming what this server has. */
    public String describe() {
        StringBuilder sb = new StringBuilder("The arithmetic of the backbone: auto (the default) is the server's own");
        if (own != null) {
            sb.append(", ").append(own.id());
        }
        sb.append(". fp32 is full precision; bf16 and fp16 are mixed precision (fp16 only on CUDA GPUs); int8"
                + " quantises the linear layers (CPU only, least accurate).");
        String others = available.stream().filter(p -> p != own).sorted().map(Precision::id)
                .collect(Collectors.joining(", "));
        if (!others.isEmpty()) {
            sb.append(" This server also answers in ").append(others)
                    .append(" (loaded on the first request that asks, then kept).");
        } else if (own != null) {
            sb.append(" This server answers in ").append(own.id()).append(" only.");
        }
        sb.append(" Any other precision is refused (400 INVALID_PRECISION). The location output says which precision"
                + " ran.");
        return sb.toString();
    }
}
