package org.mirari.tool.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's digest: a content identity that leaves the hashing of zero blocks out. */
class GeneratedManifestTest {
    @TempDir
    Path dir;

    Path sparse(String name, long size, long... ones) throws IOException {
        Path f = dir.resolve(name);
        try (var ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at : ones) ch.write(ByteBuffer.wrap(new byte[] {1}), at);
            ch.truncate(size);
            if (ch.size() < size) ch.write(ByteBuffer.wrap(new byte[] {0}), size - 1);
        }
        return f;
    }

    @Test
    void theSameContentHasTheSameDigestAndAnyChangeAnother() throws IOException {
        long gib = 16L << 20; // a small "disk": the layout matters, not the size
        String disk = GeneratedManifest.digest(sparse("a", gib, 0, gib / 2, gib - 1));
        assertThat(GeneratedManifest.digest(sparse("same", gib, 0, gib / 2, gib - 1)))
                .isEqualTo(disk);
        // A byte moved within the zeros, zeros added at the end, a data block dropped: all differ.
        assertThat(GeneratedManifest.digest(sparse("moved", gib, 0, gib / 2 + 1, gib - 1)))
                .isNotEqualTo(disk);
        assertThat(GeneratedManifest.digest(sparse("longer", gib + 65536, 0, gib / 2, gib - 1)))
                .isNotEqualTo(disk);
        assertThat(GeneratedManifest.digest(sparse("fewer", gib, 0, gib - 1))).isNotEqualTo(disk);
    }

    @Test
    void zeroBlocksStillCountByTheirPlace() throws IOException {
        // Without the offsets and the length, these would hash the same bytes.
        String early = GeneratedManifest.digest(sparse("early", 3 * GeneratedManifest.BLOCK, 0));
        String late = GeneratedManifest.digest(sparse("late", 3 * GeneratedManifest.BLOCK, GeneratedManifest.BLOCK));
        String empty = GeneratedManifest.digest(Files.write(dir.resolve("empty"), new byte[0]));
        String zeros = GeneratedManifest.digest(Files.write(dir.resolve("zeros"), new byte[10]));
        assertThat(early).isNotEqualTo(late);
        assertThat(empty).isNotEqualTo(zeros).hasSize(64);
    }

    @Test
    void recordAndReadGoTogether() throws IOException {
        Path f = Files.write(dir.resolve("mir-hello.initrd"), new byte[] {1, 2, 3});
        GeneratedManifest.record(dir, f);
        assertThat(GeneratedManifest.read(dir)).containsEntry("mir-hello.initrd", GeneratedManifest.digest(f));
    }

    /** A manifest written before the zero-skipping digest recorded plain SHA-256s: those files are still Mirari's. */
    @Test
    void aFileRecordedByAnEarlierMirariIsStillOurs() throws IOException {
        Path kernel = Files.write(dir.resolve("mir-tiny.vmlinuz"), new byte[4096]);
        String plain = org.mirari.tool.pkg.Fingerprint.sha256(kernel);
        assertThat(plain).isNotEqualTo(GeneratedManifest.digest(kernel));
        assertThat(GeneratedManifest.holds(plain, kernel)).isTrue();
        assertThat(GeneratedManifest.holds(GeneratedManifest.digest(kernel), kernel))
                .isTrue();
        assertThat(GeneratedManifest.holds(null, kernel)).isFalse();
        Files.write(kernel, new byte[] {1});
        assertThat(GeneratedManifest.holds(plain, kernel)).as("changed since").isFalse();
    }
}
