package org.mirari.js.runtime.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/** The JavaScript store (over an array) reads a pack exactly as the JVM's mapped store does: same keys, entries and bytes. */
class PackedKvStoreTest {
    @TempDir
    Path tmp;

    Path pack() throws IOException {
        var dir = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(dir.resolve("index.html"), "<h1>hi</h1>");
        Files.createDirectories(dir.resolve("css"));
        Files.writeString(dir.resolve("css/site.css"), "body { color: red }");
        var bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 31);
        Files.write(dir.resolve("blob.bin"), bytes);
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        var out = tmp.resolve("static.kv");
        KvPackWriter.pack(dir, out);
        return out;
    }

    static byte[] bytes(ByteBuffer b) {
        var out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void readsWhatTheMappedStoreReads() throws IOException {
        var file = pack();
        KvStore mapped = org.mirari.runtime.internal.kv.PackedKvStore.open(file);
        KvStore array = PackedKvStore.of("static", Files.readAllBytes(file));
        assertThat(array.name()).isEqualTo("static");
        assertThat(array.list()).isEqualTo(mapped.list()).contains("css/site.css", "blob.bin", "empty.txt");
        for (var key : mapped.list()) {
            assertThat(array.entry(key)).isEqualTo(mapped.entry(key));
            assertThat(array.bytes(key)).isEqualTo(mapped.bytes(key));
            assertThat(bytes(array.read(key, 3, 100))).isEqualTo(bytes(mapped.read(key, 3, 100)));
            assertThat(bytes(array.read(key, 1_000_000, 5))).isEmpty();
        }
        assertThat(array.read("blob.bin", 0, 10).isReadOnly()).isTrue();
        assertThat(array.exists("./css//site.css")).isTrue();
        assertThat(array.exists("../static/css/site.css")).isFalse();
        assertThat(array.etag("index.html"))
                .isEqualTo(mapped.etag("index.html"))
                .hasSize(64);
        assertThat(array.contentType("index.html")).isEqualTo(mapped.contentType("index.html"));
        assertThatThrownBy(() -> array.size("missing"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("no key missing in KV store static");
        assertThatThrownBy(() -> array.read("index.html", -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesACorruptPackSayingWhy() throws IOException {
        var good = Files.readAllBytes(pack());
        assertThatThrownBy(() -> PackedKvStore.of("s", new byte[3])).hasMessage("shorter than its header");
        var magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> PackedKvStore.of("s", magic)).hasMessage("not a KV pack (bad magic)");
        var version = good.clone();
        version[11] = 9;
        assertThatThrownBy(() -> PackedKvStore.of("s", version))
                .hasMessage("pack version 9, this runtime reads 1; run mirari configure again");
        var truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> PackedKvStore.of("s", truncated)).hasMessage("index out of bounds");
    }
}
