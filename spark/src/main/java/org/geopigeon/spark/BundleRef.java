package org.geopigeon.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * How an executor finds the model bundle: a folder every node sees at the same path (local mode, NFS,
 * a cluster image), or a copy Spark shipped to each executor with {@code SparkContext.addFile(dir, true)}
 * (the bundle may then live on HDFS or an object store).
 *
 * @param sharedPath     the folder on a file system all nodes mount, or null when shipped
 * @param sparkFileName  name under {@link SparkFiles#getRootDirectory()} when shipped, else null
 */
public record BundleRef(String sharedPath, String sparkFileName) implements Serializable {

    public BundleRef {
        if ((sharedPath == null) == (sparkFileName == null)) {
            throw new IllegalArgumentException("a bundle is either on a shared path or shipped, not both or neither");
        }
    }

    /** A folder every node sees at this (absolute) path. */
    public static BundleRef shared(Path dir) {
        return new BundleRef(dir.toAbsolutePath().normalize().toString(), null);
    }

    /** A folder added with {@code SparkContext.addFile(dir, true)} under its last path element {@code name}. */
    public static BundleRef shipped(String name) {
        return new BundleRef(null, name);
    }

    /** The local folder on this JVM (an executor, or the driver). */
    public Path resolve() {
        return sharedPath != null ? Path.of(sharedPath) : Path.of(SparkFiles.get(sparkFileName));
    }

    @Override
    public String toString() {
        return sharedPath != null ? sharedPath : "SparkFiles:" + sparkFileName;
    }
}
