package org.geopigeon.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 9's rule: auto = bf16 on CPUs with native bf16 and on CUDA GPUs, fp32 otherwise; fixed choices honoured or refused. */
class PrecisionResolverTest {

    static final String ZEN4_CPUINFO = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC
            flags\t\t: fpu vme avx2 avx512f avx512dq avx512_bf16 avx512_vnni clzero
            processor\t: 1
            flags\t\t: fpu vme avx2 avx512f avx512dq avx512_bf16 avx512_vnni clzero
            """;
    static final String SAPPHIRE_RAPIDS_FLAGS = "flags : fpu avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n";
    static final String SKYLAKE_FLAGS = "flags : fpu avx2 avx512f avx512bw avx512_vnni\n";

    static final ComputeTarget ZEN4 = ComputeTarget.cpu(CpuFeatures.parse(ZEN4_CPUINFO));
    static final ComputeTarget SKYLAKE = ComputeTarget.cpu(CpuFeatures.parse(SKYLAKE_FLAGS));
    static final ComputeTarget AMPERE = new ComputeTarget(Device.gpu(), "86", CpuFeatures.parse(SKYLAKE_FLAGS));
    static final ComputeTarget TURING = new ComputeTarget(Device.gpu(), "75", CpuFeatures.parse(SKYLAKE_FLAGS));
    static final Set<Precision> ALL = EnumSet.of(Precision.BF16, Precision.FP16, Precision.INT8);
    static final Set<Precision> NONE = Set.of();

    @Test
    void cpuFlagsAreReadFromProcCpuinfo() {
        CpuFeatures zen4 = CpuFeatures.parse(ZEN4_CPUINFO);
        assertTrue(zen4.flags().contains("avx512_bf16"));
        assertTrue(zen4.nativeBf16());
        assertEquals("avx512_bf16", zen4.bf16Flags());
        assertTrue(CpuFeatures.parse(SAPPHIRE_RAPIDS_FLAGS).nativeBf16());
        assertEquals("amx_bf16, avx512_bf16", CpuFeatures.parse(SAPPHIRE_RAPIDS_FLAGS).bf16Flags());
        assertFalse(CpuFeatures.parse(SKYLAKE_FLAGS).nativeBf16());
        assertFalse(CpuFeatures.parse("no flags here").nativeBf16());
        assertEquals("none", CpuFeatures.parse("").bf16Flags());
    }

    @Test
    void autoPicksBf16OnACpuWithNativeBf16WhenTheBundleHasIt() {
        PrecisionResolver.Resolution r = PrecisionResolver.resolve(PrecisionChoice.AUTO, ZEN4, ALL);
        assertEquals(Precision.BF16, r.precision());
        assertTrue(r.reason().contains("avx512_bf16"), r.reason());
        assertEquals(Precision.BF16,
                PrecisionResolver.resolve(PrecisionChoice.AUTO, ComputeTarget.cpu(CpuFeatures.parse(SAPPHIRE_RAPIDS_FLAGS)),
                        Set.of(Precision.BF16)).precision());
    }

    @Test
    void autoFallsBackToFp32WithoutNativeBf16OrWithoutTheVariant() {
        PrecisionResolver.Resolution noBf16 = PrecisionResolver.resolve(PrecisionChoice.AUTO, SKYLAKE, ALL);
        assertEquals(Precision.FP32, noBf16.precision());
        assertTrue(noBf16.reason().contains("no native bf16"), noBf16.reason());
        PrecisionResolver.Resolution noVariant = PrecisionResolver.resolve(PrecisionChoice.AUTO, ZEN4, NONE);
        assertEquals(Precision.FP32, noVariant.precision());
        assertTrue(noVariant.reason().contains("export_precision_variants.py"), noVariant.reason());
        assertEquals(Precision.FP32, PrecisionResolver.resolve(PrecisionChoice.AUTO, ZEN4, Set.of(Precision.INT8)).precision(),
                "int8 is never chosen automatically");
    }

    @Test
    void autoOnCudaPrefersBf16FromAmpereAndFp16Before() {
        assertEquals(Precision.BF16, PrecisionResolver.resolve(PrecisionChoice.AUTO, AMPERE, ALL).precision());
        assertEquals(Precision.FP16, PrecisionResolver.resolve(PrecisionChoice.AUTO, TURING, ALL).precision());
        assertEquals(Precision.FP16, PrecisionResolver.resolve(PrecisionChoice.AUTO, AMPERE, Set.of(Precision.FP16)).precision());
        assertEquals(Precision.FP32, PrecisionResolver.resolve(PrecisionChoice.AUTO, TURING, Set.of(Precision.BF16)).precision());
        assertEquals(Precision.FP32, PrecisionResolver.resolve(PrecisionChoice.AUTO, AMPERE, NONE).precision());
        assertEquals(8, AMPERE.cudaMajor());
        assertEquals(10, new ComputeTarget(Device.gpu(), "100", null).cudaMajor());
        assertEquals(-1, new ComputeTarget(Device.gpu(), null, null).cudaMajor());
    }

    @Test
    void fixedChoicesAreHonouredWhereTheyRun() {
        assertEquals(Precision.FP32, PrecisionResolver.resolve(PrecisionChoice.FP32, ZEN4, ALL).precision());
        assertEquals(Precision.INT8, PrecisionResolver.resolve(PrecisionChoice.INT8, ZEN4, ALL).precision());
        assertEquals(Precision.FP16, PrecisionResolver.resolve(PrecisionChoice.FP16, TURING, ALL).precision());
        PrecisionResolver.Resolution emulated = PrecisionResolver.resolve(PrecisionChoice.BF16, SKYLAKE, ALL);
        assertEquals(Precision.BF16, emulated.precision());
        assertTrue(emulated.reason().contains("no native bf16"), emulated.reason());
    }

    @Test
    void fixedChoicesThatCannotRunAreRefusedWithTheReasonAndTheFix() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PrecisionResolver.resolve(PrecisionChoice.BF16, ZEN4, Set.of(Precision.INT8)));
        assertTrue(missing.getMessage().contains("no bf16 backbone variant (it has fp32, int8)"), missing.getMessage());
        assertTrue(missing.getMessage().contains("export_precision_variants.py --bundle DIR --precisions bf16"),
                missing.getMessage());
        IllegalArgumentException fp16OnCpu = assertThrows(IllegalArgumentException.class,
                () -> PrecisionResolver.resolve(PrecisionChoice.FP16, ZEN4, ALL));
        assertTrue(fp16OnCpu.getMessage().contains("only on a CUDA GPU"), fp16OnCpu.getMessage());
        IllegalArgumentException int8OnGpu = assertThrows(IllegalArgumentException.class,
                () -> PrecisionResolver.resolve(PrecisionChoice.INT8, AMPERE, ALL));
        assertTrue(int8OnGpu.getMessage().contains("only on the CPU"), int8OnGpu.getMessage());
    }

    @Test
    void choicesParseFromTheCommandLineAndNameTheAcceptedValues() {
        assertEquals(PrecisionChoice.AUTO, PrecisionChoice.parse("auto"));
        assertEquals(PrecisionChoice.BF16, PrecisionChoice.parse(" BF16 "));
        assertEquals(Precision.INT8, PrecisionChoice.parse("int8").fixed().orElseThrow());
        assertTrue(PrecisionChoice.AUTO.fixed().isEmpty());
        assertEquals("auto", PrecisionChoice.AUTO.id());
        assertEquals("fp16", Precision.FP16.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrecisionChoice.parse("half"));
        assertEquals("unknown precision 'half': expected auto, fp32, bf16, fp16, int8", e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> Precision.parse("auto"));
        assertEquals("unknown precision 'auto': expected one of fp32, bf16, fp16, int8", p.getMessage());
    }
}
