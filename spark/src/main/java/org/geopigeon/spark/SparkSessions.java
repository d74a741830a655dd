package org.geopigeon.spark;

import java.util.Map;
import org.apache.sedona.spark.SedonaContext;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Spark sessions set up for the GeoPigeon jobs. */
public final class SparkSessions {

    /** Set on the session so every executor's {@link ExecutorModels} has an owner that closes it. */
    public static final String PLUGIN = GeoPigeonSparkPlugin.class.getName();

    private SparkSessions() {
    }

    /** Attempts per task in local mode, as on a cluster ({@code spark.task.maxFailures} defaults to 4). */
    static final int LOCAL_TASK_ATTEMPTS = 4;

    /**
     * {@code local[N]} and {@code local[*]} run each task once: a failed task (a database hiccup) fails the job.
     * They become {@code local[N,4]}, so local jobs retry like cluster jobs (the audit rows are idempotent);
     * any other master, or one that names its attempts, is kept.
     */
    static String withRetries(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)\\]").matcher(master.trim());
        return m.matches() ? "local[" + m.group(1) + "," + LOCAL_TASK_ATTEMPTS + "]" : master;
    }

    /**
     * The master as the user typed it, for messages: {@code local[2,4]} made by {@link #withRetries} reads
     * {@code local[2] (failed tasks tried up to 4 times)}; any other master is returned as it is.
     */
    static String describe(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)," + LOCAL_TASK_ATTEMPTS
                + "\\]").matcher(master.trim());
        return m.matches() ? "local[" + m.group(1) + "] (failed tasks tried up to " + LOCAL_TASK_ATTEMPTS + " times)"
                : master;
    }

    /**
     * A session with the executor plugin and Sedona's SQL functions, or the active one's settings when
     * spark-submit already chose a master ({@code masterOrNull} then may be null).
     *
     * @param masterOrNull e.g. {@code local[2]}; null keeps spark-submit's {@code spark.master}, else local[*]
     * @param conf         further settings ({@code --conf key=value})
     */
    public static SparkSession create(String appName, String masterOrNull, Map<String, String> conf) {
        SparkConf sc = new SparkConf(true); // loads spark.* system properties set by spark-submit
        if (masterOrNull != null) {
            sc.setMaster(withRetries(masterOrNull));
        } else if (!sc.contains("spark.master")) {
            sc.setMaster(withRetries("local[*]"));
        }
        sc.setAppName(appName);
        if (sc.get("spark.master").startsWith("local")) {
            // Everything runs in this JVM: keep Spark's RPC and UI on the loopback interface.
            sc.setIfMissing("spark.driver.host", "127.0.0.1");
            sc.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        // Our own progress lines replace the console progress bar, which garbles stderr.
        sc.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.forEach(sc::set);
        String plugins = sc.get("spark.plugins", "");
        if (!plugins.contains(PLUGIN)) {
            sc.set("spark.plugins", plugins.isBlank() ? PLUGIN : plugins + "," + PLUGIN);
        }
        SparkSession spark = SparkSession.builder().config(sc).getOrCreate();
        return SedonaContext.create(spark);
    }
}
