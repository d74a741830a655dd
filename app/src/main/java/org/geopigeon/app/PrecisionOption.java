package org.geopigeon.app;

import org.geopigeon.engine.model.PrecisionChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter for {@code --precision auto|fp32|bf16|fp16|int8}; the error names the accepted values. */
final class PrecisionOption implements ITypeConverter<PrecisionChoice> {

    @Override
    public PrecisionChoice convert(String value) {
        try {
            return PrecisionChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
