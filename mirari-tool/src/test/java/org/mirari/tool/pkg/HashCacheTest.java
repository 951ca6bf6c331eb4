package org.mirari.tool.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCacheTest {
    @TempDir
    Path dir;

    @Test
    void remembersHashesUntilSizeOrTimeChanges() throws Exception {
        var f = Files.writeString(dir.resolve("a.jar"), "one");
        var store = dir.resolve("hashes.txt");
        var cache = HashCache.load(store);
        var first = cache.sha256(f);
        assertThat(first).isEqualTo(Fingerprint.sha256(f));
        cache.save();
        assertThat(store).isRegularFile();

        // Same size and time: the remembered hash is used (shown by a content change that keeps both).
        var time = Files.getLastModifiedTime(f);
        Files.writeString(f, "two");
        Files.setLastModifiedTime(f, time);
        assertThat(HashCache.load(store).sha256(f)).isEqualTo(first);

        Files.setLastModifiedTime(f, FileTime.fromMillis(time.toMillis() + 1000));
        assertThat(HashCache.load(store).sha256(f))
                .isEqualTo(Fingerprint.sha256(f))
                .isNotEqualTo(first);
    }

    @Test
    void aDamagedStoreIsIgnored() throws Exception {
        var store = Files.writeString(dir.resolve("hashes.txt"), "garbage\nx y z\n");
        var f = Files.writeString(dir.resolve("a"), "x");
        assertThat(HashCache.load(store).sha256(f)).isEqualTo(Fingerprint.sha256(f));
    }
}
