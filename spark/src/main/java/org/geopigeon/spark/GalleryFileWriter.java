package org.geopigeon.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.io.AtomicFiles;
import org.geopigeon.engine.io.Half;
import org.geopigeon.engine.train.Gallery;

/**
 * Writes a {@link Gallery} file ({@value Gallery#FORMAT}, safetensors: {@code embeddings} F16 or F32
 * [N, D], then {@code latlon} F32 [N, 2]) row by row, so a gallery of millions of photos never has to be
 * in memory ({@link Gallery#read} maps the written file in segments, so its size is not bounded by the heap). The
 * bytes are those {@link Gallery#write} produces for the same rows: same header JSON, 8-byte padding
 * with spaces, little-endian data. Written to a temporary file and moved into place when complete.
 *
 * <p>Own code rather than the engine's {@code Safetensors.write} because that one takes whole tensors.
 */
public final class GalleryFileWriter implements AutoCloseable {

    private final Path file;
    private final Path tmp;
    private final OutputStream out;
    private final long rows;
    private final int dim;
    private final boolean f16;
    private final float[] latlon;
    private final ByteBuffer row;
    private long written;
    private boolean done;

    /**
     * @param rows N, known in advance (the header names every tensor's byte range)
     * @param dim  D
     * @param f16  store embeddings as float16 (as {@code train --save-gallery} does)
     */
    public GalleryFileWriter(Path file, long rows, int dim, boolean f16) throws IOException {
        if (rows < 1 || dim < 1) {
            throw new IllegalArgumentException("a gallery needs at least one row and D >= 1, got " + rows + " x " + dim);
        }
        this.file = file;
        this.rows = rows;
        this.dim = dim;
        this.f16 = f16;
        this.latlon = new float[Math.toIntExact(rows * 2)];
        this.row = ByteBuffer.allocate(dim * (f16 ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        this.tmp = AtomicFiles.createTemp(file); // creates the folder too
        this.out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
        writeHeader();
    }

    private void writeHeader() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode header = mapper.createObjectNode();
        header.putObject("__metadata__").put("format", Gallery.FORMAT);
        long embBytes = rows * dim * (f16 ? 2L : 4L);
        ObjectNode e = header.putObject("embeddings");
        e.put("dtype", f16 ? "F16" : "F32");
        e.putArray("shape").add(rows).add(dim);
        e.putArray("data_offsets").add(0L).add(embBytes);
        ObjectNode ll = header.putObject("latlon");
        ll.put("dtype", "F32");
        ll.putArray("shape").add(rows).add(2L);
        ll.putArray("data_offsets").add(embBytes).add(embBytes + rows * 8L);
        byte[] hb = mapper.writeValueAsBytes(header);
        int pad = (8 - hb.length % 8) % 8;
        byte[] headerBytes = Arrays.copyOf(hb, hb.length + pad);
        Arrays.fill(headerBytes, hb.length, headerBytes.length, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
        out.write(headerBytes);
    }

    /** Appends one row. */
    public void add(float[] embedding, LatLon location) throws IOException {
        if (written == rows) {
            throw new IllegalStateException("gallery already has its " + rows + " rows");
        }
        if (embedding.length != dim) {
            throw new IllegalArgumentException("embedding of row " + written + " has D = " + embedding.length
                    + ", expected " + dim);
        }
        row.clear();
        for (float v : embedding) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("embedding of row " + written + " has a non-finite value " + v);
            }
            if (f16) {
                row.putShort(Half.fromFloat(v));
            } else {
                row.putFloat(v);
            }
        }
        out.write(row.array(), 0, row.position());
        latlon[(int) (2 * written)] = (float) location.lat();
        latlon[(int) (2 * written + 1)] = (float) location.lon();
        written++;
    }

    /** Writes the coordinates and moves the file into place; fails when fewer rows than announced came. */
    public void finish() throws IOException {
        if (written != rows) {
            throw new IllegalStateException("gallery got " + written + " rows, " + rows + " announced");
        }
        ByteBuffer b = ByteBuffer.allocate(latlon.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(latlon);
        out.write(b.array());
        out.close();
        AtomicFiles.publish(tmp, file);
        done = true;
    }

    /** Deletes the temporary file unless {@link #finish()} succeeded: nothing half-written stays. */
    @Override
    public void close() throws IOException {
        if (!done) {
            out.close();
            Files.deleteIfExists(tmp);
        }
    }
}
