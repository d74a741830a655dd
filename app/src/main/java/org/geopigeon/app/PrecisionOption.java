package org.geopigeon.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.model.PrecisionChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --precision auto|fp32|bf16|fp16|int8}, shared by {@code locate}, {@code evaluate}, {@code train} and
 * {@code serve} as a picocli mixin, with the one way the one-shot commands load a bundle in it and say what runs.
 * A value not in {@link PrecisionChoice} is a usage error (exit 2) naming the accepted ones. Public for
 * {@code app.serve}.
 */
public final class PrecisionOption {

    @Option(names = "--precision", paramLabel = "P", converter = Converter.class,
            description = "backbone arithmetic: auto (bf16 on CPUs with avx512_bf16/amx_bf16 and on CUDA GPUs when the"
                    + " bundle has the variant, else fp32),"
                    + " fp32, bf16, fp16 (GPU) or int8 (CPU); default: $GEOPIGEON_PRECISION, else auto")
    PrecisionChoice choice;

    /** The precision given on the command line; null when none was (the configured one applies). */
    public PrecisionChoice choice() {
        return choice;
    }

    /**
     * Loads the bundle in the chosen precision (the process-wide one when none was given) and writes on {@code err}
     * which precision runs on which device and why.
     */
    ModelBundle load(Path bundleDir, PrintWriter err) throws BundleException {
        ModelBundle model = choice == null ? ModelBundle.load(bundleDir) : ModelBundle.load(bundleDir, choice);
        String from = choice == null ? configuredBy() : null;
        err.println("backbone: " + model.backbone().precision() + " on " + model.backbone().device() + " ("
                + model.precisionReason() + (from == null ? "" : ", from " + from) + ")");
        err.flush();
        return model;
    }

    /**
     * Where the process-wide choice came from when no --precision was given ({@link PrecisionChoice#configured()}'s
     * order), e.g. "GEOPIGEON_PRECISION=int8"; null when neither is set (auto).
     */
    static String configuredBy() {
        String p = System.getProperty(PrecisionChoice.PROPERTY);
        if (p != null && !p.isBlank()) {
            return "-D" + PrecisionChoice.PROPERTY + "=" + p.strip();
        }
        String e = System.getenv(PrecisionChoice.ENVIRONMENT);
        return e != null && !e.isBlank() ? PrecisionChoice.ENVIRONMENT + "=" + e.strip() : null;
    }

    /** picocli converter; the error names the accepted values. */
    static final class Converter implements ITypeConverter<PrecisionChoice> {
        @Override
        public PrecisionChoice convert(String value) {
            try {
                return PrecisionChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
