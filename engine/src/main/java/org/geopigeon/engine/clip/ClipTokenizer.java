package org.geopigeon.engine.clip;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.geopigeon.engine.model.DjlRuntime;

/**
 * CLIP's tokenizer from a Hugging Face {@code tokenizer.json} (byte-level BPE), run by Hugging Face's Rust
 * tokenizers through DJL ({@code ai.djl.huggingface:tokenizers}; its native library ships inside the jar and is
 * unpacked to DJL's cache, nothing is downloaded). A maintained implementation rather than our own BPE: the
 * parity test checks it against Hugging Face's independent JavaScript tokenizer on accented, non-Latin and
 * over-long captions.
 *
 * <p>Output as Hugging Face's {@code CLIPTokenizer(text, padding="max_length", truncation=True, max_length=L)}:
 * {@code <|startoftext|>}, at most L-2 text tokens, {@code <|endoftext|>}, then the pad id up to L. Thread-safe
 * (the Rust tokenizer is immutable); close it to free native memory.
 */
public final class ClipTokenizer implements AutoCloseable {

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;
    private final int bos;
    private final int eos;
    private final int pad;

    private ClipTokenizer(Path file, HuggingFaceTokenizer tokenizer, int contextLength, int bos, int eos, int pad) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
    }

    /**
     * @param file          tokenizer.json
     * @param contextLength L, e.g. 77
     * @param bos           id of {@code <|startoftext|>}
     * @param eos           id of {@code <|endoftext|>}
     * @param pad           id written after the end token
     * @throws IOException naming the file when it is missing, not a tokenizer, or does not frame text with bos/eos
     */
    public static ClipTokenizer load(Path file, int contextLength, int bos, int eos, int pad) throws IOException {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2, got " + contextLength);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": tokenizer file not found");
        }
        DjlRuntime.configure();
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.builder().optTokenizerPath(file).optAddSpecialTokens(true).optTruncation(true)
                    .optMaxLength(contextLength).optPadding(false).build();
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a loadable Hugging Face tokenizer (" + firstLine(e) + ")", e);
        }
        ClipTokenizer c = new ClipTokenizer(file, t, contextLength, bos, eos, pad);
        long[] empty = c.unpadded("");
        if (empty.length != 2 || empty[0] != bos || empty[1] != eos) {
            t.close();
            throw new IOException(file + ": encodes the empty text as " + Arrays.toString(empty) + ", expected [" + bos
                    + ", " + eos + "] (start and end tokens from the manifest)");
        }
        return c;
    }

    /** Token ids framed by start/end tokens, truncated to L, not padded. */
    public long[] unpadded(String text) {
        Encoding e = tokenizer.encode(text == null ? "" : text);
        long[] ids = e.getIds();
        if (ids.length > contextLength) {
            throw new IllegalStateException(file + ": tokenizer returned " + ids.length + " ids despite truncation to "
                    + contextLength);
        }
        return ids;
    }

    /** Token ids padded to the context length: [L] int64, as the text tower takes them. */
    public long[] encode(String text) {
        long[] ids = unpadded(text);
        long[] out = new long[contextLength];
        System.arraycopy(ids, 0, out, 0, ids.length);
        Arrays.fill(out, ids.length, contextLength, pad);
        return out;
    }

    /** Tokens per encoded sequence, start and end-of-text tokens included (77 for OpenAI CLIP). */
    public int contextLength() {
        return contextLength;
    }

    /** Id of the end-of-text token ({@code <|endoftext|>}), whose position CLIP's text tower pools. */
    public int endOfTextId() {
        return eos;
    }

    /** The {@code tokenizer.json} this tokenizer was loaded from (for messages). */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
