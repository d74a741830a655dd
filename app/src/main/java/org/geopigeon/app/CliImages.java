package org.geopigeon.app;

import java.nio.file.Files;
import java.nio.file.Path;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.service.GeoPigeonConfig;
import org.geopigeon.service.ImageProblem;
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
 * @param rules the rules from the environment
 */
record CliImages(ImageRules rules) {

    /**
     * The rules of this process's configuration ({@link GeoPigeonConfig#fromEnvironment()}).
     *
     * @throws ParameterException (exit code 2) when a setting in the environment is invalid
     */
    static CliImages fromEnvironment(CommandLine cmd) {
        try {
            return new CliImages(GeoPigeonConfig.fromEnvironment().imageRules());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, e.getMessage());
        }
    }

    /** The engine decoder with these rules, for the engine's pipelines (training, evaluation, pretraining). */
    ImageDecoder decoder() {
        return rules.decoder();
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
        if (Files.isDirectory(file)) {
            throw new ImageRefusal(ImageProblem.UNREADABLE, name, "is a directory, not an image file");
        }
        byte[] bytes = rules.read(ImageUpload.ofFile(file), name);
        rules.checkHeader(bytes, null, name);
        return bytes;
    }

    /**
     * {@link #screen}, then decodes with the engine's decoder (orientation, colour rules, truncation).
     *
     * @throws ImageRefusal or {@link org.geopigeon.engine.image.ImageRejectedException}, both naming the file
     */
    DecodedImage decode(Path file) {
        return decoder().decode(screen(file), file.toString());
    }
}
