package org.geopigeon.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageFormat;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.ImageRefusal;
import org.geopigeon.service.ImageRules;
import org.geopigeon.service.ImageUpload;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The service's one image rule set ({@link ImageRules}: 25 MiB, 80 MP, 32 px minimum side by default, changed with
 * {@code GEOPIGEON_MAX_IMAGE_BYTES} / {@code GEOPIGEON_MAX_IMAGE_PIXELS}) as every CLI command applies it, so
 * {@code inspect}, {@code train}, {@code evaluate}, {@code pretrain} and {@code geocells build} refuse exactly the
 * files {@code locate}, the HTTP service, the WPS process and {@code batch} refuse, with the same words.
 *
 * <p>A file argument that is not a regular file but a pipe ({@code locate <(curl ...)}) can be read once only: its
 * bytes are kept from the check to the decoding (at most {@link ImageRules#maxBytes()} each), so it is not
 * mistaken for an empty file the second time.
 */
final class CliImages {

    private final ImageRules rules;
    private final ImageDecoder decoder;
    /** Bytes of the pipes read by {@link #screen}, by path. */
    private final Map<Path, byte[]> streamed = new ConcurrentHashMap<>();

    CliImages(ImageRules rules) {
        this.rules = rules;
        this.decoder = rules.decoder();
    }

    /**
     * The rules of this process's configuration ({@link GeoPigeonConfig#fromEnvironment()}).
     *
     * @throws ParameterException (exit code 2) when a setting in the environment is invalid
     */
    static CliImages fromEnvironment(CommandLine cmd) {
        try {
            return new CliImages(GeoPigeonConfig.fromEnvironment().imageRules());
        } catch (IllegalArgumentException e) {
            throw new SettingException(cmd, e.getMessage());
        }
    }

    /** The rules. */
    ImageRules rules() {
        return rules;
    }

    /** The engine decoder with these rules, for the engine's pipelines (training, evaluation, pretraining). */
    ImageDecoder decoder() {
        return decoder;
    }

    /**
     * Applies the rules in the service's order without decoding: bytes (read at most one past the limit), format,
     * header dimensions.
     *
     * @return the file's bytes
     * @throws ImageRefusal naming the file and the problem
     */
    byte[] screen(Path file) {
        String name = file.toString();
        byte[] bytes = streamed.get(file);
        if (bytes == null) {
            bytes = rules.read(ImageUpload.ofFile(file), name);
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                streamed.put(file, bytes); // a pipe: there is no second read
            }
        }
        rules.checkHeader(bytes, null, name);
        return bytes;
    }

    /**
     * {@link #screen}, then decodes with the engine's decoder (orientation, colour rules, truncation).
     *
     * @throws ImageRefusal or {@link org.geopigeon.engine.image.ImageRejectedException}, both naming the file
     */
    DecodedImage decode(Path file) {
        return decoder.decode(screen(file), file.toString());
    }

    /**
     * Decodes a file {@link #screen} has passed (the decode threads of {@code locate}): a pipe from the bytes kept,
     * a regular file from disk.
     */
    DecodedImage decodeScreened(Path file) {
        byte[] bytes = streamed.get(file);
        return bytes != null ? decoder.decode(bytes, file.toString()) : decoder.decode(file);
    }

    /**
     * The file as an upload for the audited service, declaring the media type its magic bytes name (the CLI knows
     * the content, as a browser knows what it sends), so audit rows say {@code image/jpeg} rather than nothing; a
     * pipe's kept bytes are sent from memory.
     */
    ImageUpload upload(Path file) {
        byte[] bytes = streamed.get(file);
        if (bytes != null) {
            return ImageUpload.of(bytes, ImageFormat.detect(bytes).map(ImageRules::mediaType).orElse(null),
                    file.toString());
        }
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            try (InputStream in = Files.newInputStream(file)) { // a pipe: read once, one byte past the limit
                byte[] piped = in.readNBytes((int) rules.maxBytes() + 1);
                streamed.put(file, piped);
                return upload(file);
            } catch (IOException e) {
                // the service reports it, naming the file
            }
        }
        String type = null;
        try (InputStream in = Files.newInputStream(file)) {
            type = ImageFormat.detect(in.readNBytes(32)).map(ImageRules::mediaType).orElse(null);
        } catch (IOException | RuntimeException e) {
            // unreadable now: the service reports it, naming the file
        }
        return ImageUpload.ofFile(file, type);
    }
}
