package org.mirari.js.runtime.internal.kv;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the pack reader of the JavaScript runtime: any bytes give a store whose every value can
 * be read, or an {@link IllegalStateException} saying what is wrong, never another exception.
 * Seeds live in {@code PackedKvStoreFuzzTestInputs/open/}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class PackedKvStoreFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void open(byte[] data) {
        PackedKvStore store;
        try {
            store = PackedKvStore.of("fuzz", data);
        } catch (IllegalStateException expected) {
            return;
        }
        for (var key : store.list()) {
            if (store.read(key, 0, store.size(key)).remaining() != store.size(key))
                throw new IllegalStateException("short read of " + key);
        }
    }
}
