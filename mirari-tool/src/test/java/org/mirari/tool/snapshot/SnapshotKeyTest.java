package org.mirari.tool.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotKeyTest {
    static final List<String> ARGS = List.of(
            "-M",
            "microvm,accel=tcg",
            "-m",
            "160",
            "-smp",
            "1",
            "-kernel",
            "<kernel>",
            "-initrd",
            "<initrd>",
            "-append",
            "console=ttyS0 MIRARI_RESTORE=ttyS1 tsc_early_khz=2100000 -- http-port=8080");
    static final Map<String, String> FILES = Map.of("qemu", "aa", "kernel", "bb", "initrd", "cc");

    @Test
    void theSameInputsGiveTheSameKey() {
        var a = SnapshotKey.of(ARGS, FILES);
        assertThat(a.hex()).matches("[0-9a-f]{64}");
        assertThat(SnapshotKey.of(new ArrayList<>(ARGS), new java.util.TreeMap<>(FILES)))
                .isEqualTo(a);
        assertThat(a.described()).contains("file initrd=cc", "arg=microvm,accel=tcg", "format=" + SnapshotKey.FORMAT);
    }

    @Test
    void everyWordAndEveryFileHashIsInTheKey() {
        var base = SnapshotKey.of(ARGS, FILES).hex();
        for (int i = 0; i < ARGS.size(); i++) {
            var changed = new ArrayList<>(ARGS);
            changed.set(i, ARGS.get(i) + "x");
            assertThat(SnapshotKey.of(changed, FILES).hex()).as("word " + i).isNotEqualTo(base);
        }
        for (var name : FILES.keySet()) {
            var changed = new java.util.HashMap<>(FILES);
            changed.put(name, "dd");
            assertThat(SnapshotKey.of(ARGS, changed).hex()).as(name).isNotEqualTo(base);
        }
        // Word boundaries count: two words are not their concatenation.
        assertThat(SnapshotKey.of(List.of("-m", "160"), Map.of()).hex())
                .isNotEqualTo(SnapshotKey.of(List.of("-m160"), Map.of()).hex());
    }
}
