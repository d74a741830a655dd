package org.geopigeon.engine.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BundleFolderTest {

    @Test
    void defaultNameIsTheOutputFoldersName() {
        assertEquals("my-model", BundleFolder.defaultName(Path.of("models", "my-model")));
        assertEquals("my-model", BundleFolder.defaultName(Path.of("models", "my-model", ".", "x", "..")));
    }

    @Test
    void theFileSystemRootIsRefusedWithAMessageNotANullPointer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundleFolder.defaultName(Path.of("/")));
        assertTrue(e.getMessage().contains("file-system root"), e.getMessage());
    }
}
