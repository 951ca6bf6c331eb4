package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.internal.kv.KvPackWriter;

class StoresTest {
    @TempDir
    Path tmp;

    @Test
    void opensEachStoreOnceAndRefusesNamesOutsideTheDirectory() throws Exception {
        Path files = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(files.resolve("a.txt"), "a");
        KvPackWriter.pack(files, tmp.resolve("kv/static.kv"));
        var stores = new Stores(tmp.resolve("kv"));
        assertThat(stores.get("static")).isSameAs(stores.get("static"));
        assertThat(stores.get("static").text("a.txt")).isEqualTo("a");
        for (String bad : new String[] {"../kv/static", "", ".hidden", "a/b", "a\\b"}) {
            assertThatThrownBy(() -> stores.get(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no KV store named \"" + bad + "\"; use a name from an fs-<name> key");
        }
    }
}
