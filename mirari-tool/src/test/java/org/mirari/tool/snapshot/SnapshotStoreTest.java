package org.mirari.tool.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    @TempDir
    Path cache;

    static SnapshotKey key(String word) {
        return SnapshotKey.of(List.of(word), Map.of());
    }

    SnapshotKey saved(SnapshotStore store, String word, int bytes) throws Exception {
        var tmp = store.newTemporary();
        Files.write(tmp.resolve(SnapshotStore.STATE), new byte[bytes]);
        var k = key(word);
        store.commit(tmp, k);
        return k;
    }

    @Test
    void aCommittedSnapshotIsWholeAndPrivate() throws Exception {
        var store = new SnapshotStore(SnapshotStore.root(cache));
        assertThat(store.has(key("a"))).isFalse();
        var k = saved(store, "a", 10);
        assertThat(store.has(k)).isTrue();
        assertThat(Files.readString(store.entry(k).resolve(SnapshotStore.KEY))).isEqualTo(k.described());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.state(k))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.entry(k))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root())))
                .isEqualTo("rwx------");
        // A refresh replaces it whole.
        saved(store, "a", 20);
        assertThat(Files.size(store.state(k))).isEqualTo(20);
        try (var left = Files.list(store.root())) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(".new-")))
                    .isEmpty();
        }
        store.delete(k);
        assertThat(store.has(k)).isFalse();
    }

    /**
     * The RAM file and device state a fast restore maps: made private and empty for QEMU to fill, put
     * in place whole, and dropped (the stream still there) once the RAM file is not what was made.
     */
    @Test
    void theRamFilesAreMadePrivatelyAndDroppedOnceChanged() throws Exception {
        var store = new SnapshotStore(SnapshotStore.root(cache));
        var k = saved(store, "a", 10);
        assertThat(store.ram(k)).isEmpty();
        var made = store.newRam(k);
        for (Path f : List.of(made.ram(), made.devices())) {
            assertThat(f).isEmptyFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .isEqualTo("rw-------");
        }
        Files.write(made.ram(), new byte[4096]);
        Files.write(made.devices(), new byte[] {1, 2, 3});
        var files = store.commitRam(k, made);
        assertThat(store.ram(k)).contains(files);
        assertThat(files.ram()).hasFileName("ram").hasSize(4096);
        assertThat(made.ram()).doesNotExist();
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(store.entry(k).resolve("ram.check"))))
                .isEqualTo("rw-------");
        // A write to the RAM file (its modification time moves): not mapped again, and removed.
        Files.setLastModifiedTime(
                files.ram(),
                FileTime.fromMillis(Files.getLastModifiedTime(files.ram()).toMillis() + 1000));
        assertThat(store.ram(k)).isEmpty();
        assertThat(files.ram()).doesNotExist();
        assertThat(files.devices()).doesNotExist();
        assertThat(store.has(k)).isTrue();
        // An attempt that failed leaves nothing behind.
        store.discardRam(store.newRam(k));
        try (var left = Files.list(store.entry(k))) {
            assertThat(left.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("state.zst", "key.txt", "generation");
        }
    }

    @Test
    void copiesRestoredAtOnceGetDifferentGenerations() throws Exception {
        var store = new SnapshotStore(SnapshotStore.root(cache));
        var k = saved(store, "a", 1);
        var seen = ConcurrentHashMap.<Long>newKeySet();
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 8; i++)
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    seen.add(store.nextGeneration(k));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        for (var t : threads) t.join();
        assertThat(seen).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void theLeastRecentlyUsedGoFirstAndTheCurrentOneStays() throws Exception {
        var store = new SnapshotStore(SnapshotStore.root(cache));
        var old = saved(store, "old", 1000);
        var mid = saved(store, "mid", 1000);
        var current = saved(store, "current", 1000);
        Files.setLastModifiedTime(store.entry(old), FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(store.entry(mid), FileTime.fromMillis(2_000));
        Files.setLastModifiedTime(store.entry(current), FileTime.fromMillis(500));
        assertThat(store.evict(2500, current)).isEqualTo(1);
        assertThat(store.has(old)).isFalse();
        assertThat(store.has(mid)).isTrue();
        assertThat(store.evict(0, current)).isEqualTo(1);
        assertThat(store.has(current)).isTrue();
        assertThat(store.clean()).isGreaterThanOrEqualTo(1000);
        assertThat(store.root()).doesNotExist();
        assertThat(store.clean()).isZero();
    }

    @Test
    void fileHashesAreRememberedUntilTheFileChanges() throws Exception {
        var store = new SnapshotStore(SnapshotStore.root(cache));
        Path f = Files.writeString(cache.resolve("kernel"), "one");
        String first = store.fileHash(f);
        assertThat(first).isEqualTo(SnapshotKey.fileHash(f));
        assertThat(store.fileHash(f)).isEqualTo(first);
        Files.writeString(f, "two");
        assertThat(store.fileHash(f)).isNotEqualTo(first).isEqualTo(SnapshotKey.fileHash(f));
    }
}
