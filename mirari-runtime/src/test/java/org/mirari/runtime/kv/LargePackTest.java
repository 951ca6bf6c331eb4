package org.mirari.runtime.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.internal.kv.KvPackWriter;

/**
 * A pack over 2 GiB (values at offsets past 2^31), opt-in because it writes 2.5 GB to disk:
 * {@code -Dmirari.test.large=true}.
 */
class LargePackTest {
    @TempDir
    Path tmp;

    @Test
    void valuesPastTwoGibibytesReadBack() throws Exception {
        Assumptions.assumeTrue(
                Boolean.getBoolean("mirari.test.large"), "writes 2.5 GB; run with -Dmirari.test.large=true");
        Path dir = Files.createDirectories(tmp.resolve("big"));
        long size = 2_500_000_000L;
        try (var f = new RandomAccessFile(dir.resolve("a.bin").toFile(), "rw")) {
            f.setLength(size);
            f.seek(size - 4);
            f.write("tail".getBytes(StandardCharsets.US_ASCII));
        }
        Files.writeString(dir.resolve("b.txt"), "after the big one");
        KvPackWriter.pack(dir, tmp.resolve("big.kv"));
        KvStore store = KvStore.open(tmp.resolve("big.kv"));
        assertThat(store.text("b.txt")).isEqualTo("after the big one"); // its offset is past 2^31
        ByteBuffer end = store.read("a.bin", size - 4, 4);
        assertThat(StandardCharsets.US_ASCII.decode(end).toString()).isEqualTo("tail");
        assertThat(store.read("a.bin", 0, Long.MAX_VALUE).remaining()).isEqualTo(KvStore.MAX_READ);
    }
}
