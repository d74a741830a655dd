package org.geopigeon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * In-process Spark (the tests, {@code ./geopigeon batch}) needs the JVM options spark-submit adds on Java 17.
 * The module's pom and the launcher spell them out; this keeps both equal to Spark's own list.
 */
class SparkJvmOptionsTest {

    private static final List<String> SPARK = Arrays.asList(JavaModuleOptions.defaultModuleOptions().split("\\s+"));

    @Test
    void thePomPassesSparksModuleOptionsToTheTests() {
        String pom = System.getProperty("spark.jvm.options", "");
        assertEquals(SPARK, Arrays.asList(pom.trim().split("\\s+")), "spark/pom.xml spark.jvm.options");
    }

    /** The incubating Vector API serves only MLlib's BLAS, and the JVM warns about it on every start. */
    private static final String VECTOR = "--add-modules=jdk.incubator.vector";

    @Test
    void theLauncherPassesEveryOneOfThemButTheVectorModule() throws IOException {
        String launcher = Files.readString(TestInputs.repo().resolve("geopigeon"));
        for (String option : SPARK) {
            if (!option.equals(VECTOR)) {
                assertTrue(launcher.contains(option), "./geopigeon batch lacks " + option);
            }
        }
    }
}
