package org.mirari.runtime.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.internal.kv.KvPackWriter;

class KvStoreTest {
    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path dir = tmp.resolve("files");
        Files.createDirectories(dir.resolve("css/deep/er"));
        Files.writeString(dir.resolve("index.html"), "<h1>hello</h1>\n");
        Files.writeString(dir.resolve("css/site.css"), "body{}\n");
        Files.write(dir.resolve("css/deep/er/blob.bin"), randomBytes(300_000, 7));
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        Files.writeString(dir.resolve("README"), "no extension");
        Files.writeString(dir.resolve(".hidden"), "dot file");
        Files.writeString(dir.resolve("ünï cødé.txt"), "utf-8 name");
        return dir;
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] bytes(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void packsAndReadsBackEveryFileByteForByte() throws Exception {
        Path dir = tree();
        Path pack = tmp.resolve("out/static.kv");
        List<KvEntry> entries = KvPackWriter.pack(dir, pack);
        KvStore store = KvStore.open(pack);

        List<String> expected = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String key = dir.relativize(f).toString();
                expected.add(key);
                byte[] content = Files.readAllBytes(f);
                assertThat(store.exists(key)).isTrue();
                assertThat(store.size(key)).isEqualTo(content.length);
                assertThat(bytes(store.read(key, 0, Long.MAX_VALUE))).isEqualTo(content);
                assertThat(store.etag(key)).isEqualTo(sha256(content));
            }
        }
        assertThat(store.text("index.html")).isEqualTo("<h1>hello</h1>\n");
        assertThat(store.bytes("css/deep/er/blob.bin")).isEqualTo(randomBytes(300_000, 7));
        assertThat(store.name()).isEqualTo("static");
        assertThat(store.list())
                .containsExactlyElementsOf(expected.stream().sorted().toList());
        assertThat(entries).extracting(KvEntry::key).containsExactlyElementsOf(store.list());
        assertThat(store.entry("css/site.css"))
                .contains(new KvEntry(
                        "css/site.css",
                        7,
                        sha256("body{}\n".getBytes(StandardCharsets.UTF_8)),
                        "text/css; charset=utf-8"));
    }

    @Test
    void contentTypesComeFromTheExtension() throws Exception {
        KvStore store = KvStore.open(packOf(tree()));
        assertThat(store.contentType("index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(store.contentType("css/deep/er/blob.bin")).isEqualTo("application/octet-stream");
        assertThat(store.contentType("README")).isEqualTo("application/octet-stream");
        assertThat(store.contentType(".hidden")).isEqualTo("application/octet-stream");
        assertThat(store.contentType("ünï cødé.txt")).isEqualTo("text/plain; charset=utf-8");
    }

    private Path packOf(Path dir) throws IOException {
        Path pack = tmp.resolve("p-" + System.nanoTime() + ".kv");
        KvPackWriter.pack(dir, pack);
        return pack;
    }

    @Test
    void readsOffsetsAndRanges() throws Exception {
        KvStore store = KvStore.open(packOf(tree()));
        byte[] blob = randomBytes(300_000, 7);
        String key = "css/deep/er/blob.bin";
        assertThat(bytes(store.read(key, 1000, 10))).isEqualTo(java.util.Arrays.copyOfRange(blob, 1000, 1010));
        assertThat(bytes(store.read(key, 299_990, 100)))
                .isEqualTo(java.util.Arrays.copyOfRange(blob, 299_990, 300_000));
        assertThat(store.read(key, 300_000, 10).remaining()).isZero();
        assertThat(store.read(key, 500_000, 10).remaining()).isZero();
        assertThat(store.read(key, 5, 0).remaining()).isZero();
        assertThat(store.read("empty.txt", 0, 10).remaining()).isZero();
        assertThat(store.read(key, 0, 10).isReadOnly()).isTrue();
        assertThatThrownBy(() -> store.read(key, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read("nope", 0, 10))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("no key nope in KV store " + store.name());
    }

    @Test
    void keysAreNormalisedAndCannotEscape() throws Exception {
        Path dir = tree();
        Files.writeString(tmp.resolve("secret.txt"), "outside");
        KvStore store = KvStore.open(packOf(dir));
        assertThat(store.exists("./css//site.css")).isTrue();
        assertThat(store.exists("css/./site.css")).isTrue();
        for (String bad : List.of(
                "../secret.txt",
                "css/../../secret.txt",
                "css/../index.html",
                "/index.html",
                "/etc/passwd",
                "css\\site.css",
                "index.html\0",
                "..",
                ".",
                "",
                "/",
                "//index.html")) {
            assertThat(store.exists(bad)).as(bad).isFalse();
            assertThat(store.entry(bad)).as(bad).isEmpty();
            assertThatThrownBy(() -> store.read(bad, 0, 1)).as(bad).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(store.exists(null)).isFalse();
    }

    @Test
    void emptyDirectoryGivesAnEmptyStore() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        KvStore store = KvStore.open(packOf(dir));
        assertThat(store.list()).isEmpty();
        assertThat(store.exists("anything")).isFalse();
    }

    @Test
    void packingIsDeterministic() throws Exception {
        Path dir = tree();
        Path a = packOf(dir);
        Files.setLastModifiedTime(dir.resolve("index.html"), java.nio.file.attribute.FileTime.fromMillis(0));
        Path b = packOf(dir);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void aMissingDirectoryIsAnError() {
        Path dir = tmp.resolve("missing");
        assertThatThrownBy(() -> KvPackWriter.pack(dir, tmp.resolve("x.kv")))
                .isInstanceOf(IOException.class)
                .hasMessage(dir + ": not a directory");
    }

    @Test
    void aFileNameWithABackslashIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bs"));
        Path bad = dir.resolve("a\\b.txt");
        Files.writeString(bad, "x");
        assertThatThrownBy(() -> KvPackWriter.pack(dir, tmp.resolve("x.kv")))
                .isInstanceOf(IOException.class)
                .hasMessage(bad + ": this file name cannot be a KV key (no backslash or NUL); rename it");
    }

    @Test
    void aFailedPackLeavesTheOldOneInPlace() throws Exception {
        Path pack = packOf(tree());
        byte[] before = Files.readAllBytes(pack);
        assertThatThrownBy(() -> KvPackWriter.pack(tmp.resolve("missing"), pack))
                .isInstanceOf(IOException.class);
        assertThat(Files.readAllBytes(pack)).isEqualTo(before);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(Path::toString)).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aCorruptPackIsReported() throws Exception {
        Path junk = tmp.resolve("junk.kv");
        Files.writeString(junk, "this is not a pack file at all, no");
        assertThatThrownBy(() -> KvStore.open(junk))
                .isInstanceOf(IOException.class)
                .hasMessage(junk + ": not a KV pack (bad magic)");
        Path pack = packOf(tree());
        byte[] b = Files.readAllBytes(pack);
        Files.write(pack, java.util.Arrays.copyOf(b, b.length - 5));
        assertThatThrownBy(() -> KvStore.open(pack))
                .isInstanceOf(IOException.class)
                .hasMessage(pack + ": index out of bounds");
    }

    /** A 100 MB sparse file: packed through a small buffer and read back in slices, never whole. */
    @Test
    void aHundredMegabyteFileIsStreamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("big"));
        long size = 100L * 1024 * 1024;
        try (var f = new RandomAccessFile(dir.resolve("big.bin").toFile(), "rw")) {
            f.setLength(size);
            f.seek(size / 2);
            f.write("middle".getBytes(StandardCharsets.US_ASCII));
            f.seek(size - 3);
            f.write("end".getBytes(StandardCharsets.US_ASCII));
        }
        long heapBefore = usedHeap();
        KvStore store = KvStore.open(packOf(dir));
        assertThat(store.size("big.bin")).isEqualTo(size);
        assertThat(new String(bytes(store.read("big.bin", size / 2, 6)), StandardCharsets.US_ASCII))
                .isEqualTo("middle");
        assertThat(new String(bytes(store.read("big.bin", size - 3, 100)), StandardCharsets.US_ASCII))
                .isEqualTo("end");
        assertThat(store.read("big.bin", 0, Long.MAX_VALUE).remaining()).isEqualTo((int) size);
        // The whole file on the heap would add 100 MB; mapping adds next to nothing.
        assertThat(usedHeap() - heapBefore).isLessThan(50L * 1024 * 1024);

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer all = store.read("big.bin", 0, Long.MAX_VALUE);
        sha.update(all);
        assertThat(store.etag("big.bin")).isEqualTo(HexFormat.of().formatHex(sha.digest()));
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
