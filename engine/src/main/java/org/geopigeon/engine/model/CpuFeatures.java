package org.geopigeon.engine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Instruction-set flags of the CPU, from the first {@code flags} line of Linux's {@code /proc/cpuinfo}
 * (empty elsewhere, which makes {@link PrecisionResolver} choose fp32).
 *
 * @param flags lower-case flag names, e.g. {@code avx512_bf16}
 */
public record CpuFeatures(Set<String> flags) {

    /** Flags that mean bfloat16 matrix products run natively (AVX-512 BF16 dot products, or AMX tiles). */
    public static final Set<String> NATIVE_BF16 = Set.of("avx512_bf16", "amx_bf16");

    public CpuFeatures {
        flags = Set.copyOf(flags);
    }

    /** Reads {@code /proc/cpuinfo}; empty flags when it cannot be read (not Linux, restricted container). */
    public static CpuFeatures detect() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            return parse(Files.readString(cpuinfo));
        } catch (IOException | RuntimeException e) {
            return new CpuFeatures(Set.of());
        }
    }

    /** Parses the text of {@code /proc/cpuinfo}: the first line starting with {@code flags}. */
    public static CpuFeatures parse(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                Set<String> f = new TreeSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
                f.remove("");
                return new CpuFeatures(f);
            }
        }
        return new CpuFeatures(Set.of());
    }

    /** True when the CPU has {@code avx512_bf16} or {@code amx_bf16}. */
    public boolean nativeBf16() {
        return flags.stream().anyMatch(NATIVE_BF16::contains);
    }

    /** The native-bf16 flags present, for messages ("avx512_bf16"), or "none". */
    public String bf16Flags() {
        String s = String.join(", ", new TreeSet<>(flags.stream().filter(NATIVE_BF16::contains).toList()));
        return s.isEmpty() ? "none" : s;
    }
}
