package org.geopigeon.spark;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Owner of the executor's {@link ExecutorModels}: Spark calls its executor side's {@code shutdown()} when
 * an executor stops (and in local mode when the SparkContext stops), which closes the models the JVM
 * loaded. Enabled by {@code spark.plugins=org.geopigeon.spark.GeoPigeonSparkPlugin}; the jobs'
 * {@link SparkSessions} add it.
 */
public final class GeoPigeonSparkPlugin implements SparkPlugin {

    @Override
    public DriverPlugin driverPlugin() {
        return null; // nothing to do on the driver
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                // Models load lazily, on the first task that needs one.
            }

            @Override
            public void shutdown() {
                ExecutorModels.closeAll();
            }
        };
    }
}
